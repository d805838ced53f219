import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { MigrationNodeState } from '../../protocol/index';
import { djangoPostgresDatabase } from '../db/migratedDjangoProject';
import { createTestDatabase, dropTestDatabase, testPostgresUrl } from '../db/postgresCluster';
import { DjangoProject, inParallel } from './djangoProject';
import { fidelityScenarios } from './fidelityScenarios';
import { djangoShowmigrations, listOf, ourState, OurState, ShowmigrationsList } from './showmigrations';
import { djangoAtLeast } from '../support/testDjango';

/**
 * The tree's `showmigrations` part against the real `manage.py showmigrations`: for every fixture
 * scenario and database state, each app's list and its `[X]`/`[ ]` marks must be Django's, in
 * Django's order. States are made with real Django (migrate, migrate --fake, MigrationRecorder).
 */
interface TreeState {
  readonly fixture: string;
  readonly name: string;
  readonly prepare?: (project: DjangoProject) => Promise<void>;
  /** What else the tree must show (states Django's list does not mark). */
  readonly check?: (state: OurState, project: DjangoProject) => Promise<void> | void;
}

interface Outcome {
  django?: ShowmigrationsList;
  ours?: OurState;
  failure?: unknown;
  checkFailure?: unknown;
}

function migration(state: OurState, app: string, name: string): MigrationNodeState {
  const entries = state.tree.apps.find((entry) => entry.app === app)?.migrations ?? [];
  const found = [...entries, ...entries.flatMap((entry) => entry.children ?? [])].find((entry) => entry.name === name);
  assert.ok(found, `the tree has no ${app}.${name}`);
  return found;
}

/** States beyond the graph scenarios': faked rows, rows without files, inconsistent history, no table. */
const treeStates: readonly TreeState[] = [
  {
    fixture: 'linear',
    name: 'faked up to 0002',
    prepare: async (project) => void (await project.manage('migrate', 'shop', '0002', '--fake')),
  },
  {
    fixture: 'linear',
    name: 'a table without django_migrations',
    prepare: async (project) => {
      const database = new Database(project.databasePath);
      database.exec('CREATE TABLE unrelated (id integer)');
      database.close();
    },
    check: (state) => {
      assert.equal(state.read.status, 'ok');
      assert.ok(state.read.status === 'ok' && !state.read.hasTable);
      assert.equal(state.tree.unapplied, 3);
    },
  },
  {
    fixture: 'linear',
    name: 'a row whose file is gone',
    prepare: async (project) => {
      await project.manage('migrate');
      await project.recordApplied([['shop', '0004_removed']]);
    },
    check: (state) => {
      const row = migration(state, 'shop', '0004_removed');
      assert.equal(row.state, 'missingFile');
      assert.equal(row.listed, false);
      assert.equal(row.file, undefined);
    },
  },
  {
    fixture: 'linear',
    name: 'applied before its dependency',
    prepare: async (project) => void (await project.recordApplied([['shop', '0002_product_price']])),
    check: async (state, project) => {
      assert.equal(migration(state, 'shop', '0002_product_price').state, 'inconsistent');
      assert.deepEqual(migration(state, 'shop', '0002_product_price').unappliedDependencies, ['shop.0001_initial']);
      const migrate = await project.python(['manage.py', 'migrate']);
      assert.notEqual(migrate.code, 0);
      assert.ok(state.tree.consistencyError, 'a consistency error');
      assert.ok(
        migrate.stderr.includes(`InconsistentMigrationHistory: ${state.tree.consistencyError}`),
        `Django says:\n${migrate.stderr.split('\n').slice(-2).join('\n')}\nwe say: ${state.tree.consistencyError}`,
      );
    },
  },
  {
    fixture: 'squashed',
    name: 'replaced migrations recorded, the squash not',
    prepare: async (project) =>
      project.recordApplied([
        ['shop', '0001_initial'],
        ['shop', '0002_product_price'],
        ['shop', '0003_product_sku'],
      ]),
    check: (state) => {
      const squash = migration(state, 'shop', '0001_squashed_0003_product_sku');
      assert.equal(squash.state, 'squashed');
      assert.equal(squash.applied, true, 'Django counts it as applied');
      assert.equal(squash.recorded, false, 'showmigrations of Django 4.0+ marks it [-]');
      assert.equal(squash.finishRecording, djangoAtLeast(4, 0) ? true : undefined, "the project's Django decides the [-] mark");
      // Django remaps dependencies on the migrations it replaces to it: shop.0004_order and reports.0001/0002.
      assert.equal(squash.dependents, 3);
      assert.deepEqual(
        squash.children?.map((child) => [child.name, child.state, child.applied]),
        [
          ['0001_initial', 'replaced', true],
          ['0002_product_price', 'replaced', true],
          ['0003_product_sku', 'replaced', true],
        ],
      );
    },
  },
  {
    fixture: 'squashed',
    name: 'squash partly applied, shown beside its replaced migrations',
    prepare: async (project) => void (await project.recordApplied([['shop', '0001_initial']])),
    check: (state) => {
      const squash = migration(state, 'shop', '0001_squashed_0003_product_sku');
      assert.equal(squash.listed, false);
      assert.equal(squash.applied, false);
      assert.deepEqual(squash.squash, { replaces: 3, appliedReplaced: 1, inGraph: false });
      const names = state.tree.apps.find((app) => app.app === 'shop')!.migrations.map((entry) => entry.name);
      assert.deepEqual(names, ['0001_initial', '0002_product_price', '0003_product_sku', '0001_squashed_0003_product_sku', '0004_order']);
    },
  },
  {
    fixture: 'conflict',
    name: 'both leaves marked conflicting',
    // migrate refuses to run on conflicting leaves: the rows a migrate before the conflict left.
    prepare: (project) =>
      project.recordApplied([
        ['shop', '0001_initial'],
        ['shop', '0002_product_price'],
      ]),
    check: (state) => {
      assert.equal(migration(state, 'shop', '0002_product_price').state, 'conflicting');
      assert.equal(migration(state, 'shop', '0002_product_price').applied, true);
      assert.equal(migration(state, 'shop', '0002_product_sku').state, 'conflicting');
      assert.equal(migration(state, 'shop', '0001_initial').state, 'applied');
    },
  },
];

const states: readonly TreeState[] = [
  ...fidelityScenarios.flatMap((scenario) =>
    scenario.states.map((state) => ({ fixture: scenario.fixture, name: state.name, prepare: state.prepare })),
  ),
  ...treeStates,
];

function compare(outcome: Outcome | undefined): void {
  if (!outcome?.ours) assert.fail(`no outcome: ${String(outcome?.failure)}`);
  if (!outcome.django) {
    // Django refuses to list a broken graph (NodeNotFoundError, cycles, unknown apps): so do we.
    assert.ok(outcome.ours.graphErrors > 0, 'Django failed on a graph we found no error in');
    return;
  }
  assert.deepEqual(listOf(outcome.ours.tree), outcome.django);
  if (outcome.checkFailure) throw outcome.checkFailure;
}

describe('the migrations tree against manage.py showmigrations (SQLite)', function () {
  const outcomes = new Map<TreeState, Outcome>();

  before(async function () {
    this.timeout(900_000); // each Django start is slower on 4.2 and 5.2
    await inParallel(states, async (state) => void outcomes.set(state, await treeOutcome(state)));
  });

  for (const state of states) {
    it(`${state.fixture}: ${state.name}`, () => compare(outcomes.get(state)));
  }
});

/** The same on PostgreSQL: a settings module beside the fixture's points `default` at a new database. */
const postgresStates: readonly TreeState[] = [
  { fixture: 'linear', name: 'migrated to 0002', prepare: (project) => manage(project, 'migrate', 'shop', '0002') },
  { fixture: 'linear', name: 'no django_migrations table' },
  { fixture: 'cross_app_foreign_keys', name: 'faked', prepare: (project) => manage(project, 'migrate', '--fake') },
  { fixture: 'squashed', name: 'fully migrated', prepare: (project) => manage(project, 'migrate') },
  {
    fixture: 'squashed',
    name: 'squash partly applied',
    prepare: (project) =>
      project.recordApplied(
        [
          ['shop', '0001_initial'],
          ['shop', '0002_product_price'],
        ],
        '--settings',
        POSTGRES_SETTINGS,
      ),
  },
  { fixture: 'swappable_contrib_auth', name: 'fully migrated', prepare: (project) => manage(project, 'migrate') },
  {
    fixture: 'linear',
    name: 'applied before its dependency, and a row without file',
    prepare: (project) =>
      project.recordApplied(
        [
          ['shop', '0003_order'],
          ['shop', '0009_gone'],
        ],
        '--settings',
        POSTGRES_SETTINGS,
      ),
    check: (state) => {
      assert.equal(migration(state, 'shop', '0003_order').state, 'inconsistent');
      assert.equal(migration(state, 'shop', '0009_gone').state, 'missingFile');
      assert.equal(
        state.tree.consistencyError,
        "Migration shop.0003_order is applied before its dependency shop.0002_product_price on database 'default'.",
      );
    },
  },
];

const POSTGRES_SETTINGS = 'config.settings_postgres';

function manage(project: DjangoProject, ...args: string[]): Promise<void> {
  return project.manage(...args, '--settings', POSTGRES_SETTINGS).then(() => undefined);
}

/** Our tree and `showmigrations` for one state: on the fixture's SQLite, or on `postgresUrl`. */
async function treeOutcome(state: TreeState, postgresUrl?: string): Promise<Outcome> {
  const outcome: Outcome = {};
  let project: DjangoProject | undefined;
  try {
    project = await DjangoProject.fromFixture(state.fixture);
    if (postgresUrl) {
      await fs.writeFile(
        path.join(project.dir, 'config', 'settings_postgres.py'),
        `from .settings import *  # noqa\n\nDATABASES = {'default': ${JSON.stringify(djangoPostgresDatabase(postgresUrl))}}\n`,
      );
    }
    await state.prepare?.(project);
    outcome.ours = await ourState(project.dir, postgresUrl ?? project.databaseUrl);
    outcome.django = await djangoShowmigrations(project, ...(postgresUrl ? ['--settings', POSTGRES_SETTINGS] : []));
    try {
      await state.check?.(outcome.ours, project);
    } catch (error) {
      outcome.checkFailure = error;
    }
  } catch (error) {
    outcome.failure = error;
  } finally {
    await project?.remove();
  }
  return outcome;
}

async function postgresOutcome(state: TreeState, serverUrl: string): Promise<Outcome> {
  const databaseUrl = await createTestDatabase(serverUrl, 'tree');
  try {
    return await treeOutcome(state, databaseUrl);
  } finally {
    await dropTestDatabase(databaseUrl);
  }
}

describe('the migrations tree against manage.py showmigrations (PostgreSQL)', function () {
  const outcomes = new Map<TreeState, Outcome>();

  before(async function () {
    this.timeout(300_000);
    const serverUrl = await testPostgresUrl();
    await inParallel(postgresStates, async (state) => void outcomes.set(state, await postgresOutcome(state, serverUrl)));
  });

  for (const state of postgresStates) {
    it(`${state.fixture}: ${state.name}`, () => {
      const outcome = outcomes.get(state);
      assert.equal(outcome?.ours?.read.status, 'ok', JSON.stringify(outcome?.ours?.read));
      compare(outcome);
    });
  }
});
