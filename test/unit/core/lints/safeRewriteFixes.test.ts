import * as assert from 'node:assert/strict';
import { MigrationStateOracle } from '../../../../server/src/core/lints/lintRule';
import { PythonCall } from '../../../../server/src/core/pythonValue';
import { parseMigration } from '../../../../server/src/python/migrationParser';
import { loadPythonParser } from '../../../../server/src/python/pythonParser';
import { applyFix } from './applyFix';
import { codes, lintText, LintTextOptions, migrationText, MYSQL_8, POSTGRES_10, POSTGRES_15 } from './lintText';

/** A field call as the parser reads it from source text. */
async function field(text: string): Promise<PythonCall> {
  const parsed = parseMigration(await loadPythonParser(), migrationText(`        migrations.AddField('product', 'x', ${text}),`));
  return parsed.operations[0].call.args[2] as PythonCall;
}

/** A migration state where shop.product and shop.category exist, `before` being the field the operation replaces. */
async function state(before?: string): Promise<MigrationStateOracle> {
  const call = before === undefined ? undefined : await field(before);
  return {
    tableExistedBefore: () => true,
    tableNameBefore: (app, model) => `${app}_${model}`,
    fieldBefore: () => call,
    relationTargetBefore: () => ({ table: 'shop_category', column: 'id', fieldClass: 'AutoField' }),
  };
}

/** The titles of the fixes on the finding of `rule`, without the suppression. */
async function fixTitles(operation: string, rule: string, options: LintTextOptions): Promise<string[]> {
  const problems = await lintText(migrationText(`        ${operation},`), options);
  const problem = problems.find((p) => p.code === rule);
  assert.ok(problem, `${rule} among ${JSON.stringify(codes(problems))}`);
  return (problem.fixes ?? []).map((f) => ('title' in f ? f.title : f.fix)).filter((t) => t !== 'Suppress for this operation');
}

const FOREIGN_KEY =
  "migrations.AddField('product', 'category', models.ForeignKey(null=True, on_delete=models.CASCADE, to='shop.category'))";
const UNIQUE = "migrations.AddField('product', 'sku', models.CharField(max_length=20, null=True, unique=True))";
const NOT_NULL = "migrations.AlterField('product', 'quantity', models.IntegerField(default=0))";

describe('PostgreSQL safe rewrites: where each quick fix is offered', () => {
  it('add-foreign-key: for a ForeignKey to a known primary key on PostgreSQL only', async () => {
    const title = 'Add the foreign key NOT VALID, then validate it (atomic = False)';
    assert.deepEqual(await fixTitles(FOREIGN_KEY, 'add-foreign-key', { state: await state() }), [title]);
    assert.deepEqual(await fixTitles(FOREIGN_KEY, 'add-foreign-key', {}), [], 'no state: table names unknown');
    assert.deepEqual(await fixTitles(FOREIGN_KEY, 'add-foreign-key', { state: await state(), targets: [POSTGRES_15, MYSQL_8] }), []);
    for (const other of ["to_field='title', ", 'unique=True, ', 'db_index=DB_INDEX, ']) {
      const operation = FOREIGN_KEY.replace('null=True, ', `null=True, ${other}`);
      assert.deepEqual(await fixTitles(operation, 'add-foreign-key', { state: await state() }), [], other);
    }
    const oneToOne = FOREIGN_KEY.replace('ForeignKey', 'OneToOneField');
    assert.deepEqual(await fixTitles(oneToOne, 'add-foreign-key', { state: await state() }), []);
  });

  it('add-foreign-key: db_index=False leaves out the index; db_column names the column', async () => {
    const text = migrationText(`        ${FOREIGN_KEY.replace('null=True, ', "null=True, db_index=False, db_column='cat', ")},`);
    const [problem] = await lintText(text, { state: await state() });
    const rewrite = applyFix(text, problem, /NOT VALID/);
    assert.doesNotMatch(rewrite, /CREATE INDEX/);
    assert.match(rewrite, /FOREIGN KEY \("cat"\) REFERENCES "shop_category" \("id"\)/);
    assert.match(rewrite, /db_index=False, db_column='cat', on_delete=models\.CASCADE, to='shop\.category', db_constraint=False\)/);
  });

  it('add-unique-constraint / add-index-non-concurrent on a field: only for column types whose indexes are known', async () => {
    assert.deepEqual(await fixTitles(UNIQUE, 'add-unique-constraint', { state: await state() }), [
      'Build the unique index concurrently, then attach it (atomic = False)',
    ]);
    const custom = UNIQUE.replace('models.CharField', 'fields.ColourField');
    assert.deepEqual(await fixTitles(custom, 'add-unique-constraint', { state: await state() }), [], 'a custom column type');
    const integer = "migrations.AddField('product', 'rank', models.IntegerField(null=True, db_index=True))";
    const text = migrationText(`        ${integer},`);
    const [problem] = await lintText(text, { state: await state() });
    const rewrite = applyFix(text, problem, 'Build the index concurrently (atomic = False)');
    assert.match(rewrite, /CREATE INDEX CONCURRENTLY "shop_product_rank_[0-9a-f]{8}" ON "shop_product" \("rank"\)/);
    assert.doesNotMatch(rewrite, /_like/, 'an integer column has no _like index');
  });

  it('AlterField turning db_index on is reported where the previous field is known, with a fix when nothing else changes', async () => {
    const operation = "migrations.AlterField('product', 'name', models.CharField(max_length=100, db_index=True))";
    assert.deepEqual(await fixTitles(operation, 'add-index-non-concurrent', { state: await state('models.CharField(max_length=100)') }), [
      'Build the index concurrently (atomic = False)',
    ]);
    assert.deepEqual(await fixTitles(operation, 'add-index-non-concurrent', { state: await state('models.CharField(max_length=50)') }), []);
    const unknown = await lintText(migrationText(`        ${operation},`), {});
    assert.deepEqual(codes(unknown), [], 'the previous field unknown: no guess');
    const indexed = await lintText(migrationText(`        ${operation},`), {
      state: await state('models.CharField(max_length=100, db_index=True)'),
    });
    assert.deepEqual(codes(indexed), [], 'already indexed');
  });

  it('alter-field-not-null: on PostgreSQL 12+ only, for an AlterField that changes only null and a literal default', async () => {
    const title = 'Make it NOT NULL through a validated CHECK constraint (atomic = False)';
    const nullable = 'models.IntegerField(null=True)';
    assert.deepEqual(await fixTitles(NOT_NULL, 'alter-field-not-null', { state: await state(nullable) }), [title]);
    assert.deepEqual(await fixTitles(NOT_NULL, 'alter-field-not-null', { state: await state(nullable), targets: [POSTGRES_10] }), []);
    const callable = NOT_NULL.replace('default=0', 'default=compute');
    assert.deepEqual(await fixTitles(callable, 'alter-field-not-null', { state: await state(nullable) }), []);
    const retyped = NOT_NULL.replace('IntegerField', 'BigIntegerField');
    assert.deepEqual(
      await fixTitles(retyped, 'alter-field-not-null', { state: await state('models.BigIntegerField(null=True, help_text="x")') }),
      [],
    );
    const withoutDefault = NOT_NULL.replace('default=0', '');
    const text = migrationText(`        ${withoutDefault},`);
    const problems = await lintText(text, { state: await state(nullable) });
    assert.doesNotMatch(applyFix(text, problems[0], title), /UPDATE/, 'no default: nothing to backfill');
  });

  it('add-field-default-rewrite: for a literal or known volatile default; the backfill function is added once', async () => {
    const title = 'Add the column without the rewrite, then backfill it in batches (atomic = False)';
    const literal = "migrations.AddField('product', 'price', models.IntegerField(default=0, null=True))";
    const options = { state: await state(), targets: [POSTGRES_10] };
    assert.deepEqual(await fixTitles(literal, 'add-field-default-rewrite', options), [title]);
    const callable = "migrations.AddField('product', 'token', models.UUIDField(default=uuid.uuid4, null=True))";
    assert.deepEqual(await fixTitles(callable, 'add-field-default-rewrite', options), []);
    const text = migrationText(`        ${literal},`);
    const [problem] = (await lintText(text, options)).filter((p) => p.code === 'add-field-default-rewrite');
    const rewrite = applyFix(text, problem, title);
    assert.match(rewrite, /\n\n\ndef backfill_product_price\(apps, schema_editor\):\n/);
    assert.match(rewrite, /\[\('ALTER TABLE "shop_product" ALTER COLUMN "price" SET DEFAULT %s', \[0\]\)\]/);
    assert.match(rewrite, /migrations\.RunPython\(backfill_product_price, migrations\.RunPython\.noop\)/);
    assert.match(rewrite, /ALTER COLUMN "price" DROP DEFAULT/, 'Django does not keep default= in the database');
    assert.doesNotMatch(rewrite, /SET NOT NULL/, 'the field is nullable');
    assert.deepEqual(await fixTitles(literal, 'add-field-default-rewrite', { ...options, state: await state() }), [title]);
    const taken = migrationText(`        ${literal},`, { functions: 'def backfill_product_price(apps, schema_editor):\n    pass\n\n\n' });
    const [again] = (await lintText(taken, options)).filter((p) => p.code === 'add-field-default-rewrite');
    assert.deepEqual(
      again.fixes?.map((f) => ('title' in f ? f.title : f.fix)),
      ['Suppress for this operation'],
      'the name is taken',
    );
  });

  it('add-unique-constraint on AlterUniqueTogether: the new groups only, where the state knows the previous ones', async () => {
    const operation = "migrations.AlterUniqueTogether(name='product', unique_together={('name', 'quantity'), ('sku',)})";
    const known = (before: string[][]): MigrationStateOracle => ({
      ...baseState,
      uniqueTogetherBefore: () => before,
      fieldBefore: (_app, _model, name) => (name === 'quantity' ? quantity : name === 'sku' ? sku : plain),
    });
    const [plain, quantity, sku] = await Promise.all([
      field('models.CharField(max_length=100)'),
      field("models.IntegerField(db_column='qty')"),
      field('models.CharField(max_length=20)'),
    ]);
    const baseState = await state();
    const text = migrationText(`        ${operation},`);
    const [problem] = await lintText(text, { state: known([['sku']]) });
    const rewrite = applyFix(text, problem, 'Build the unique indexes concurrently, then attach them (atomic = False)');
    assert.match(rewrite, /CREATE UNIQUE INDEX CONCURRENTLY "shop_product_name_qty_[0-9a-f]{8}_uniq" ON "shop_product" \("name", "qty"\)/);
    assert.doesNotMatch(rewrite, /"sku"/, 'an existing group is left alone');
    assert.deepEqual(await fixTitles(operation, 'add-unique-constraint', { state: known([['name']]) }), [], 'a group removed');
    assert.deepEqual(await fixTitles(operation, 'add-unique-constraint', { state: baseState }), [], 'previous groups unknown');
    const restated = await lintText(text, { state: known([['name', 'quantity'], ['sku']]) });
    assert.deepEqual(codes(restated), [], 'nothing new: nothing built');
  });

  it("writes the file's own line endings", async () => {
    const text = migrationText(`        ${FOREIGN_KEY},`).replace(/\n/g, '\r\n');
    const [problem] = await lintText(text, { state: await state() });
    const rewrite = applyFix(text, problem, /NOT VALID/);
    assert.match(rewrite, /atomic = False\r\n/);
    assert.doesNotMatch(rewrite, /[^\r]\n/);
  });

  it('offers none of them for an operation nested in SeparateDatabaseAndState', async () => {
    const nested = `migrations.SeparateDatabaseAndState(database_operations=[${FOREIGN_KEY}])`;
    assert.deepEqual(await fixTitles(nested, 'add-foreign-key', { state: await state() }), []);
  });
});
