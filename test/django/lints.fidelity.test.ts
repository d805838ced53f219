import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LintTarget } from '../../server/src/core/lints/lintRule';
import { parseServerVersion } from '../../server/src/core/lints/lintTarget';
import { PythonCall } from '../../server/src/core/pythonValue';
import { migrationKey } from '../../server/src/core/migration';
import { lintStateOracle } from '../../server/src/project/lintStateOracle';
import { loadProjects } from '../../server/src/project/projectLoader';
import { databaseSettingsFromDjango } from '../../server/src/db/databaseSettings';
import { readServerVersion } from '../../server/src/db/serverVersion';
import { djangoPostgresDatabase } from '../db/migratedDjangoProject';
import { testPostgresUrl } from '../db/postgresCluster';
import { applyFix } from '../unit/core/lints/applyFix';
import { codes, lintText, LintTextOptions } from '../unit/core/lints/lintText';
import { djangoAtLeast } from '../support/testDjango';
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
  /** The migration state before `name`, as the project on disk has it: the fixes copy table, column and field names from it. */
  const stateBefore = async (name: string) => {
    const [loaded] = await loadProjects(project.root, { trusted: false });
    return lintStateOracle(loaded, migrationKey('shop', name));
  };

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

  it("add-unique-constraint: the constraint's index is built while writes wait; its quick fix (CREATE UNIQUE INDEX CONCURRENTLY) lets them go on", async () => {
    const addConstraint =
      "migrations.AddConstraint(model_name='product', constraint=models.UniqueConstraint(fields=['name'], name='unique_product_name'))";
    const text = shopMigration('0001_initial', `        ${addConstraint},`);
    project.writeMigration('0002_change', text);
    const [loaded] = await loadProjects(project.root, { trusted: false });
    const state = lintStateOracle(loaded, migrationKey('shop', '0002_change'));
    const problems = await lint(text, { state });
    assert.deepEqual(codes(problems), ['add-unique-constraint']);
    const blocked = await duringMigrate('0002_change', 'shop_product', "(name) VALUES ('writer')", insertProduct, (locks) =>
      locks.some((l) => !l.granted),
    );
    assert.equal('error' in blocked.probe && blocked.probe.error, '55P03');
    await applied(blocked.done);

    await applied(project.migrate('0001_initial'));
    const rewrite = applyFix(text, problems[0], /unique index concurrently/);
    assert.match(rewrite, /CREATE UNIQUE INDEX CONCURRENTLY "unique_product_name" ON "shop_product" \("name"\)/);
    assert.deepEqual(codes(await lint(rewrite, { state })), []);
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
    // The rewrite also unapplies: the constraint goes, and its index with it.
    await applied(project.migrate('0001_initial'));
    assert.deepEqual(await project.query("SELECT relname FROM pg_class WHERE relname = 'unique_product_name'"), { rows: [] });
  });

  const writerValues = "(name) SELECT 'writer ' || pg_backend_pid()";
  for (const { rule, operation, fix } of [
    {
      rule: 'add-unique-constraint',
      operation: "migrations.AddField(model_name='product', name='sku', field=models.CharField(max_length=20, null=True, unique=True))",
      fix: /unique index concurrently/,
    },
    {
      rule: 'add-index-non-concurrent',
      operation: "migrations.AddField(model_name='product', name='code', field=models.CharField(max_length=20, null=True, db_index=True))",
      fix: /index concurrently/,
    },
    {
      rule: 'add-unique-constraint',
      operation: "migrations.AlterField(model_name='product', name='name', field=models.CharField(max_length=100, unique=True))",
      fix: /unique index concurrently/,
    },
    {
      rule: 'add-index-non-concurrent',
      operation: "migrations.AlterField(model_name='product', name='quantity', field=models.IntegerField(null=True, db_index=True))",
      fix: /index concurrently/,
    },
    {
      rule: 'add-unique-constraint',
      operation: "migrations.AlterUniqueTogether(name='product', unique_together={('name', 'quantity')})",
      fix: /unique indexes concurrently/,
    },
  ]) {
    it(`${rule}: ${operation.slice(0, operation.indexOf('('))} builds its index while writes wait; its quick fix builds it CONCURRENTLY, to the same schema`, async () => {
      const text = shopMigration('0001_initial', `        ${operation},`);
      project.writeMigration('0002_change', text);
      const state = await stateBefore('0002_change');
      const problems = await lint(text, { state });
      assert.deepEqual(codes(problems), [rule]);
      const blocked = await duringMigrate('0002_change', 'shop_product', writerValues, insertProduct, (locks) =>
        locks.some((l) => !l.granted),
      );
      assert.equal('error' in blocked.probe && blocked.probe.error, '55P03');
      await applied(blocked.done);
      const asWritten = await project.schema(['shop_product']);
      await applied(project.migrate('0001_initial'));

      const rewrite = applyFix(text, problems[0], fix);
      assert.deepEqual(codes(await lint(rewrite, { state })), []);
      project.writeMigration('0002_change', rewrite);
      const concurrently = (locks: { mode: string; granted: boolean }[]) =>
        locks.some((l) => l.mode === 'ShareUpdateExclusiveLock' && l.granted);
      if (operation.includes('AddField')) {
        // The new column waits for the open write a moment (no index yet); the index is then built beside the next one.
        const { running, second } = await project.migrateThroughTraffic('0002_change', 'shop_product', writerValues, 'AccessExclusiveLock');
        try {
          await project.locksOn('shop_product', second.pid, concurrently);
          const probe = await project.query(insertProduct, 300);
          assert.ok('rows' in probe, JSON.stringify(probe));
        } finally {
          await second.commit();
          await second.end();
        }
        await applied(running.done);
      } else {
        const concurrent = await duringMigrate('0002_change', 'shop_product', writerValues, insertProduct, concurrently);
        assert.ok('rows' in concurrent.probe, JSON.stringify(concurrent.probe));
        await applied(concurrent.done);
      }
      assert.deepEqual(await project.schema(['shop_product']), asWritten);
      await applied(project.migrate('0001_initial'));
    });
  }

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

  it('add-foreign-key: the new foreign key locks the referenced table against writes; its quick fix validates it beside open writes, to the same schema', async () => {
    const text = shopMigration(
      '0001_initial',
      "        migrations.AddField(model_name='product', name='category', field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='shop.category')),",
    );
    project.writeMigration('0002_change', text);
    const state = await stateBefore('0002_change');
    const problems = await lint(text, { state });
    assert.deepEqual(codes(problems), ['add-foreign-key']);
    const blocked = await duringMigrate(
      '0002_change',
      'shop_category',
      "(title) VALUES ('writer')",
      "INSERT INTO shop_category (title) VALUES ('during')",
      waitingFor('ShareRowExclusiveLock'),
    );
    assert.equal('error' in blocked.probe && blocked.probe.error, '55P03');
    await applied(blocked.done);
    const asWritten = await project.schema(['shop_product']);
    await applied(project.migrate('0001_initial'));

    const rewrite = applyFix(text, problems[0], /NOT VALID, then validate/);
    assert.deepEqual(codes(await lint(rewrite, { state })), []);
    project.writeMigration('0002_change', rewrite);
    // Adding the constraint NOT VALID waits for the open write a moment (no scan); validating it does not wait at all.
    const { running, second } = await project.migrateThroughTraffic(
      '0002_change',
      'shop_category',
      "(title) VALUES ('writer')",
      'ShareRowExclusiveLock',
    );
    try {
      await applied(running.done);
    } finally {
      await second.commit();
      await second.end();
    }
    assert.deepEqual(await project.schema(['shop_product']), asWritten);
    // Unapplied, the rewrite takes everything away again.
    await applied(project.migrate('0001_initial'));
    assert.deepEqual(
      (await project.schema(['shop_product'])).filter((line) => line.includes('category')),
      [],
    );
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

  it('alter-field-not-null: SET NOT NULL waits for an ACCESS EXCLUSIVE lock to scan; its quick fix validates a CHECK beside open writes, to the same schema', async () => {
    const text = shopMigration(
      '0001_initial',
      "        migrations.AlterField(model_name='product', name='quantity', field=models.IntegerField(default=0)),",
    );
    project.writeMigration('0002_change', text);
    const state = await stateBefore('0002_change');
    const problems = await lint(text, { state });
    assert.deepEqual(codes(problems), ['alter-field-not-null']);
    assert.deepEqual(codes(await lint(text)), [], 'without the previous definition the rule does not guess');
    const initial = await project.schema(['shop_product']);
    await project.query("INSERT INTO shop_product (name) VALUES ('no quantity yet')");
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
    const asWritten = await project.schema(['shop_product']);
    await applied(project.migrate('0001_initial'));

    // The rows Django backfilled are NULL again, for the rewrite's own backfill.
    await project.query('UPDATE shop_product SET quantity = NULL WHERE quantity = 0');
    const rewrite = applyFix(text, problems[0], /validated CHECK/);
    assert.deepEqual(codes(await lint(rewrite, { state })), []);
    project.writeMigration('0002_change', rewrite);
    const writerValues = "(name, quantity) SELECT 'writer ' || pg_backend_pid(), 1";
    // The check is added NOT VALID once the open write ends (no scan); VALIDATE then reads every row beside the next
    // open write, and SET NOT NULL waits for that write only to change the catalog.
    const { running, second } = await project.migrateThroughTraffic('0002_change', 'shop_product', writerValues, 'AccessExclusiveLock');
    try {
      await project.locksOn('shop_product', second.pid, waitingFor('AccessExclusiveLock'));
      const check = await project.query("SELECT convalidated FROM pg_constraint WHERE conname = 'shop_product_quantity_not_null'");
      assert.deepEqual(check, { rows: [{ convalidated: true }] }, 'validated while a write was open');
    } finally {
      await second.commit();
      await second.end();
    }
    await applied(running.done);
    assert.deepEqual(await project.schema(['shop_product']), asWritten);
    assert.deepEqual(
      await project.query('SELECT count(*)::int AS n FROM shop_product WHERE quantity = 0'),
      { rows: [{ n: 2 }] },
      'backfilled',
    );
    await applied(project.migrate('0001_initial'));
    assert.deepEqual(await project.schema(['shop_product']), initial, 'unapplied, the column is nullable again');
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

  it('add-field-default-rewrite: before PostgreSQL 11 its quick fix adds the column without a default and backfills it in batches, to the same schema', async () => {
    const text = shopMigration(
      '0001_initial',
      "        migrations.AddField(model_name='product', name='price', field=models.IntegerField(default=0)),",
    );
    project.writeMigration('0002_change', text);
    const state = await stateBefore('0002_change');
    const postgres10 = { targets: [{ ...target, version: [10, 0] as const }], state };
    const problems = await lint(text, postgres10);
    assert.deepEqual(codes(problems), ['add-field-default-rewrite', 'add-field-not-null']);
    await applied(project.migrate('0002_change'));
    const asWritten = await project.schema(['shop_product']);
    await applied(project.migrate('0001_initial'));

    const rewrite = applyFix(
      text,
      problems.find((p) => p.code === 'add-field-default-rewrite')!,
      /backfill it in batches/,
    );
    assert.deepEqual(codes(await lint(rewrite, postgres10)), []);
    project.writeMigration('0002_change', rewrite);
    // This server (11+) would not rewrite either way; what it shows is that the rewrite ends where Django's AddField does.
    const before = await project.relfilenode('shop_product');
    await applied(project.migrate('0002_change'));
    assert.equal(await project.relfilenode('shop_product'), before, 'no rewrite');
    assert.deepEqual(await project.schema(['shop_product']), asWritten);
    assert.deepEqual(
      await project.query('SELECT count(*)::int AS n FROM shop_product WHERE price = 0'),
      { rows: [{ n: 2000 }] },
      'backfilled',
    );
    await applied(project.migrate('0001_initial'));
  });

  if (djangoAtLeast(5, 0)) {
    it('add-field-default-rewrite: db_default=RandomUUID() rewrites the table; its quick fix backfills in batches without a rewrite, to the same schema', async () => {
      const text = shopMigration(
        '0001_initial',
        "        migrations.AddField(model_name='product', name='token', field=models.UUIDField(db_default=RandomUUID())),",
        { imports: 'from django.contrib.postgres.functions import RandomUUID' },
      );
      project.writeMigration('0002_change', text);
      const state = await stateBefore('0002_change');
      const problems = await lint(text, { state, djangoVersion: [5, 0] });
      assert.deepEqual(codes(problems), ['add-field-default-rewrite']);
      const before = await project.relfilenode('shop_product');
      await applied(project.migrate('0002_change'));
      assert.notEqual(await project.relfilenode('shop_product'), before, 'the table was rewritten');
      const asWritten = await project.schema(['shop_product']);
      await applied(project.migrate('0001_initial'));

      const rewrite = applyFix(text, problems[0], /backfill it in batches/);
      assert.deepEqual(codes(await lint(rewrite, { state, djangoVersion: [5, 0] })), []);
      project.writeMigration('0002_change', rewrite);
      const unchanged = await project.relfilenode('shop_product');
      await applied(project.migrate('0002_change'));
      assert.equal(await project.relfilenode('shop_product'), unchanged, 'no rewrite');
      assert.deepEqual(await project.schema(['shop_product']), asWritten);
      assert.deepEqual(
        await project.query('SELECT count(DISTINCT token)::int AS n FROM shop_product'),
        { rows: [{ n: 2000 }] },
        'every row has its own value',
      );
      await applied(project.migrate('0001_initial'));
    });
  }

  const oldRelease = 'SELECT id, name, quantity FROM shop_product LIMIT 1';
  for (const { rule, operation, query, error } of [
    {
      rule: 'remove-field',
      operation: "migrations.RemoveField(model_name='product', name='quantity')",
      query: oldRelease,
      error: '42703',
    },
    {
      rule: 'delete-model',
      operation: "migrations.DeleteModel(name='Category')",
      query: 'SELECT id, title FROM shop_category LIMIT 1',
      error: '42P01',
    },
    {
      rule: 'rename-field',
      operation: "migrations.RenameField(model_name='product', old_name='quantity', new_name='stock')",
      query: oldRelease,
      error: '42703',
    },
    {
      rule: 'rename-model',
      operation: "migrations.RenameModel(old_name='Category', new_name='Group')",
      query: 'SELECT id, title FROM shop_category LIMIT 1',
      error: '42P01',
    },
  ]) {
    it(`${rule}: the previous release's queries fail after it; its quick fix keeps them working`, async () => {
      const text = shopMigration('0001_initial', `        ${operation},`);
      // The migration state before it, as the project on disk has it: the fixes copy field and table names from it.
      project.writeMigration('0002_change', text);
      const [loaded] = await loadProjects(project.root, { trusted: false });
      const state = lintStateOracle(loaded, migrationKey('shop', '0002_change'));
      const problems = await lint(text, { state });
      assert.deepEqual(codes(problems), [rule]);
      await applied(project.migrate('0002_change'));
      const broken = await project.query(query);
      assert.equal('error' in broken && broken.error, error, JSON.stringify(broken));
      await applied(project.migrate('0001_initial'));
      const rewrite = applyFix(text, problems[0], /state only/);
      assert.deepEqual(codes(await lint(rewrite, { state })), []);
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
