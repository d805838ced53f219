import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { StatusJson } from '../../server/src/cli/statusCommand';
import { createTestDatabase, dropTestDatabase, ownPostgresCluster } from '../db/postgresCluster';
import { DjangoProject, djangoPython, parseJson, repositoryRoot, runProcess } from './djangoProject';
import { parseShowmigrations } from './showmigrations';
import { djangoAtLeast } from '../support/testDjango';

const cli = path.join(repositoryRoot, 'dist', 'cli.js');

function status(...args: string[]) {
  return runProcess(process.execPath, [cli, 'status', ...args], repositoryRoot);
}

async function statusJson(...args: string[]): Promise<StatusJson> {
  return parseJson(await status(...args, '--json'), 'cli status --json') as unknown as StatusJson;
}

/** `cli status` (the bundle), against `manage.py showmigrations` on the same database. */
describe('cli status', function () {
  this.timeout(120_000);
  const projects: DjangoProject[] = [];
  after(async () => {
    for (const project of projects) await project.remove();
  });

  async function fixture(name: string): Promise<DjangoProject> {
    const project = await DjangoProject.fromFixture(name);
    projects.push(project);
    return project;
  }

  it("prints exactly showmigrations' lines", async () => {
    const project = await fixture('squashed');
    await project.manage('migrate', 'reports', '0001');
    const django = await project.manage('showmigrations');
    const ours = await status(project.dir);
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stdout, django.stdout);
  });

  it("marks a squash applied only through its replaced rows as the interpreter's Django does", async () => {
    const project = await fixture('squashed');
    await project.recordApplied([
      ['shop', '0001_initial'],
      ['shop', '0002_product_price'],
      ['shop', '0003_product_sku'],
    ]);
    const django = await project.manage('showmigrations', 'shop');
    const ours = await status(project.dir, '--python', djangoPython);
    assert.equal(ours.code, 0, ours.stderr);
    const squashLine = (text: string) => text.split('\n').find((line) => line.includes('0001_squashed_0003_product_sku'));
    assert.equal(squashLine(ours.stdout), squashLine(django.stdout));
    assert.equal(squashLine(ours.stdout)?.startsWith(' [-] '), djangoAtLeast(4, 0));
  });

  it('follows --django-version when no interpreter says', async () => {
    const project = await fixture('squashed');
    await project.recordApplied([
      ['shop', '0001_initial'],
      ['shop', '0002_product_price'],
      ['shop', '0003_product_sku'],
    ]);
    const lineFor = async (version: string) =>
      (await status(project.dir, '--django-version', version)).stdout
        .split('\n')
        .find((line) => line.includes('0001_squashed_0003_product_sku'));
    assert.equal(await lineFor('3.2'), ' [X] 0001_squashed_0003_product_sku (3 squashed migrations)');
    assert.equal(
      await lineFor('4.2'),
      " [-] 0001_squashed_0003_product_sku (3 squashed migrations) Run 'manage.py migrate' to finish recording.",
    );
    assert.equal((await status(project.dir, '--django-version', 'latest')).code, 2);
  });

  it('gives each migration with applied, applied_at and squashed_count, with django.contrib read through --python', async () => {
    const project = await fixture('swappable_contrib_auth');
    await project.manage('migrate');
    const document = await statusJson(project.dir, '--python', djangoPython);
    assert.equal(document.database.status, 'ok');
    assert.equal(document.database.has_table, true);
    const django = parseShowmigrations((await project.manage('showmigrations')).stdout);
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(document.apps).map(([app, list]) => [
          app,
          list.map((entry) => ({ name: entry.name, applied: entry.applied, squashed: entry.squashed_count })),
        ]),
      ),
      django,
    );
    for (const list of Object.values(document.apps)) {
      for (const entry of list) assert.match(entry.applied_at ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    }
    assert.deepEqual(document.applied_without_file, []);
    assert.equal(document.consistency_error, null);
  });

  it('lists rows without a file and the consistency error migrate would raise', async () => {
    const project = await fixture('linear');
    await project.recordApplied([
      ['shop', '0002_product_price'],
      ['shop', '0007_removed'],
    ]);
    const document = await statusJson(project.dir);
    assert.deepEqual(
      document.applied_without_file.map((row) => [row.app, row.name]),
      [['shop', '0007_removed']],
    );
    const migrate = await project.python(['manage.py', 'migrate']);
    assert.ok(document.consistency_error);
    assert.ok(migrate.stderr.includes(`InconsistentMigrationHistory: ${document.consistency_error}`), migrate.stderr);
  });

  it('reads a PostgreSQL database given by --database-url, and exits 1 when it cannot', async () => {
    const project = await fixture('linear');
    const cluster = await ownPostgresCluster();
    const url = await createTestDatabase(cluster.url, 'status');
    try {
      const empty = await statusJson(project.dir, '--database-url', url);
      assert.equal(empty.database.status, 'ok');
      assert.equal(empty.database.has_table, false);
      assert.deepEqual(
        empty.apps.shop.map((entry) => entry.applied),
        [false, false, false],
      );
      const wrong = new URL(url);
      wrong.password = 'wrong-password';
      const refused = await status(project.dir, '--database-url', wrong.toString(), '--json');
      assert.equal(refused.code, 1);
      assert.equal((JSON.parse(refused.stdout) as StatusJson).database.status, 'authentication-failed');
      assert.ok(!refused.stderr.includes('wrong-password') && !refused.stdout.includes('wrong-password'));
    } finally {
      await dropTestDatabase(url);
    }
  });

  it('treats a SQLite file not created yet as nothing applied, and rejects bad usage', async () => {
    const project = await fixture('linear');
    const document = await statusJson(project.dir);
    assert.equal(document.database.status, 'missing-file');
    assert.deepEqual(
      document.apps.shop.map((entry) => entry.applied),
      [false, false, false],
    );
    assert.equal((await status(project.dir, '--database-url', 'nonsense')).code, 2);
    assert.equal((await status(project.dir, '--no-such-option')).code, 2);
    const unknownAlias = await status(project.dir, '--database', 'nowhere');
    assert.equal(unknownAlias.code, 1);
    assert.match(unknownAlias.stderr, /nowhere/);
  });
});
