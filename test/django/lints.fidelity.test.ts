import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LintTarget } from '../../server/src/core/lints/lintRule';
import { parseServerVersion } from '../../server/src/core/lints/lintTarget';
import { PythonCall } from '../../server/src/core/pythonValue';
import { databaseSettingsFromDjango } from '../../server/src/db/databaseSettings';
import { readServerVersion } from '../../server/src/db/serverVersion';
import { djangoPostgresDatabase } from '../db/migratedDjangoProject';
import { testPostgresUrl } from '../db/postgresCluster';
import { applyFix } from '../unit/core/lints/applyFix';
import { codes, lintText, LintTextOptions } from '../unit/core/lints/lintText';
import { DJANGO_PYTHON } from './commandsProject';
import { LintFidelityProject, RunningMigrate, shopMigration } from './lintFidelityProject';

const run = promisify(execFile);

/**
 * Every PostgreSQL rule against the real thing: the offending migration applied by Django 3.2 to
 * PostgreSQL shows the lock or failure the rule warns about, seen from other sessions, and the
 * rewrite the rule suggests does not. Each migration is linted at the server's own version.
 */
describe('lint rules on a real PostgreSQL', function () {
  this.timeout(180_000);
  let serverUrl: string;
  let target: LintTarget;
  let project: LintFidelityProject;

  before(async () => {
    serverUrl = await testPostgresUrl();
    const version = await readServerVersion(databaseSettingsFromDjango(djangoPostgresDatabase(serverUrl)));
    assert.ok(version, 'the server reports server_version_num');
    target = { alias: 'default', vendor: 'postgresql', version: parseServerVersion(version)!, versionSource: 'server' };
  });
  beforeEach(async () => {
    project = await LintFidelityProject.create(serverUrl);
  });
  afterEach(async () => {
    await project?.dispose();
  });

  const lint = (text: string, options: LintTextOptions = {}) => lintText(text, { targets: [target], name: '0002_change', ...options });
  const applied = async (migrate: Promise<{ code: number | null; output: string }>) => {
    const result = await migrate;
    assert.equal(result.code, 0, result.output);
    return result;
  };
  const insertProduct = "INSERT INTO shop_product (name) VALUES ('during the migration')";

  /**
   * Starts migrating to `name` while another session's write to `table` is open, and returns
   * what the migrate holds or waits for on the table once `until` sees it, and how a further
   * statement from a third session fares meanwhile.
   */
  async function duringMigrate(
    name: string,
    table: string,
    writerValues: string,
    probe: string,
    until: (locks: { mode: string; granted: boolean }[]) => boolean,
  ) {
    let running: RunningMigrate | undefined;
    const seen = await project.withOpenWriter(table, writerValues, async (writer) => {
      running = project.startMigrate(name);
      const locks = await project.locksOn(table, writer, until);
      return { locks, probe: await project.query(probe, 300) };
    });
    return { ...seen, done: running!.done };
  }
  const waitingFor = (mode: string) => (locks: { mode: string; granted: boolean }[]) => locks.some((l) => l.mode === mode && !l.granted);
  const holding = (mode: string) => (locks: { mode: string; granted: boolean }[]) => locks.some((l) => l.mode === mode && l.granted);

  it('add-index-non-concurrent: AddIndex blocks writes for the build; the AddIndexConcurrently fix does not', async () => {
    const text = shopMigration(
      '0001_initial',
      "        migrations.AddIndex(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),",
    );
    const problems = await lint(text);
    assert.deepEqual(codes(problems), ['add-index-non-concurrent']);
    project.writeMigration('0002_change', text);
    const blocked = await duringMigrate('0002_change', 'shop_product', "(name) VALUES ('writer')", insertProduct, waitingFor('ShareLock'));
    assert.deepEqual(blocked.probe, { error: '55P03', message: 'canceling statement due to lock timeout' });
    await applied(blocked.done);

    await applied(project.migrate('0001_initial'));
    const fixed = applyFix(text, problems[0], /concurrently/);
    assert.deepEqual(codes(await lint(fixed)), []);
    project.writeMigration('0002_change', fixed);
    const concurrent = await duringMigrate(
      '0002_change',
      'shop_product',
      "(name) VALUES ('writer')",
      insertProduct,
      holding('ShareUpdateExclusiveLock'),
    );
    assert.ok('rows' in concurrent.probe, JSON.stringify(concurrent.probe));
    await applied(concurrent.done);
    const index = await project.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'product_name_idx'::regclass");
    assert.deepEqual(index, { rows: [{ indisvalid: true }] });
  });

  it('remove-index-non-concurrent: RemoveIndex waits for an ACCESS EXCLUSIVE lock, queueing reads; the fix does not', async () => {
    project.writeMigration(
      '0002_index',
      shopMigration(
        '0001_initial',
        "        migrations.AddIndex(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),",
      ),
    );
    await applied(project.migrate('0002_index'));
    const text = shopMigration('0002_index', "        migrations.RemoveIndex(model_name='product', name='product_name_idx'),");
    const problems = await lint(text);
    assert.deepEqual(codes(problems), ['remove-index-non-concurrent']);
    project.writeMigration('0003_change', text);
    const blocked = await duringMigrate(
      '0003_change',
      'shop_product',
      "(name) VALUES ('writer')",
      'SELECT count(*) FROM shop_product',
      waitingFor('AccessExclusiveLock'),
    );
    assert.equal('error' in blocked.probe && blocked.probe.error, '55P03');
    await applied(blocked.done);

    await applied(project.migrate('0002_index'));
    const fixed = applyFix(text, problems[0], /concurrently/);
    assert.deepEqual(codes(await lint(fixed)), []);
    project.writeMigration('0003_change', fixed);
    const concurrent = await duringMigrate(
      '0003_change',
      'shop_product',
      "(name) VALUES ('writer')",
      insertProduct,
      holding('ShareUpdateExclusiveLock'),
    );
    assert.ok('rows' in concurrent.probe, JSON.stringify(concurrent.probe));
    await applied(concurrent.done);
  });

  it('concurrent-index-in-atomic-migration: Django refuses it with NotSupportedError; atomic = False applies it', async () => {
    const text = shopMigration(
      '0001_initial',
      "        AddIndexConcurrently(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),",
      { imports: 'from django.contrib.postgres.operations import AddIndexConcurrently' },
    );
    const problems = await lint(text);
    assert.deepEqual(codes(problems), ['concurrent-index-in-atomic-migration']);
    project.writeMigration('0002_change', text);
    const failed = await project.migrate('0002_change');
    assert.notEqual(failed.code, 0);
    assert.match(failed.output, /NotSupportedError: The AddIndexConcurrently operation cannot be executed inside a transaction/);
    const fixed = applyFix(text, problems[0], 'Set atomic = False on the migration');
    assert.deepEqual(codes(await lint(fixed)), []);
    project.writeMigration('0002_change', fixed);
    await applied(project.migrate('0002_change'));
  });

  it("add-unique-constraint: the constraint's index is built while writes wait; CREATE UNIQUE INDEX CONCURRENTLY lets them go on", async () => {
    const addConstraint =
      "migrations.AddConstraint(model_name='product', constraint=models.UniqueConstraint(fields=['name'], name='unique_product_name'))";
    const text = shopMigration('0001_initial', `        ${addConstraint},`);
    assert.deepEqual(codes(await lint(text)), ['add-unique-constraint']);
    project.writeMigration('0002_change', text);
    const blocked = await duringMigrate('0002_change', 'shop_product', "(name) VALUES ('writer')", insertProduct, (locks) =>
      locks.some((l) => !l.granted),
    );
    assert.equal('error' in blocked.probe && blocked.probe.error, '55P03');
    await applied(blocked.done);

    await applied(project.migrate('0001_initial'));
    const rewrite = shopMigration(
      '0001_initial',
      `        migrations.SeparateDatabaseAndState(\n            state_operations=[${addConstraint}],\n            database_operations=[\n` +
        "                migrations.RunSQL('CREATE UNIQUE INDEX CONCURRENTLY unique_product_name ON shop_product (name)', 'DROP INDEX unique_product_name'),\n" +
        "                migrations.RunSQL('ALTER TABLE shop_product ADD CONSTRAINT unique_product_name UNIQUE USING INDEX unique_product_name', migrations.RunSQL.noop),\n" +
        '            ],\n        ),',
      { atomic: false },
    );
    assert.deepEqual(codes(await lint(rewrite)), []);
    project.writeMigration('0002_change', rewrite);
    const concurrent = await duringMigrate(
      '0002_change',
      'shop_product',
      "(name) VALUES ('second writer')",
      insertProduct,
      holding('ShareUpdateExclusiveLock'),
    );
    assert.ok('rows' in concurrent.probe, JSON.stringify(concurrent.probe));
    await applied(concurrent.done);
    const constraint = await project.query("SELECT contype FROM pg_constraint WHERE conname = 'unique_product_name'");
    assert.deepEqual(constraint, { rows: [{ contype: 'u' }] });
  });

  it('add-check-constraint: the check scans every row under an ACCESS EXCLUSIVE lock; NOT VALID skips the scan and VALIDATE lets writes go on', async () => {
    const text = shopMigration(
      '0001_initial',
      "        migrations.AddConstraint(model_name='product', constraint=models.CheckConstraint(check=models.Q(quantity__gte=0), name='quantity_gte_0')),",
    );
    assert.deepEqual(codes(await lint(text)), ['add-check-constraint']);
    project.writeMigration('0002_change', text);
    const blocked = await duringMigrate(
      '0002_change',
      'shop_product',
      "(name) VALUES ('writer')",
      'SELECT count(*) FROM shop_product',
      waitingFor('AccessExclusiveLock'),
    );
    assert.equal('error' in blocked.probe && blocked.probe.error, '55P03');
    await applied(blocked.done);
    await applied(project.migrate('0001_initial'));

    // The scan: an existing row that breaks the check fails the plain constraint, not the NOT VALID one.
    await project.query("INSERT INTO shop_product (name, quantity) VALUES ('negative', -1)");
    const scanned = await project.migrate('0002_change');
    assert.notEqual(scanned.code, 0);
    assert.match(scanned.output, /CheckViolation|violated by some row/);
    const notValid = shopMigration(
      '0001_initial',
      "        migrations.RunSQL('ALTER TABLE shop_product ADD CONSTRAINT quantity_gte_0 CHECK (quantity >= 0) NOT VALID', 'ALTER TABLE shop_product DROP CONSTRAINT quantity_gte_0', state_operations=[\n" +
        "            migrations.AddConstraint(model_name='product', constraint=models.CheckConstraint(check=models.Q(quantity__gte=0), name='quantity_gte_0')),\n        ]),",
    );
    assert.deepEqual(codes(await lint(notValid)), []);
    project.writeMigration('0002_change', notValid);
    await applied(project.migrate('0002_change'));
    await project.query("DELETE FROM shop_product WHERE name = 'negative'");
    project.writeMigration(
      '0003_validate',
      shopMigration(
        '0002_change',
        "        migrations.RunSQL('ALTER TABLE shop_product VALIDATE CONSTRAINT quantity_gte_0', migrations.RunSQL.noop),",
      ),
    );
    await project.withOpenWriter('shop_product', "(name, quantity) VALUES ('writer', 1)", () => applied(project.migrate('0003_validate')));
  });

  it('add-foreign-key: the new foreign key locks the referenced table against writes; db_constraint=False and VALIDATE do not', async () => {
    const text = shopMigration(
      '0001_initial',
      "        migrations.AddField(model_name='product', name='category', field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='shop.category')),",
    );
    assert.deepEqual(codes(await lint(text)), ['add-foreign-key']);
    project.writeMigration('0002_change', text);
    const blocked = await duringMigrate(
      '0002_change',
      'shop_category',
      "(title) VALUES ('writer')",
      "INSERT INTO shop_category (title) VALUES ('during')",
      waitingFor('ShareRowExclusiveLock'),
    );
    assert.equal('error' in blocked.probe && blocked.probe.error, '55P03');
    await applied(blocked.done);
    await applied(project.migrate('0001_initial'));

    const withoutConstraint = text.replace('null=True,', 'null=True, db_constraint=False,');
    assert.deepEqual(codes(await lint(withoutConstraint)), []);
    project.writeMigration('0002_change', withoutConstraint);
    await project.withOpenWriter('shop_category', "(title) VALUES ('writer')", () => applied(project.migrate('0002_change')));
    await project.query(
      'ALTER TABLE shop_product ADD CONSTRAINT shop_product_category_fk FOREIGN KEY (category_id) REFERENCES shop_category (id) NOT VALID',
    );
    project.writeMigration(
      '0003_validate',
      shopMigration(
        '0002_change',
        "        migrations.RunSQL('ALTER TABLE shop_product VALIDATE CONSTRAINT shop_product_category_fk', migrations.RunSQL.noop),",
      ),
    );
    await project.withOpenWriter('shop_category', "(title) VALUES ('writer')", () => applied(project.migrate('0003_validate')));
  });

  it("add-field-not-null: the previous release's INSERT fails once the column is NOT NULL; null=True keeps it working", async () => {
    const text = shopMigration(
      '0001_initial',
      "        migrations.AddField(model_name='product', name='price', field=models.IntegerField(default=0)),",
    );
    const problems = await lint(text);
    assert.deepEqual(codes(problems), ['add-field-not-null']);
    project.writeMigration('0002_change', text);
    await applied(project.migrate('0002_change'));
    const oldCode = "INSERT INTO shop_product (name, quantity) VALUES ('from the previous release', 1)";
    const rejected = await project.query(oldCode);
    assert.equal('error' in rejected && rejected.error, '23502', JSON.stringify(rejected));
    await applied(project.migrate('0001_initial'));
    const fixed = applyFix(text, problems[0], /null=True/);
    assert.deepEqual(codes(await lint(fixed)), []);
    project.writeMigration('0002_change', fixed);
    await applied(project.migrate('0002_change'));
    assert.ok('rows' in (await project.query(oldCode)));
  });

  const integerField = (className: string, keyword?: { name: string; value: PythonCall['kwargs'][number]['value'] }): PythonCall => ({
    kind: 'call',
    callee: `models.${className}`,
    calleeRange: zero,
    args: [],
    kwargs: keyword ? [{ name: keyword.name, nameRange: zero, value: keyword.value }] : [],
    range: zero,
  });

  it('alter-field-not-null: SET NOT NULL waits for an ACCESS EXCLUSIVE lock; a NOT VALID check validated later does not block writes', async () => {
    const state = {
      fieldBefore: () => integerField('IntegerField', { name: 'null', value: { kind: 'constant', value: true, range: zero } }),
    };
    const text = shopMigration(
      '0001_initial',
      "        migrations.AlterField(model_name='product', name='quantity', field=models.IntegerField(default=0)),",
    );
    assert.deepEqual(codes(await lint(text, { state })), ['alter-field-not-null']);
    assert.deepEqual(codes(await lint(text)), [], 'without the previous definition the rule does not guess');
    project.writeMigration('0002_change', text);
    const blocked = await duringMigrate(
      '0002_change',
      'shop_product',
      "(name) VALUES ('writer')",
      'SELECT count(*) FROM shop_product',
      waitingFor('AccessExclusiveLock'),
    );
    assert.equal('error' in blocked.probe && blocked.probe.error, '55P03');
    // Django fills the NULLs with the default (the open writer's row too, once it commits), then sets NOT NULL.
    await applied(blocked.done);
    await applied(project.migrate('0001_initial'));

    project.writeMigration(
      '0002_change',
      shopMigration(
        '0001_initial',
        "        migrations.RunSQL('ALTER TABLE shop_product ADD CONSTRAINT quantity_not_null CHECK (quantity IS NOT NULL) NOT VALID', migrations.RunSQL.noop),",
      ),
    );
    await applied(project.migrate('0002_change'));
    project.writeMigration(
      '0003_validate',
      shopMigration(
        '0002_change',
        "        migrations.RunSQL('ALTER TABLE shop_product VALIDATE CONSTRAINT quantity_not_null', migrations.RunSQL.noop),",
      ),
    );
    await project.withOpenWriter('shop_product', "(name, quantity) VALUES ('writer', 1)", () => applied(project.migrate('0003_validate')));
  });

  it('alter-field-type: a type change rewrites the table under an ACCESS EXCLUSIVE lock; a longer varchar does not rewrite', async () => {
    const state = {
      fieldBefore: (_app: string, _model: string, field: string) =>
        field === 'quantity'
          ? integerField('IntegerField')
          : integerField('CharField', { name: 'max_length', value: { kind: 'number', value: 100, text: '100', range: zero } }),
    };
    const text = shopMigration(
      '0001_initial',
      "        migrations.AlterField(model_name='product', name='quantity', field=models.BigIntegerField(null=True)),",
    );
    assert.deepEqual(codes(await lint(text, { state })), ['alter-field-type']);
    project.writeMigration('0002_change', text);
    const before = await project.relfilenode('shop_product');
    const blocked = await duringMigrate(
      '0002_change',
      'shop_product',
      "(name) VALUES ('writer')",
      'SELECT count(*) FROM shop_product',
      waitingFor('AccessExclusiveLock'),
    );
    assert.equal('error' in blocked.probe && blocked.probe.error, '55P03');
    await applied(blocked.done);
    assert.notEqual(await project.relfilenode('shop_product'), before, 'the table was rewritten');

    const longer = shopMigration(
      '0002_change',
      "        migrations.AlterField(model_name='product', name='name', field=models.CharField(max_length=200)),",
    );
    assert.deepEqual(codes(await lint(longer, { state })), []);
    project.writeMigration('0003_longer', longer);
    const unchanged = await project.relfilenode('shop_product');
    await applied(project.migrate('0003_longer'));
    assert.equal(await project.relfilenode('shop_product'), unchanged, 'no rewrite');
  });

  it('add-field-default-rewrite: on this server a constant default does not rewrite the table, a volatile one does', async () => {
    const constant = shopMigration(
      '0001_initial',
      "        migrations.AddField(model_name='product', name='price', field=models.IntegerField(default=0, null=True)),",
    );
    assert.deepEqual(
      codes(await lint(constant)),
      [],
      `PostgreSQL ${target.version!.join('.')} stores a constant default without a rewrite`,
    );
    assert.deepEqual(codes(await lint(constant, { targets: [{ ...target, version: [10, 0] }] })), ['add-field-default-rewrite']);
    project.writeMigration('0002_change', constant);
    const before = await project.relfilenode('shop_product');
    await applied(project.migrate('0002_change'));
    assert.equal(await project.relfilenode('shop_product'), before);

    // Django 5's db_default=RandomUUID() is ADD COLUMN ... DEFAULT gen_random_uuid(), run here through RunSQL on Django 3.2.
    const volatile = "        migrations.AddField(model_name='product', name='token', field=models.UUIDField(db_default=RandomUUID())),";
    assert.deepEqual(codes(await lint(shopMigration('0002_change', volatile))), ['add-field-default-rewrite']);
    project.writeMigration(
      '0003_token',
      shopMigration(
        '0002_change',
        "        migrations.RunSQL('ALTER TABLE shop_product ADD COLUMN token uuid DEFAULT gen_random_uuid()', migrations.RunSQL.noop),",
      ),
    );
    await applied(project.migrate('0003_token'));
    assert.notEqual(await project.relfilenode('shop_product'), before, 'the table was rewritten');
  });

  const oldRelease = 'SELECT id, name, quantity FROM shop_product LIMIT 1';
  for (const { rule, operation, query, error, safe } of [
    {
      rule: 'remove-field',
      operation: "migrations.RemoveField(model_name='product', name='quantity')",
      query: oldRelease,
      error: '42703',
      safe: 'fix',
    },
    {
      rule: 'delete-model',
      operation: "migrations.DeleteModel(name='Category')",
      query: 'SELECT id, title FROM shop_category LIMIT 1',
      error: '42P01',
      safe: 'fix',
    },
    {
      rule: 'rename-field',
      operation: "migrations.RenameField(model_name='product', old_name='quantity', new_name='stock')",
      query: oldRelease,
      error: '42703',
      safe:
        "migrations.SeparateDatabaseAndState(state_operations=[migrations.RenameField(model_name='product', old_name='quantity', new_name='stock'), " +
        "migrations.AlterField(model_name='product', name='stock', field=models.IntegerField(null=True, db_column='quantity'))])",
    },
    {
      rule: 'rename-model',
      operation: "migrations.RenameModel(old_name='Category', new_name='Group')",
      query: 'SELECT id, title FROM shop_category LIMIT 1',
      error: '42P01',
      safe: "migrations.SeparateDatabaseAndState(state_operations=[migrations.RenameModel(old_name='Category', new_name='Group'), migrations.AlterModelTable(name='group', table='shop_category')])",
    },
  ]) {
    it(`${rule}: the previous release's queries fail after it; the rewrite keeps them working`, async () => {
      const text = shopMigration('0001_initial', `        ${operation},`);
      const problems = await lint(text);
      assert.deepEqual(codes(problems), [rule]);
      project.writeMigration('0002_change', text);
      await applied(project.migrate('0002_change'));
      const broken = await project.query(query);
      assert.equal('error' in broken && broken.error, error, JSON.stringify(broken));
      await applied(project.migrate('0001_initial'));
      const rewrite = safe === 'fix' ? applyFix(text, problems[0], /state only/) : shopMigration('0001_initial', `        ${safe},`);
      assert.deepEqual(codes(await lint(rewrite)), []);
      project.writeMigration('0002_change', rewrite);
      await applied(project.migrate('0002_change'));
      assert.ok('rows' in (await project.query(query)));
    });
  }

  it('mysql-identifier-too-long: Django shortens the names it makes up and keeps the ones a migration spells out, as the rule assumes', async () => {
    const longModel = `Product${'x'.repeat(60)}`;
    const longField = `price_${'y'.repeat(62)}`;
    const text = shopMigration(
      '0001_initial',
      `        migrations.CreateModel(name='${longModel}', fields=[('id', models.AutoField(primary_key=True)), ` +
        `('${longField.slice(0, 63)}', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='shop.category'))]),\n` +
        `        migrations.AddField(model_name='product', name='${longField}', field=models.IntegerField(null=True)),`,
    );
    project.writeMigration('0002_change', text);
    const { stdout } = await run(DJANGO_PYTHON, ['manage.py', 'sqlmigrate', 'shop', '0002_change'], { cwd: project.root });
    const mysql: LintTarget = { alias: 'default', vendor: 'mysql', version: [8, 0], versionSource: 'setting' };
    const findings = await lint(text, { targets: [mysql] });
    const named = findings
      .filter((p) => p.code === 'mysql-identifier-too-long')
      .map((p) => /name '([^']+)'/.exec(p.message)![1])
      .sort();
    // The rule's names are the ones Django writes verbatim...
    for (const name of named) assert.ok(stdout.includes(`"${name}"`), `sqlmigrate writes "${name}" as it is:\n${stdout}`);
    assert.deepEqual(named, [`${longField.slice(0, 63)}_id`, longField].sort());
    // ...and the table name Django makes up from app and model is shortened with a hash, so the rule leaves it alone.
    const table = /CREATE TABLE "([^"]+)"/.exec(stdout)![1];
    assert.ok(table.length <= 63 && table.startsWith('shop_product'), table);
  });
});

const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
