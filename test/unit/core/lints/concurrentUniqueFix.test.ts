import * as assert from 'node:assert/strict';
import { MigrationStateOracle } from '../../../../server/src/core/lints/lintRule';
import { PythonCall } from '../../../../server/src/core/pythonValue';
import { Problem } from '../../../../server/src/core/problem';
import { parseMigration } from '../../../../server/src/python/migrationParser';
import { loadPythonParser } from '../../../../server/src/python/pythonParser';
import { applyFix } from './applyFix';
import { codes, lintText, migrationText } from './lintText';

/** The field calls of `product` as a migration state would answer them. */
async function stateWith(fields: Record<string, string>, table = 'shop_product'): Promise<MigrationStateOracle> {
  const parser = await loadPythonParser();
  const calls = new Map<string, PythonCall>();
  for (const [name, source] of Object.entries(fields)) {
    const call = parseMigration(parser, migrationText(`        migrations.AddField('product', '${name}', ${source}),`)).operations[0].call;
    calls.set(name, call.args[2] as PythonCall);
  }
  return {
    tableExistedBefore: () => true,
    tableNameBefore: (_app, model) => (model === 'product' ? table : undefined),
    fieldBefore: (_app, model, field) => (model === 'product' ? calls.get(field) : undefined),
  };
}

const TITLE = /unique index concurrently/;
const offered = (problems: Problem[]) =>
  (problems.find((p) => p.code === 'add-unique-constraint')?.fixes ?? []).some((f) => 'title' in f && TITLE.test(f.title));
const addConstraint = (constraint: string) => `        migrations.AddConstraint('product', ${constraint}),`;

describe('add-unique-constraint: the concurrent rewrite', () => {
  it('builds the index concurrently on the columns the state knows, attaches it, and makes the migration non-atomic', async () => {
    const state = await stateWith({
      sku: 'models.CharField(max_length=20)',
      category: "models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.category')",
      code: "models.CharField(max_length=5, db_column='legacy_code')",
    });
    const text = migrationText(addConstraint("models.UniqueConstraint(fields=['sku', 'category', 'code'], name='unique_sku')"));
    const fixed = applyFix(text, (await lintText(text, { state }))[0], TITLE);
    assert.equal(
      fixed,
      migrationText(
        [
          '        migrations.SeparateDatabaseAndState(',
          '            state_operations=[',
          "                migrations.AddConstraint('product', models.UniqueConstraint(fields=['sku', 'category', 'code'], name='unique_sku')),",
          '            ],',
          '            database_operations=[',
          '                migrations.RunSQL(',
          `                    'CREATE UNIQUE INDEX CONCURRENTLY "unique_sku" ON "shop_product" ("sku", "category_id", "legacy_code")',`,
          `                    'DROP INDEX IF EXISTS "unique_sku"',`,
          '                ),',
          '                migrations.RunSQL(',
          `                    'ALTER TABLE "shop_product" ADD CONSTRAINT "unique_sku" UNIQUE USING INDEX "unique_sku"',`,
          `                    'ALTER TABLE "shop_product" DROP CONSTRAINT "unique_sku"',`,
          '                ),',
          '            ],',
          '        ),',
        ].join('\n'),
      ).replace('\n\n    dependencies', '\n\n    atomic = False\n\n    dependencies'),
    );
    assert.deepEqual(codes(await lintText(fixed, { state })), []);
  });

  it('offers nothing where Django would build another index, or a name or column is not known', async () => {
    const state = await stateWith({ sku: 'models.CharField(max_length=20)', tags: "models.ManyToManyField(to='shop.tag')" });
    const fine = addConstraint("models.UniqueConstraint(fields=['sku'], name='unique_sku')");
    assert.equal(offered(await lintText(migrationText(fine), { state })), true);
    assert.equal(offered(await lintText(migrationText(fine))), false, 'no state: table and columns unknown');
    for (const constraint of [
      "models.UniqueConstraint(fields=['sku'], name='unique_sku', condition=models.Q(sku__gt=''))",
      "models.UniqueConstraint(models.F('sku'), name='unique_sku')",
      "models.UniqueConstraint(fields=['sku'], name='unique_sku', deferrable=models.Deferrable.DEFERRED)",
      "models.UniqueConstraint(fields=['missing'], name='unique_sku')",
      "models.UniqueConstraint(fields=['tags'], name='unique_sku')",
      "models.UniqueConstraint(fields=['sku'], name='%(app_label)s_sku')",
      `models.UniqueConstraint(fields=['sku'], name='${'n'.repeat(64)}')`,
    ]) {
      assert.equal(offered(await lintText(migrationText(addConstraint(constraint)), { state })), false, constraint);
    }
    const long = await stateWith({ sku: 'models.CharField(max_length=20)' }, `shop_${'p'.repeat(60)}`);
    assert.equal(offered(await lintText(migrationText(fine), { state: long })), false, 'a table name Django shortens');
  });
});
