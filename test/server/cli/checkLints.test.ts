import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appFiles, managePy, projectFolder, settingsPy, writeFiles } from '../../support/projectFolder';
import { runCli } from './cliProcess';

/** A PostgreSQL project whose server cannot be reached (nothing listens on port 1). */
const POSTGRES_SETTINGS = settingsPy(
  ['shop'],
  "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'HOST': '127.0.0.1', 'PORT': '1'}}",
);

const migration = (previous: string | undefined, operations: string) =>
  `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n` +
  `    dependencies = [${previous ? `('shop', '${previous}')` : ''}]\n\n    operations = [\n${operations}\n    ]\n`;

const INITIAL = migration(
  undefined,
  "        migrations.CreateModel(name='Product', fields=[('id', models.AutoField(primary_key=True)), ('name', models.CharField(max_length=100))]),",
);
const ADD_INDEX = "        migrations.AddIndex(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),";
const REMOVE_FIELD = "        migrations.RemoveField(model_name='product', name='name'),";

function shopProject(migrations: Record<string, string>, pyproject?: string): string {
  return projectFolder({
    'manage.py': managePy('config.settings'),
    'config/__init__.py': '',
    'config/settings.py': POSTGRES_SETTINGS,
    ...appFiles('shop', migrations),
    ...(pyproject === undefined ? {} : { 'pyproject.toml': pyproject }),
  });
}

describe('check: lint rules', () => {
  it('reports the lock of AddIndex at the assumed oldest version when the server cannot be asked, and at --server-version', async () => {
    const root = shopProject({ '0001_initial': INITIAL, '0002_index': migration('0001_initial', ADD_INDEX) });
    const assumed = await runCli(['check', root, '--format', 'json']);
    assert.equal(assumed.code, 0, assumed.stderr);
    const [problem] = JSON.parse(assumed.stdout) as { file: string; line: number; code: string; message: string }[];
    assert.deepEqual([problem.file, problem.line, problem.code], ['shop/migrations/0002_index.py', 9, 'add-index-non-concurrent']);
    assert.match(problem.message, /PostgreSQL 9\.6 \(assumed: the oldest version the project's Django supports/);
    const django = await runCli(['check', root, '--format', 'json', '--django-version', '5.2']);
    assert.match(
      (JSON.parse(django.stdout) as { message: string }[])[0].message,
      /PostgreSQL 14\.0 \(assumed: the oldest version the project's Django supports/,
    );
    const given = await runCli(['check', root, '--format', 'json', '--server-version', '16']);
    assert.match((JSON.parse(given.stdout) as { message: string }[])[0].message, /PostgreSQL 16\.0 \(configured server version\)/);
  });

  it('compares an AlterField with the field as the migration state knew it, written in an earlier migration', async () => {
    const shrink = "        migrations.AlterField(model_name='product', name='name', field=models.CharField(max_length=20)),";
    const root = shopProject({ '0001_initial': INITIAL, '0002_shorter_name': migration('0001_initial', shrink) });
    const result = await runCli(['check', root, '--format', 'json', '--server-version', '15']);
    assert.equal(result.code, 0, result.stderr);
    const problems = JSON.parse(result.stdout) as { file: string; code: string; message: string }[];
    assert.deepEqual(
      problems.map((p) => [p.file, p.code]),
      [['shop/migrations/0002_shorter_name.py', 'alter-field-type']],
    );
    assert.match(problems[0].message, /max_length changed from 100 to 20/);
  });

  it('writes SARIF 2.1.0 with the rule catalogue and regions', async () => {
    const root = shopProject({ '0001_initial': INITIAL, '0002_index': migration('0001_initial', ADD_INDEX) });
    const result = await runCli(['check', root, '--format', 'sarif', '--server-version', '15']);
    assert.equal(result.code, 0, result.stderr);
    const log = JSON.parse(result.stdout);
    assert.equal(log.version, '2.1.0');
    const [run] = log.runs;
    assert.equal(run.tool.driver.name, 'django-migrations');
    assert.deepEqual(
      run.tool.driver.rules.map((r: { id: string }) => r.id),
      ['add-index-non-concurrent'],
    );
    assert.match(run.tool.driver.rules[0].shortDescription.text, /AddIndexConcurrently/);
    assert.deepEqual(
      run.results.map((r: { ruleId: string; level: string; ruleIndex: number }) => [r.ruleId, r.level, r.ruleIndex]),
      [['add-index-non-concurrent', 'warning', 0]],
    );
    assert.deepEqual(run.results[0].locations[0].physicalLocation, {
      artifactLocation: { uri: 'shop/migrations/0002_index.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 9, startColumn: 9, endLine: 9, endColumn: 28 },
    });
  });

  it('reads [tool.django-migrations]: severities, baseline, and a wrong rule id reported in pyproject.toml', async () => {
    const pyproject = [
      '[project]',
      'name = "shop"',
      '',
      '[tool.django-migrations]',
      'baseline = "shop.0002"',
      'ignore = ["add-index-non-concurent"]',
      '',
      '[tool.django-migrations.severity]',
      'remove-field = "error"',
      '',
    ].join('\n');
    const root = shopProject(
      { '0001_initial': INITIAL, '0002_index': migration('0001_initial', ADD_INDEX), '0003_drop': migration('0002_index', REMOVE_FIELD) },
      pyproject,
    );
    const result = await runCli(['check', root, '--server-version', '15']);
    assert.equal(result.code, 1);
    assert.deepEqual(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.replace(/ \[([a-z-]+)\] .*/, ' [$1]')),
      [
        'pyproject.toml:6:11: error [project-configuration]',
        'shop/migrations/0003_drop.py:9:9: error [remove-field]',
        '2 problem(s), 2 error(s)',
      ],
    );
    assert.match(result.stdout, /Unknown rule 'add-index-non-concurent'/);
    writeFiles(root, { 'pyproject.toml': '[tool.django-migrations\nignore = [' });
    const broken = await runCli(['check', root, '--server-version', '15']);
    assert.match(
      broken.stdout,
      /^pyproject\.toml:1:1: error \[project-configuration\] \[tool\.django-migrations\] pyproject\.toml is not valid TOML/m,
    );
  });

  it('baseline prints the baseline that covers every migration there is, which check then skips', async () => {
    const root = shopProject({
      '0001_initial': INITIAL,
      '0002_index': migration('0001_initial', ADD_INDEX),
      '0003_drop': migration('0002_index', REMOVE_FIELD),
    });
    const printed = await runCli(['baseline', root]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stdout, '# pyproject.toml\n[tool.django-migrations]\nbaseline = ["shop.0003"]\n');
    writeFiles(root, { 'pyproject.toml': printed.stdout });
    writeFiles(root, {
      'shop/migrations/0004_again.py': migration(
        '0003_drop',
        "        migrations.RemoveIndex(model_name='product', name='product_name_idx'),",
      ),
    });
    const result = await runCli(['check', root, '--format', 'json', '--server-version', '15']);
    assert.deepEqual(
      (JSON.parse(result.stdout) as { file: string; code: string }[]).map((p) => `${p.file} ${p.code}`),
      ['shop/migrations/0004_again.py remove-index-non-concurrent'],
    );
  });

  it('--changed-since lints only the migrations the branch adds', async () => {
    const root = shopProject({ '0001_initial': INITIAL, '0002_index': migration('0001_initial', ADD_INDEX) });
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: root,
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
      });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'initial');
    git('checkout', '-q', '-b', 'feature');
    writeFiles(root, { 'shop/migrations/0003_drop.py': migration('0002_index', REMOVE_FIELD) });
    git('add', '.');
    git('commit', '-q', '-m', 'drop');
    writeFiles(root, {
      'shop/migrations/0004_again.py': migration(
        '0003_drop',
        "        migrations.RemoveIndex(model_name='product', name='product_name_idx'),",
      ),
    });
    const result = await runCli(['check', root, '--format', 'json', '--changed-since', 'main', '--server-version', '15']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      (JSON.parse(result.stdout) as { file: string; code: string }[]).map((p) => `${p.file} ${p.code}`),
      ['shop/migrations/0003_drop.py remove-field', 'shop/migrations/0004_again.py remove-index-non-concurrent'],
    );
    const unknown = await runCli(['check', root, '--changed-since', 'no-such-branch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--changed-since no-such-branch/);
  });

  it('--changed-since: a table the branch creates is new, so indexing it blocks nobody; a table from before the branch is not', async () => {
    const root = shopProject({ '0001_initial': INITIAL });
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: root,
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
      });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'initial');
    git('checkout', '-q', '-b', 'feature');
    writeFiles(root, {
      'shop/migrations/0002_category.py': migration(
        '0001_initial',
        "        migrations.CreateModel(name='Category', fields=[('id', models.AutoField(primary_key=True)), ('title', models.CharField(max_length=50))]),",
      ),
      'shop/migrations/0003_indexes.py': migration(
        '0002_category',
        "        migrations.AddIndex(model_name='category', index=models.Index(fields=['title'], name='category_title_idx')),\n" +
          ADD_INDEX,
      ),
    });
    const findings = async (args: string[]) => {
      const result = await runCli(['check', root, '--format', 'json', '--server-version', '15', ...args]);
      assert.equal(result.code, 0, result.stderr);
      return (JSON.parse(result.stdout) as { file: string; line: number; code: string }[]).map((p) => `${p.file}:${p.line} ${p.code}`);
    };
    const product = 'shop/migrations/0003_indexes.py:10 add-index-non-concurrent';
    assert.deepEqual(await findings(['--changed-since', 'main']), [product]);
    // Without the branch nothing says when Category was made: both indexes warn.
    assert.deepEqual(await findings([]), ['shop/migrations/0003_indexes.py:9 add-index-non-concurrent', product]);
  });
});
