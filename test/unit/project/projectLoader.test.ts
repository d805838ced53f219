import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { migrationKey } from '../../../server/src/core/migration';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { CommandLineOptions, Workspace } from '../../../server/src/workspace/workspace';
import { createMigrationsDatabase } from '../../db/sqliteFiles';
import {
  appFiles,
  appsPy,
  copyFixture,
  fixturesDirectory,
  managePy,
  migrationPy,
  projectFolder,
  settingsPy,
  temporaryFolder,
} from '../../support/projectFolder';
import { djangoPython } from '../../support/testDjango';

const APPLIED_AT = '2024-05-01 10:00:00.000000';

describe('loadProjects', function () {
  describe('installed apps outside the workspace (swappable_contrib_auth)', function () {
    const folder = path.join(fixturesDirectory, 'swappable_contrib_auth');

    it('treats them as external without a Python', async function () {
      const [project] = await loadProjects(folder, { trusted: true });
      const { loaded, problems } = project.analyse();
      assert.deepEqual([...loaded.graph.nodes.keys()].sort(), [migrationKey('blog', '0001_initial'), migrationKey('blog', '0002_tag')]);
      assert.deepEqual(
        loaded.dependencies.get(migrationKey('blog', '0001_initial'))?.map((d) => d.resolution),
        [{ status: 'external', app: 'auth', name: '__first__' }],
      );
      assert.deepEqual(problems, []);
    });

    it('reads their migrations through --python in a trusted workspace', async function () {
      const [project] = await loadProjects(folder, { trusted: true, pythonPath: djangoPython });
      const { loaded, problems } = project.analyse();
      assert.deepEqual(problems, []);
      assert.ok(loaded.graph.nodes.has(migrationKey('auth', '0012_alter_user_first_name_max_length')));
      assert.ok(loaded.graph.nodes.has(migrationKey('contenttypes', '0002_remove_content_type_name')));
      assert.deepEqual(
        [...loaded.graph.nodeMap.get(migrationKey('blog', '0001_initial'))!.parents].map((parent) => parent.key),
        [migrationKey('auth', '0001_initial')],
      );
      const auth = project.project.apps.find((app) => app.label === 'auth');
      assert.equal(auth?.external, true);
    });

    it('runs no Python in an untrusted workspace', async function () {
      const [project] = await loadProjects(folder, { trusted: false, pythonPath: djangoPython });
      assert.deepEqual(
        project.project.apps.map((app) => app.label),
        ['blog'],
      );
      assert.equal(project.analyse().loaded.graph.nodes.has(migrationKey('auth', '0001_initial')), false);
    });
  });

  it('gives no error for a dependency on an unknown app in a workspace without manage.py', async function () {
    const folder = projectFolder({
      ...appFiles('shop', { '0001_initial': migrationPy([['auth', '0012_x']]) }, appsPy('ShopConfig', 'shop', 'store')),
      ...appFiles('blog', {
        '0001_initial': migrationPy([
          ['store', '0001_initial'],
          ['payments', '__latest__'],
        ]),
      }),
    });
    const [project, ...more] = await loadProjects(folder, { trusted: false });
    assert.equal(more.length, 0);
    const { loaded, problems } = project.analyse();
    assert.deepEqual(problems, []);
    assert.deepEqual(
      loaded.dependencies.get(migrationKey('blog', '0001_initial'))?.map((d) => d.resolution.status),
      ['edge', 'external'],
    );
  });

  it('treats an app whose migrations folder has no __init__.py as unmigrated, as Django does', async function () {
    const folder = projectFolder({
      'manage.py': managePy('settings'),
      'settings.py': settingsPy(['notes', 'shop', 'blog']),
      'notes/__init__.py': '',
      'notes/migrations/0001_initial.py': migrationPy(),
      ...appFiles('shop', { '0001_initial': migrationPy([['notes', '__first__']]) }),
      ...appFiles('blog', { '0001_initial': migrationPy([['notes', '0001_initial']]) }),
    });
    const [project] = await loadProjects(folder, { trusted: false });
    const { loaded, problems } = project.analyse();
    assert.equal(loaded.diskMigrations.has(migrationKey('notes', '0001_initial')), false);
    assert.deepEqual(
      loaded.dependencies.get(migrationKey('shop', '0001_initial'))?.map((d) => d.resolution),
      [{ status: 'ignored' }],
    );
    // Django's check_key lets a named migration of an unmigrated app through: NodeNotFoundError.
    assert.deepEqual(
      problems.map((p) => [p.code, path.relative(folder, p.file)]),
      [['missing-dependency', path.join('blog', 'migrations', '0001_initial.py')]],
    );
  });

  describe('applied migrations', function () {
    /** The projects of the command line's workspace, each with the rows of its alias unless told not to read them. */
    async function commandLineProjects(folder: string, options: CommandLineOptions, readApplied = true) {
      const workspace = await Workspace.forCommandLine(folder, options);
      try {
        const projects = [...workspace.projects()];
        if (readApplied) for (const project of projects) await workspace.readApplied(project);
        return projects;
      } finally {
        await workspace.dispose();
      }
    }

    const squashRows = ['0001_initial', '0002_product_price', '0003_product_sku'].map((name) => ['shop', name, APPLIED_AT] as const);
    const squash = migrationKey('shop', '0001_squashed_0003_product_sku');

    it("reads the database of the settings' default alias", async function () {
      const folder = copyFixture('squashed');
      createMigrationsDatabase(path.join(folder, 'db.sqlite3'), squashRows);
      const [project] = await commandLineProjects(folder, { trusted: false });
      assert.equal(project.analyse().loaded.appliedMigrations.has(squash), true);
    });

    it('reads the database a URL names instead', async function () {
      const folder = copyFixture('squashed');
      const elsewhere = createMigrationsDatabase(path.join(temporaryFolder(), 'other.sqlite3'), squashRows);
      const [project] = await commandLineProjects(folder, { trusted: false, databaseUrl: `sqlite:///${elsewhere}` });
      const applied = project.analyse().loaded.appliedMigrations;
      assert.deepEqual([...applied.keys()].sort(), [squash, ...squashRows.map(([app, name]) => migrationKey(app, name))].sort());
    });

    it('reads no database when told not to, and none that is not there', async function () {
      const folder = copyFixture('squashed');
      createMigrationsDatabase(path.join(folder, 'db.sqlite3'), squashRows);
      const [unread] = await commandLineProjects(folder, { trusted: false }, false);
      assert.equal(unread.analyse().loaded.appliedMigrations.size, 0);
      const [missing] = await commandLineProjects(folder, {
        trusted: false,
        databaseUrl: `sqlite:///${path.join(folder, 'missing.sqlite3')}`,
      });
      assert.equal(missing.analyse().loaded.appliedMigrations.size, 0);
    });
  });
});
