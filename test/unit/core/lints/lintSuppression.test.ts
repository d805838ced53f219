import * as assert from 'node:assert/strict';
import { readLintConfiguration } from '../../../../server/src/core/lints/lintConfiguration';
import { LINT_RULE_ID_SET } from '../../../../server/src/core/lints';
import { applyFix } from './applyFix';
import { codes, lintText, migrationText } from './lintText';

const removeField = "        migrations.RemoveField(model_name='product', name='price'),";
const removeStock = "        migrations.RemoveField(model_name='product', name='stock'),";
const configuration = (raw: unknown) => {
  const read = readLintConfiguration(raw, LINT_RULE_ID_SET);
  assert.deepEqual(read.problems, []);
  return read.configuration;
};

describe('lint suppression comments', () => {
  it('silences one rule for the operation on the line below, with a reason', async () => {
    const text = migrationText(
      `        # django-migrations: ignore[remove-field] the column is unused since release 41\n${removeField}\n${removeStock}`,
    );
    const problems = await lintText(text);
    assert.deepEqual(codes(problems), ['remove-field']);
    assert.equal(
      problems[0].range.start.line,
      text.split('\n').findIndex((line) => line.includes("name='stock'")),
    );
  });

  it("silences from a trailing comment on the operation's own line", async () => {
    const text = migrationText(removeField.replace('),', '),  # django-migrations: ignore[remove-field] unused since 41'));
    assert.deepEqual(codes(await lintText(text)), []);
  });

  it('marks a whole migration reviewed on its class line', async () => {
    const text = migrationText(`${removeField}\n${removeStock}`).replace(
      'class Migration(migrations.Migration):',
      '# django-migrations: reviewed deployed in a maintenance window\nclass Migration(migrations.Migration):',
    );
    assert.deepEqual(codes(await lintText(text)), []);
    const onlyOne = migrationText(`${removeField}\n        migrations.DeleteModel(name='Tag'),`).replace(
      'class Migration(migrations.Migration):',
      'class Migration(migrations.Migration):  # django-migrations: ignore[delete-model] Tag was never used',
    );
    assert.deepEqual(codes(await lintText(onlyOne)), ['remove-field']);
  });

  it('reports a suppression without a reason, with an unknown rule, or malformed, and still lints', async () => {
    for (const [comment, message] of [
      ['# django-migrations: ignore[remove-field]', /needs a reason/],
      ['# django-migrations: ignore[no-such-rule] because', /Unknown rule 'no-such-rule'/],
      ['# django-migrations: ignore remove-field because', /Expected/],
      ['# django-migrations: ignore[] because', /Name the rule/],
    ] as const) {
      const problems = await lintText(migrationText(`        ${comment}\n${removeField}`));
      assert.deepEqual(codes(problems), ['invalid-suppression', 'remove-field'], comment);
      assert.match(problems.find((p) => p.code === 'invalid-suppression')!.message, message);
    }
  });

  it('reports a suppression that silences nothing, with a fix that removes it', async () => {
    const text = migrationText(`        # django-migrations: ignore[add-index-non-concurrent] the table is small\n${removeField}`);
    const problems = await lintText(text);
    assert.deepEqual(codes(problems), ['remove-field', 'unused-suppression']);
    const unused = problems.find((p) => p.code === 'unused-suppression')!;
    assert.doesNotMatch(applyFix(text, unused, 'Remove the suppression'), /add-index-non-concurrent/);
  });

  it('offers "Suppress for this operation", which asks for the reason', async () => {
    const text = migrationText(removeField);
    const [problem] = await lintText(text);
    const suppressed = applyFix(text, problem, 'Suppress for this operation');
    assert.match(suppressed, /^ {8}# django-migrations: ignore\[remove-field\] \n {8}migrations\.RemoveField/m);
    assert.deepEqual(codes(await lintText(suppressed)), ['invalid-suppression', 'remove-field']);
    assert.deepEqual(codes(await lintText(suppressed.replace('ignore[remove-field] ', 'ignore[remove-field] unused since 41'))), []);
  });

  it('reads comments, not strings that look like them', async () => {
    const text = migrationText(
      `        migrations.RunSQL("SELECT 1 -- # django-migrations: ignore[run-sql-ddl]", elidable=True),\n${removeField}`,
    );
    assert.deepEqual(codes(await lintText(text)), ['remove-field']);
  });
});

describe('lint configuration', () => {
  const twoDrops = migrationText(`${removeField}\n        migrations.DeleteModel(name='Tag'),`);

  it('selects, ignores and sets severities, with per-app overrides', async () => {
    assert.deepEqual(codes(await lintText(twoDrops, { configuration: configuration({ ignore: ['remove-field'] }) })), ['delete-model']);
    assert.deepEqual(codes(await lintText(twoDrops, { configuration: configuration({ select: ['remove-field'] }) })), ['remove-field']);
    const severities = await lintText(twoDrops, {
      configuration: configuration({ severity: { 'remove-field': 'error', 'delete-model': 'off' } }),
    });
    assert.deepEqual(
      severities.map((p) => [p.code, p.severity]),
      [['remove-field', 'error']],
    );
    const perApp = configuration({
      ignore: ['remove-field'],
      'per-app': { billing: { select: ['remove-field'], severity: { 'remove-field': 'hint' } } },
    });
    assert.deepEqual(codes(await lintText(twoDrops, { configuration: perApp })), ['delete-model']);
    const billing = await lintText(twoDrops, { configuration: perApp, app: 'billing' });
    assert.deepEqual(
      billing.map((p) => [p.code, p.severity]),
      [['remove-field', 'hint']],
    );
  });

  it("reads the project's Django release, which decides the assumed server version", () => {
    assert.deepEqual(configuration({ 'django-version': '5.2' }).djangoVersion, [5, 2]);
    const wrong = readLintConfiguration({ 'django-version': 5 }, LINT_RULE_ID_SET);
    assert.deepEqual(
      wrong.problems.map((p) => p.path),
      [['django-version']],
    );
  });

  it('skips the migrations up to the baseline of their app', async () => {
    const baseline = configuration({ baseline: ['shop.0042', 'billing.0003'] });
    assert.deepEqual(codes(await lintText(twoDrops, { configuration: baseline, name: '0042_drop' })), []);
    assert.deepEqual(codes(await lintText(twoDrops, { configuration: baseline, name: '0043_drop' })), ['delete-model', 'remove-field']);
    assert.deepEqual(
      codes(await lintText(twoDrops, { configuration: configuration({ baseline: 'shop.0042' }), app: 'billing', name: '0004_x' })),
      ['delete-model', 'remove-field'],
    );
  });

  it('reports every wrong key, rule id and value, and keeps the rest', () => {
    const read = readLintConfiguration(
      {
        ignore: ['remove-field', 'no-such-rule'],
        selekt: ['x'],
        severity: { 'delete-model': 'fatal', nope: 'error' },
        baseline: ['shop-42'],
        'per-app': { shop: { ignore: 'remove-field', colour: 1 } },
        'server-version': 15,
      },
      LINT_RULE_ID_SET,
    );
    assert.deepEqual(
      read.problems.map((p) => [p.path.join('.'), p.message]),
      [
        ['selekt', "Unknown key 'selekt'; expected one of select, ignore, severity, per-app, baseline, server-version, django-version."],
        ['severity.delete-model', 'Level must be one of error, warning, information, hint, off.'],
        ['severity.nope', "Unknown rule 'nope'."],
        ['ignore', "Unknown rule 'no-such-rule'."],
        ['per-app.shop.colour', "Unknown key 'colour'; expected one of select, ignore, severity."],
        ['per-app.shop.ignore', 'ignore must be a list of rule ids.'],
        ['baseline', '\'shop-42\' is not app_label.NNNN (for example "shop.0042").'],
        ['server-version', 'server-version must be "15" or a table of alias = "15".'],
      ],
    );
    assert.deepEqual(read.configuration.ignore, ['remove-field']);
  });
});
