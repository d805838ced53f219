import * as assert from 'node:assert/strict';
import { LintTarget, MigrationStateOracle } from '../../../../server/src/core/lints/lintRule';
import { Problem } from '../../../../server/src/core/problem';
import { parseMigration } from '../../../../server/src/python/migrationParser';
import { loadPythonParser } from '../../../../server/src/python/pythonParser';
import { applyFix } from './applyFix';
import { codes, lintText, migrationText } from './lintText';

/** The call `models.X(...)` of `source` as the parser reads it, and its text. */
async function fieldCall(source: string) {
  const parser = await loadPythonParser();
  const text = migrationText(`        migrations.AddField('product', 'x', ${source}),`);
  const call = parseMigration(parser, text).operations[0].call;
  const field = call.kwargs.find((k) => k.name === 'field')?.value ?? call.args[2];
  assert.equal(field.kind, 'call');
  return field;
}

const withFixes = (problems: Problem[], code: string) => problems.find((p) => p.code === code)!;
const fixTitles = (problem: Problem) => (problem.fixes ?? []).map((f) => ('title' in f ? f.title : f.fix));

describe('rename-field and rename-model: keep the column or table', () => {
  it('pins a field defined earlier in the file to its old column, in the state only', async () => {
    const text = migrationText(
      [
        "        migrations.AlterField('product', 'quantity', models.IntegerField(null=True)),",
        "        migrations.RenameField('product', 'quantity', 'stock'),",
      ].join('\n'),
    );
    const fixed = applyFix(text, withFixes(await lintText(text), 'rename-field'), /Keep the column 'quantity'/);
    assert.equal(
      fixed,
      migrationText(
        [
          "        migrations.AlterField('product', 'quantity', models.IntegerField(null=True)),",
          '        migrations.SeparateDatabaseAndState(',
          '            state_operations=[',
          "                migrations.RenameField('product', 'quantity', 'stock'),",
          '                migrations.AlterField(',
          "                    model_name='product',",
          "                    name='stock',",
          "                    field=models.IntegerField(null=True, db_column='quantity'),",
          '                ),',
          '            ],',
          '            database_operations=[],',
          '        ),',
        ].join('\n'),
      ),
    );
    assert.deepEqual(codes(await lintText(fixed)), [], 'the rewrite is not reported again');
  });

  it("copies a relation from the migration that wrote it, with the imports it needs; the column is the attname's", async () => {
    const source = "models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.category')";
    const call = await fieldCall(source);
    const state: MigrationStateOracle = {
      tableExistedBefore: () => true,
      fieldBefore: (_app, model, field) => (model === 'product' && field === 'category' ? call : undefined),
      fieldSourceBefore: (_app, model, field) => (model === 'product' && field === 'category' ? source : undefined),
    };
    const text = migrationText("        migrations.RenameField(model_name='product', old_name='category', new_name='kind'),");
    const fixed = applyFix(text, withFixes(await lintText(text, { state }), 'rename-field'), /Keep the column 'category_id'/);
    assert.ok(fixed.startsWith('from django.db import migrations, models\nimport django.db.models.deletion\n'), fixed);
    assert.ok(
      fixed.includes("field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.category', db_column='category_id'),"),
      fixed,
    );
    assert.deepEqual(codes(await lintText(fixed, { state })), []);
  });

  it('offers no fix where the field is not known exactly, has no column, or is written again later in the file', async () => {
    const rename = "        migrations.RenameField('product', 'quantity', 'stock'),";
    const title = /Keep the column/;
    const fixed = (problems: Problem[]) => fixTitles(withFixes(problems, 'rename-field')).some((t) => title.test(t));
    assert.equal(fixed(await lintText(migrationText(rename))), false, 'no state: the field is unknown');
    const call = await fieldCall('models.IntegerField(null=True)');
    const unknownText: MigrationStateOracle = { fieldBefore: () => call, fieldSourceBefore: () => undefined };
    assert.equal(fixed(await lintText(migrationText(rename), { state: unknownText })), false, 'its text is not known as written');
    const later = "        migrations.AlterField('product', 'stock', models.IntegerField(default=0)),";
    const known: MigrationStateOracle = { fieldBefore: () => call, fieldSourceBefore: () => 'models.IntegerField(null=True)' };
    assert.equal(fixed(await lintText(migrationText(rename), { state: known })), true);
    assert.equal(fixed(await lintText(migrationText(`${rename}\n${later}`), { state: known })), false, 'a later AlterField moves it');
    const m2m = await fieldCall("models.ManyToManyField(to='shop.category')");
    const noColumn: MigrationStateOracle = {
      fieldBefore: () => m2m,
      fieldSourceBefore: () => "models.ManyToManyField(to='shop.category')",
    };
    assert.equal(fixed(await lintText(migrationText(rename), { state: noColumn })), false, 'a many-to-many field has no column');
    const opaque = await fieldCall('models.IntegerField(**options)');
    const unreadable: MigrationStateOracle = { fieldBefore: () => opaque, fieldSourceBefore: () => 'models.IntegerField(**options)' };
    assert.equal(fixed(await lintText(migrationText(rename), { state: unreadable })), false, 'unreadable arguments');
    const foreign = await fieldCall("helpers.MoneyField(max_digits=5, to='shop.category')");
    const elsewhere: MigrationStateOracle = {
      fieldBefore: () => foreign,
      fieldSourceBefore: () => "helpers.MoneyField(max_digits=5, to='shop.category')",
    };
    assert.equal(fixed(await lintText(migrationText(rename), { state: elsewhere })), false, 'a name this file cannot import');
  });

  it('pins a renamed model to its old table, in the state only', async () => {
    const state: MigrationStateOracle = {
      tableExistedBefore: () => true,
      tableNameBefore: (_app, model) => (model === 'category' ? 'shop_category' : undefined),
      hasAutoManyToManyBefore: () => false,
    };
    const text = migrationText("        migrations.RenameModel(old_name='Category', new_name='Section'),");
    const fixed = applyFix(text, withFixes(await lintText(text, { state }), 'rename-model'), /Keep the table 'shop_category'/);
    assert.equal(
      fixed,
      migrationText(
        [
          '        migrations.SeparateDatabaseAndState(',
          '            state_operations=[',
          "                migrations.RenameModel(old_name='Category', new_name='Section'),",
          '                migrations.AlterModelTable(',
          "                    name='section',",
          "                    table='shop_category',",
          '                ),',
          '            ],',
          '            database_operations=[],',
          '        ),',
        ].join('\n'),
      ),
    );
    assert.deepEqual(codes(await lintText(fixed, { state })), []);
  });

  it('offers no table fix when a many-to-many table is named after the model, or for AlterModelTable', async () => {
    const title = /Keep the table/;
    const fixed = (problems: Problem[]) => fixTitles(withFixes(problems, 'rename-model')).some((t) => title.test(t));
    const rename = "        migrations.RenameModel('Category', 'Section'),";
    const state = (m2m: boolean | undefined): MigrationStateOracle => ({
      tableNameBefore: () => 'shop_category',
      hasAutoManyToManyBefore: () => m2m,
    });
    assert.equal(fixed(await lintText(migrationText(rename), { state: state(false) })), true);
    assert.equal(fixed(await lintText(migrationText(rename), { state: state(true) })), false, 'an auto-created M2M table');
    assert.equal(fixed(await lintText(migrationText(rename), { state: state(undefined) })), false, 'relations not followed');
    assert.equal(fixed(await lintText(migrationText(rename))), false, 'no state: the table name is unknown');
    const m2m = "        migrations.AddField('product', 'categories', models.ManyToManyField(to='shop.category')),";
    assert.equal(fixed(await lintText(migrationText(`${m2m}\n${rename}`), { state: state(false) })), false, 'an M2M added earlier here');
    const long: MigrationStateOracle = { tableNameBefore: () => `shop_${'c'.repeat(60)}`, hasAutoManyToManyBefore: () => false };
    assert.equal(fixed(await lintText(migrationText(rename), { state: long })), false, 'a name Django shortens on PostgreSQL');
    const oracle: LintTarget = { alias: 'default', vendor: 'oracle' };
    const thirty: MigrationStateOracle = { tableNameBefore: () => `shop_${'c'.repeat(26)}`, hasAutoManyToManyBefore: () => false };
    assert.equal(fixed(await lintText(migrationText(rename), { state: thirty })), true);
    assert.equal(fixed(await lintText(migrationText(rename), { state: thirty, targets: [oracle] })), false, 'over 30 on Oracle');
    const alter = "        migrations.AlterModelTable('category', 'shop_sections'),";
    assert.equal(fixed(await lintText(migrationText(alter), { state: state(false) })), false);
  });
});
