import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Problem } from '../../server/src/core/problem';
import { MigrationProject } from '../../server/src/project/migrationProject';
import { loadProjects } from '../../server/src/project/projectLoader';
import { AliasMigrationState, InitializationOptions } from '../../protocol/index';
import { APPLIED_HASHES_FILE, AppliedHashes } from '../../server/src/databases/appliedHashes';
import { databaseProblems } from '../../server/src/databases/databaseProblems';
import { MigrationStateService } from '../../server/src/databases/migrationStateService';
import { migrationStateResult } from '../../server/src/features/migrationStateResult';

import { DjangoProject } from '../django/djangoProject';
import { waitUntil } from '../support/waitFor';
import { temporaryFolder } from '../support/projectFolder';

interface Running {
  readonly django: DjangoProject;
  readonly projects: MigrationProject[];
  readonly service: MigrationStateService;
  readonly hashes: AppliedHashes;
  alias(name?: string): AliasMigrationState;
  file(name: string): string;
}

const running: Running[] = [];

/** A fixture copy (prepared with real Django), loaded as the server loads it, with a service reading its databases. */
async function start(
  fixture: string,
  prepare: (django: DjangoProject) => Promise<void>,
  options: Partial<InitializationOptions> = {},
  storagePath?: string,
): Promise<Running> {
  const django = await DjangoProject.fromFixture(fixture);
  await prepare(django);
  const projects = await loadProjects(django.dir, { trusted: false });
  const hashes = await AppliedHashes.open(storagePath);
  const service = new MigrationStateService(
    { projects: () => projects, options: { trusted: false, ...options }, log: () => undefined },
    { hashes, retryDelaysMs: [200] },
  );
  await service.update();
  const state: Running = {
    django,
    projects,
    service,
    hashes,
    alias: (name = 'default') => {
      const found = migrationStateResult(service, projects).projects[0].aliases.find((alias) => alias.alias === name);
      assert.ok(found, `no alias ${name}`);
      return found;
    },
    file: (name) => path.join(django.dir, 'shop', 'migrations', `${name}.py`),
  };
  running.push(state);
  return state;
}

/** Waits until every applied migration's hash is remembered. */
async function remembered(state: Running, count: number): Promise<void> {
  const view = state.service.views(state.projects[0])[0];
  await waitUntil(`${count} hashes remembered`, () => state.hashes.keys(view.databaseKey).length === count);
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=tests@example.invalid', '-c', 'user.name=Tests', ...args], { cwd: dir, encoding: 'utf8' });
}

function codes(problems: readonly Problem[]): string[] {
  return problems.map((problem) => problem.code).sort();
}

describe('MigrationStateService', function () {
  this.timeout(120_000);
  afterEach(async () => {
    for (const state of running.splice(0)) {
      state.service.dispose();
      await state.django.remove();
    }
  });

  it('follows the database: the tree, the unapplied count and the graph of the primary alias', async () => {
    const state = await start('linear', (django) => django.manage('migrate', 'shop', '0002').then(() => undefined));
    const alias = state.alias();
    assert.equal(alias.status, 'ok');
    assert.equal(alias.source, 'settings');
    assert.equal(alias.unapplied, 1);
    assert.deepEqual(
      alias.apps[0].migrations.map((migration) => [migration.name, migration.state]),
      [
        ['0001_initial', 'applied'],
        ['0002_product_price', 'applied'],
        ['0003_order', 'unapplied'],
      ],
    );
    assert.equal(state.projects[0].analyse().loaded.appliedMigrations.size, 2);

    const versions: number[] = [];
    state.service.onDidChange((version) => versions.push(version));
    await state.django.manage('migrate');
    await waitUntil('the migrate is seen', () => state.alias().unapplied === 0);
    assert.ok(versions.length > 0, 'listeners were told');
    assert.equal(state.projects[0].analyse().loaded.appliedMigrations.size, 3, 'the primary alias drives the graph');
  });

  it('reads the aliases of the setting too, and lets the chosen alias drive the graph', async () => {
    const replica = path.join(temporaryFolder('replica'), 'replica.sqlite3');
    const state = await start(
      'linear',
      async (django) => {
        await django.manage('migrate', 'shop', '0001');
        fs.copyFileSync(django.databasePath, replica);
        await django.manage('migrate');
      },
      { databases: { replica: `sqlite:///${replica}` }, defaultAlias: 'replica' },
    );
    assert.deepEqual(
      migrationStateResult(state.service, state.projects).projects[0].aliases.map((alias) => [alias.alias, alias.source, alias.unapplied]),
      [
        ['replica', 'setting', 2],
        ['default', 'settings', 0],
      ],
    );
    assert.equal(migrationStateResult(state.service, state.projects).projects[0].primaryAlias, 'replica');
    assert.equal(state.projects[0].analyse().loaded.appliedMigrations.size, 1);
  });

  it('says when an alias cannot be read, and keeps the others', async () => {
    const state = await start('linear', (django) => django.manage('migrate').then(() => undefined), {
      databases: { reports: 'postgres://nobody@127.0.0.1:1/reports', nowhere: 'nonsense' },
      // Trusted: in Restricted Mode no database server is contacted at all.
      trusted: true,
    });
    await waitUntil('the server was tried', () => state.alias('reports').status !== 'pending');
    assert.equal(state.alias('reports').status, 'unreachable');
    assert.equal(state.alias('reports').retrying, true);
    assert.deepEqual(state.alias('reports').apps, []);
    assert.equal(state.alias('nowhere').status, 'not-configured');
    assert.equal(state.alias('nowhere').retrying, false);
    assert.equal(state.alias().status, 'ok');
  });

  it('warns of an edit to an applied migration, against what was applied', async () => {
    const storage = temporaryFolder('storage');
    const state = await start(
      'linear',
      async (django) => {
        git(django.dir, 'init', '-q');
        git(django.dir, 'add', '-A');
        git(django.dir, 'commit', '-qm', 'initial');
        await django.manage('migrate');
      },
      {},
      storage,
    );
    await remembered(state, 3);
    const [project] = state.projects;
    const file = state.file('0002_product_price');
    const original = fs.readFileSync(file, 'utf8');
    assert.deepEqual(await databaseProblems(state.service, project, file, original), []);
    assert.deepEqual(await databaseProblems(state.service, project, file, original.replace(/\n/g, '\r\n')), [], 'only line ends differ');

    const edited = original.replace('max_digits=', 'max_digits=1 + ');
    const problems = await databaseProblems(state.service, project, file, edited);
    assert.deepEqual(codes(problems), ['stale-applied-migration']);
    assert.equal(problems[0].severity, 'warning');
    assert.match(problems[0].message, /applied on database 'default'/);
    assert.match(problems[0].message, /new migration/);
    assert.deepEqual(problems[0].range, project.migrationAt(file)?.parsed.classNameRange);

    // Unapplied, a migration may be edited freely; applied again, what was applied is what is remembered.
    await state.django.manage('migrate', 'shop', '0001');
    await waitUntil('the unapply is seen', () => state.alias().unapplied === 2);
    await remembered(state, 1);
    assert.deepEqual(await databaseProblems(state.service, project, file, edited), []);
    fs.writeFileSync(file, edited);
    await state.django.manage('migrate');
    await remembered(state, 3);
    assert.deepEqual(await databaseProblems(state.service, project, file, edited), []);
    assert.deepEqual(codes(await databaseProblems(state.service, project, file, original)), ['stale-applied-migration']);

    await state.hashes.flush();
    assert.ok(fs.existsSync(path.join(storage, APPLIED_HASHES_FILE)), 'kept in the storage folder');
    assert.ok(!fs.readdirSync(state.django.dir).some((name) => name.includes('hash')), 'nothing written into the project');
    const reopened = await AppliedHashes.open(storage);
    assert.equal(reopened.keys(state.service.views(project)[0].databaseKey).length, 3);
  });

  it("takes git HEAD's version as what was applied on a database seen for the first time", async () => {
    let edited = '';
    const state = await start('linear', async (django) => {
      git(django.dir, 'init', '-q');
      git(django.dir, 'add', '-A');
      git(django.dir, 'commit', '-qm', 'initial');
      await django.manage('migrate');
      // Edited after it was applied, before the editor ever saw this database.
      const file = path.join(django.dir, 'shop', 'migrations', '0003_order.py');
      edited = `${fs.readFileSync(file, 'utf8')}\n# changed after migrate\n`;
      fs.writeFileSync(file, edited);
    });
    await remembered(state, 3);
    assert.deepEqual(codes(await databaseProblems(state.service, state.projects[0], state.file('0003_order'), undefined)), [
      'stale-applied-migration',
    ]);
  });

  it('warns of an edit to a migration already on the upstream branch', async () => {
    const remote = path.join(temporaryFolder('remote'), 'origin.git');
    const state = await start('linear', async (django) => {
      git(django.dir, 'init', '-q');
      git(django.dir, 'add', '-A');
      git(django.dir, 'commit', '-qm', 'initial');
      git(path.dirname(remote), 'clone', '-q', '--bare', django.dir, remote);
      git(django.dir, 'remote', 'add', 'origin', remote);
      git(django.dir, 'fetch', '-q', 'origin');
      git(django.dir, 'branch', `--set-upstream-to=origin/${git(django.dir, 'symbolic-ref', '--short', 'HEAD').trim()}`);
    });
    const file = state.file('0001_initial');
    const original = fs.readFileSync(file, 'utf8');
    assert.deepEqual(await databaseProblems(state.service, state.projects[0], file, original), []);
    const problems = await databaseProblems(state.service, state.projects[0], file, original.replace("name='Product'", "name='Item'"));
    assert.deepEqual(codes(problems), ['edited-published-migration']);
    assert.match(problems[0].message, /committed on origin\//);
  });

  it('reports inconsistent history at the dependency, and rows without files on the latest migration', async () => {
    const state = await start('linear', (django) =>
      django.recordApplied([
        ['shop', '0002_product_price'],
        ['shop', '0009_gone'],
      ]),
    );
    const [project] = state.projects;
    const inconsistent = await databaseProblems(state.service, project, state.file('0002_product_price'), undefined);
    assert.deepEqual(codes(inconsistent), ['inconsistent-history']);
    assert.equal(inconsistent[0].severity, 'error');
    assert.match(
      inconsistent[0].message,
      /Migration shop\.0002_product_price is applied before its dependency shop\.0001_initial on database 'default'/,
    );
    const dependency = project.migrationAt(state.file('0002_product_price'))!.parsed.dependencies[0];
    assert.deepEqual(inconsistent[0].range, dependency.range);
    assert.equal(
      state.alias().consistencyError,
      "Migration shop.0002_product_price is applied before its dependency shop.0001_initial on database 'default'.",
    );

    const missing = await databaseProblems(state.service, project, state.file('0003_order'), undefined);
    assert.deepEqual(codes(missing), ['applied-migration-missing-file']);
    assert.match(missing[0].message, /shop\.0009_gone is recorded as applied on database 'default'/);
    assert.deepEqual(await databaseProblems(state.service, project, state.file('0001_initial'), undefined), []);
  });
});
