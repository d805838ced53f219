import * as assert from 'node:assert/strict';
import { cpSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { DjangoHelperProcess } from '../../server/src/django/djangoHelperProcess';
import { PythonEnvironment, resolvePythonEnvironment } from '../../server/src/django/pythonEnvironment';
import { runManagePy } from '../support/runManagePy';
import { createTestDatabase, dropTestDatabase, runSql, testPostgresUrl } from '../db/postgresCluster';
import { fixturesDirectory } from '../support/repositoryPaths';
import { djangoAtLeast } from '../support/testDjango';
import { copyFixture, DJANGO_PYTHON, fixtureEnvironment, scratchDirectory } from './commandsProject';

/**
 * A long-lived helper plans from the database the project has at the moment of the request:
 * a SQLite file deleted and migrated again, a backup copied over it, a PostgreSQL database
 * restored from another; and it unapplies through the targets Django remaps after a squash.
 */
describe('plans come from the database as it is now', function () {
  this.timeout(120_000);
  let scratch: ReturnType<typeof scratchDirectory>;
  const helpers: DjangoHelperProcess[] = [];

  async function managePy(environment: PythonEnvironment, ...args: string[]): Promise<string> {
    const result = await runManagePy(args, { trusted: true, environment });
    assert.equal(result.exitCode, 0, result.stderr);
    return result.stdout;
  }
  const lines = (text: string): string[] => text.replace(/\n$/, '').split('\n');
  function helperOf(environment: PythonEnvironment): DjangoHelperProcess {
    const helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0 });
    helpers.push(helper);
    return helper;
  }

  before(() => {
    scratch = scratchDirectory('fresh-plan');
  });

  after(async () => {
    await Promise.all(helpers.map((helper) => helper.dispose()));
    scratch.cleanup();
  });

  it('reads a SQLite file deleted and migrated again (rm db.sqlite3 && migrate), and a backup put in its place', async () => {
    const root = copyFixture(path.join(scratch.dir, 'sqlite'));
    const database = path.join(scratch.dir, 'sqlite.sqlite3');
    const environment = fixtureEnvironment(root, `sqlite:///${database}`);
    await managePy(environment, 'migrate', 'catalog', '0001', '--noinput');
    cpSync(database, `${database}.backup`);
    const helper = helperOf(environment);
    // The helper connects to the first file.
    const before = await helper.plan({ unapply: ['catalog', '0001_initial'] });
    assert.deepEqual(
      before.plan.map((step) => [step.name, step.backwards]),
      [['0001_initial', true]],
    );

    rmSync(database);
    await managePy(environment, 'migrate', '--noinput');
    const unapply = await helper.plan({ unapply: ['catalog', '0003_product_sku'] });
    assert.equal(unapply.target, '0002_seed_categories');
    assert.deepEqual(unapply.lines, lines(await managePy(environment, 'migrate', 'catalog', '0002_seed_categories', '--plan')));
    assert.deepEqual(
      unapply.plan.map((step) => [step.app, step.name, step.backwards]),
      [['catalog', '0003_product_sku', true]],
    );
    assert.ok(unapply.applied.includes('orders.0004_order_status'));

    // A backup restored over the file: a new file in the same place.
    renameSync(`${database}.backup`, database);
    const restored = await helper.plan({ targets: [['catalog', '0002_seed_categories']] });
    assert.deepEqual(restored.lines, lines(await managePy(environment, 'migrate', 'catalog', '0002_seed_categories', '--plan')));
    assert.deepEqual(
      restored.plan.map((step) => [step.name, step.backwards]),
      [['0002_seed_categories', false]],
    );
    assert.deepEqual(restored.applied, ['catalog.0001_initial']);
  });

  it('reads a PostgreSQL database restored from another', async () => {
    const server = await testPostgresUrl();
    const databaseUrl = await createTestDatabase(server, 'fresh_plan');
    const backupUrl = await createTestDatabase(server, 'fresh_plan_backup');
    const name = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
    try {
      const root = copyFixture(path.join(scratch.dir, 'postgres'));
      await managePy(fixtureEnvironment(root, backupUrl), 'migrate', 'catalog', '0001', '--noinput');
      const environment = fixtureEnvironment(root, databaseUrl);
      await managePy(environment, 'migrate', '--noinput');
      const helper = helperOf(environment);
      assert.equal((await helper.plan({ unapply: ['catalog', '0003_product_sku'] })).plan.length, 1);

      const admin = new URL(server);
      admin.pathname = '/postgres';
      await runSql(
        admin.toString(),
        `DROP DATABASE "${name(databaseUrl)}" WITH (FORCE)`,
        `CREATE DATABASE "${name(databaseUrl)}" TEMPLATE "${name(backupUrl)}"`,
      );
      const restored = await helper.plan({ unapply: ['catalog', '0001_initial'] });
      assert.deepEqual(restored.applied, ['catalog.0001_initial']);
      assert.deepEqual(restored.lines, lines(await managePy(environment, 'migrate', 'catalog', 'zero', '--plan')));
      assert.deepEqual(
        restored.plan.map((step) => [step.name, step.backwards]),
        [['0001_initial', true]],
      );
    } finally {
      await dropTestDatabase(databaseUrl);
      await dropTestDatabase(backupUrl);
    }
  });

  it('unapplies the child of a squash through the squash Django remapped its parent to', async () => {
    const root = path.join(scratch.dir, 'squashed');
    cpSync(path.join(fixturesDirectory, 'squashed'), root, {
      recursive: true,
      filter: (source) => !source.includes('__pycache__') && !source.endsWith('.sqlite3'),
    });
    const environment = resolvePythonEnvironment({ projectRoot: root, pythonPath: DJANGO_PYTHON, settingsModule: 'config.settings' });
    await managePy(environment, 'migrate', '--noinput');
    // Django 3.2's own migrate to the replaced parent fails with a KeyError (4.0 handles it).
    if (!djangoAtLeast(4, 0)) {
      const raw = await runManagePy(['migrate', 'shop', '0003_product_sku', '--plan'], { trusted: true, environment });
      assert.notEqual(raw.exitCode, 0);
      assert.match(raw.stderr, /KeyError: \('shop', '0003_product_sku'\)/);
    }

    const helper = helperOf(environment);
    const child = await helper.plan({ unapply: ['shop', '0004_order'] });
    assert.equal(child.target, '0001_squashed_0003_product_sku');
    assert.deepEqual(
      child.plan.map((step) => [step.name, step.backwards]),
      [['0004_order', true]],
    );
    assert.deepEqual(child.lines, lines(await managePy(environment, 'migrate', 'shop', '0001_squashed_0003_product_sku', '--plan')));

    // A replaced migration stands for its squash: unapplying it unapplies the squash.
    const replaced = await helper.plan({ unapply: ['shop', '0002_product_price'] });
    assert.equal(replaced.target, 'zero');
    assert.deepEqual(replaced.lines, lines(await managePy(environment, 'migrate', 'shop', 'zero', '--plan')));
    assert.ok(replaced.plan.some((step) => step.name === '0001_squashed_0003_product_sku' && step.backwards));
    await managePy(environment, 'migrate', 'shop', child.target!, '--noinput');
    assert.match(await managePy(environment, 'showmigrations', 'shop'), /\[ \] 0004_order/);
  });
});
