import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pythonSysPath } from '../../../server/src/django/pythonSysPath';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { DiscoveredProject, discoverProjects } from '../../../server/src/project/projectDiscovery';
import { loadPythonParser, PythonParser } from '../../../server/src/python/pythonParser';
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
  writeFiles,
} from '../../support/projectFolder';
import { djangoPython } from '../../support/testDjango';

/** Each app as label to its migrations folder, relative to `folder` (null: none found). */
function appsOf(discovered: DiscoveredProject, folder: string): Record<string, string | null> {
  return Object.fromEntries(
    discovered.project.apps.map((app) => [
      app.label,
      app.migrationsDirectory ? path.relative(folder, app.migrationsDirectory).split(path.sep).join('/') : null,
    ]),
  );
}

function problemsOf(discovered: DiscoveredProject, folder: string) {
  return discovered.project.problems.map((problem) => ({
    severity: problem.severity,
    code: problem.code,
    file: path.relative(folder, problem.file),
    message: problem.message,
  }));
}

describe('discoverProjects', function () {
  let parser: PythonParser;
  before(async function () {
    parser = await loadPythonParser();
  });
  const discover = (
    folder: string,
    options: { settingsModule?: string; pythonSysPath?: string[]; djangoVersion?: { major: number; minor: number } } = {},
  ) => discoverProjects(folder, { fileSystem: nodeFileSystem, parser, ...options });

  describe('settings', function () {
    const folder = projectFolder({
      'manage.py': managePy('config.settings'),
      'config/__init__.py': '',
      'config/settings.py': settingsPy(['shop']),
      'config/other.py': settingsPy(['blog']),
      ...appFiles('shop', { '0001_initial': migrationPy() }),
      ...appFiles('blog', { '0001_initial': migrationPy() }),
    });

    it('reads the settings module that manage.py sets', async function () {
      const [discovered, ...more] = await discover(folder);
      assert.equal(more.length, 0);
      assert.equal(discovered.project.root, folder);
      assert.equal(discovered.project.managePy, path.join(folder, 'manage.py'));
      assert.equal(discovered.project.settingsModule, 'config.settings');
      assert.equal(discovered.project.settingsFile, path.join(folder, 'config', 'settings.py'));
      assert.deepEqual(appsOf(discovered, folder), { shop: 'shop/migrations' });
      assert.deepEqual(discovered.project.problems, []);
    });

    it('lets the settings option override manage.py', async function () {
      const [discovered, ...more] = await discover(folder, { settingsModule: 'config.other' });
      assert.equal(more.length, 0);
      assert.equal(discovered.project.settingsModule, 'config.other');
      assert.equal(discovered.project.settingsFile, path.join(folder, 'config', 'other.py'));
      assert.deepEqual(appsOf(discovered, folder), { blog: 'blog/migrations' });
    });

    it('reads settings split with `from .base import *`', async function () {
      const split = projectFolder({
        'manage.py': managePy('config.settings.dev'),
        'config/__init__.py': '',
        'config/settings/__init__.py': '',
        'config/settings/base.py': settingsPy(['shop'], "AUTH_USER_MODEL = 'shop.Customer'"),
        'config/settings/dev.py': "from .base import *\n\nINSTALLED_APPS += ['blog']\n",
        ...appFiles('shop', { '0001_initial': migrationPy() }),
        ...appFiles('blog', { '0001_initial': migrationPy() }),
      });
      const [discovered] = await discover(split);
      assert.deepEqual(appsOf(discovered, split), { shop: 'shop/migrations', blog: 'blog/migrations' });
      assert.equal(discovered.project.swappableSettings.get('AUTH_USER_MODEL'), 'shop.Customer');
      assert.deepEqual(discovered.project.externalApps, new Set());
    });

    it("fills in AUTH_USER_MODEL's default, or reads it (swappable_custom_user)", async function () {
      const [plain] = await discover(folder);
      assert.deepEqual([...plain.project.swappableSettings], [['AUTH_USER_MODEL', 'auth.User']]);
      const [custom] = await discover(path.join(fixturesDirectory, 'swappable_custom_user'));
      assert.deepEqual([...custom.project.swappableSettings], [['AUTH_USER_MODEL', 'accounts.User']]);
    });

    it('warns when the settings module does not exist and falls back to every migrations package', async function () {
      const [discovered, ...more] = await discover(folder, { settingsModule: 'config.missing' });
      assert.equal(more.length, 0);
      assert.deepEqual(problemsOf(discovered, folder), [
        {
          severity: 'warning',
          code: 'project-configuration',
          file: 'manage.py',
          message: 'The settings module config.missing was not found; every app with a migrations package is used instead.',
        },
      ]);
      assert.deepEqual(appsOf(discovered, folder), { blog: 'blog/migrations', shop: 'shop/migrations' });
      assert.ok(discovered.project.externalApps.has('*'));
    });

    it('warns when manage.py sets no settings module, and falls back the same way', async function () {
      const bare = projectFolder({
        'manage.py': 'import sys\nprint(sys.argv)\n',
        ...appFiles('shop', { '0001_initial': migrationPy() }),
      });
      const [discovered] = await discover(bare);
      assert.equal(discovered.project.settingsModule, undefined);
      assert.deepEqual(
        problemsOf(discovered, bare).map((p) => [p.severity, p.file]),
        [['warning', 'manage.py']],
      );
      assert.match(discovered.project.problems[0].message, /DJANGO_SETTINGS_MODULE/);
      assert.deepEqual(appsOf(discovered, bare), { shop: 'shop/migrations' });
    });
  });

  describe('INSTALLED_APPS', function () {
    it('resolves module entries and AppConfig paths, labels that differ from the folder, folders of the same name (app_labels)', async function () {
      const folder = path.join(fixturesDirectory, 'app_labels');
      const [discovered, ...more] = await discover(folder);
      assert.equal(more.length, 0);
      assert.deepEqual(appsOf(discovered, folder), {
        shop: 'store/migrations',
        billing_core: 'billing/core/migrations',
        shipping_core: 'shipping/core/migrations',
      });
      assert.deepEqual(
        discovered.project.apps.map((app) => [app.name, path.relative(folder, app.directory!), app.migrationsModule, app.external]),
        [
          ['store', 'store', 'store.migrations', false],
          ['billing.core', path.join('billing', 'core'), 'billing.core.migrations', false],
          ['shipping.core', path.join('shipping', 'core'), 'shipping.core.migrations', false],
        ],
      );
      assert.deepEqual(discovered.project.problems, []);
    });

    it('follows default_app_config and the config marked `default = True`', async function () {
      const folder = projectFolder({
        'manage.py': managePy('settings'),
        'settings.py': settingsPy(['shop', 'blog', 'notes.apps.NotesConfig']),
        ...appFiles(
          'shop',
          { '0001_initial': migrationPy() },
          [appsPy('ShopConfig', 'shop', 'plain_shop'), appsPy('ShopDefaultConfig', 'shop', 'default_shop'), '    default = True', ''].join(
            '\n',
          ),
        ),
        ...appFiles('blog', { '0001_initial': migrationPy() }),
        'blog/__init__.py': "default_app_config = 'blog.config.BlogConfig'\n",
        'blog/config.py': appsPy('BlogConfig', 'blog', 'journal'),
        ...appFiles('notes', { '0001_initial': migrationPy() }, appsPy('NotesConfig', 'notes', 'memo')),
      });
      const [discovered] = await discover(folder, { djangoVersion: { major: 3, minor: 2 } });
      assert.deepEqual(appsOf(discovered, folder), {
        default_shop: 'shop/migrations',
        journal: 'blog/migrations',
        memo: 'notes/migrations',
      });
      // Django 4.1 removed default_app_config: blog keeps its own name as label.
      const [newer] = await discover(folder, { djangoVersion: { major: 4, minor: 2 } });
      assert.deepEqual(appsOf(newer, folder), { default_shop: 'shop/migrations', blog: 'blog/migrations', memo: 'notes/migrations' });
    });

    it('reads MIGRATION_MODULES: another module, or None for no migrations (migration_modules)', async function () {
      const folder = path.join(fixturesDirectory, 'migration_modules');
      const projects = await discover(folder);
      assert.equal(projects.length, 1, 'scratch/migrations/ is not a project of its own');
      const [discovered] = projects;
      assert.deepEqual(appsOf(discovered, folder), { legacy: 'db_migrations/legacy', crm: 'crm/migrations', scratch: null });
      assert.deepEqual(
        discovered.project.apps.map((app) => [app.label, app.migrationsModule]),
        [
          ['legacy', 'db_migrations.legacy'],
          ['crm', 'crm.migrations'],
          ['scratch', null],
        ],
      );
    });

    it('keeps a migrations folder without __init__.py as the folder Django would look in', async function () {
      const folder = projectFolder({
        'manage.py': managePy('settings'),
        'settings.py': settingsPy(['shop']),
        'shop/__init__.py': '',
        'shop/migrations/0001_initial.py': migrationPy(),
      });
      const projects = await discover(folder);
      assert.equal(projects.length, 1);
      assert.deepEqual(appsOf(projects[0], folder), { shop: 'shop/migrations' });
    });

    it('reports duplicate labels as a project-configuration error on the settings file', async function () {
      const folder = projectFolder({
        'manage.py': managePy('settings'),
        'settings.py': settingsPy(['billing.core', 'shipping.core', 'shop']),
        ...appFiles('billing.core', { '0001_initial': migrationPy() }),
        ...appFiles('shipping.core', { '0001_initial': migrationPy() }),
        ...appFiles('shop', { '0001_initial': migrationPy() }),
      });
      const [discovered] = await discover(folder);
      assert.deepEqual(problemsOf(discovered, folder), [
        {
          severity: 'error',
          code: 'project-configuration',
          file: 'settings.py',
          message: "ImproperlyConfigured: Application labels aren't unique, duplicates: core",
        },
        {
          severity: 'warning',
          code: 'project-configuration',
          file: 'shipping/core/migrations/__init__.py',
          message:
            "Not analysed: app shipping.core has the label 'core', as billing.core does. Django refuses two installed apps with one label " +
            "(ImproperlyConfigured: Application labels aren't unique), so only billing.core's migrations are read under it.",
        },
      ]);
      assert.deepEqual(appsOf(discovered, folder), { core: 'billing/core/migrations', shop: 'shop/migrations' });
    });

    it('makes installed apps outside the workspace external when no Python is known (swappable_contrib_auth)', async function () {
      const folder = path.join(fixturesDirectory, 'swappable_contrib_auth');
      const [discovered, ...more] = await discover(folder);
      assert.equal(more.length, 0);
      assert.deepEqual(appsOf(discovered, folder), { blog: 'blog/migrations' });
      assert.deepEqual(discovered.project.externalApps, new Set(['auth', 'contenttypes']));
      assert.deepEqual(discovered.project.problems, []);
    });

    it("finds installed apps outside the workspace on the Python's sys.path, marked external", async function () {
      const sysPath = await pythonSysPath(djangoPython, temporaryFolder());
      assert.ok(sysPath, `${djangoPython} did not answer its sys.path`);
      const folder = path.join(fixturesDirectory, 'swappable_contrib_auth');
      const [discovered] = await discover(folder, { pythonSysPath: sysPath });
      const byLabel = new Map(discovered.project.apps.map((app) => [app.label, app]));
      assert.deepEqual([...byLabel.keys()], ['auth', 'contenttypes', 'blog']);
      assert.equal(byLabel.get('auth')?.name, 'django.contrib.auth');
      assert.equal(byLabel.get('auth')?.external, true);
      assert.equal(byLabel.get('blog')?.external, false);
      const authMigrations = byLabel.get('auth')?.migrationsDirectory ?? '';
      assert.match(authMigrations.split(path.sep).join('/'), /\/django\/contrib\/auth\/migrations$/);
      assert.deepEqual(discovered.project.externalApps, new Set());
    });
  });

  describe('workspaces', function () {
    it('makes every package with a migrations package an app when there is no manage.py', async function () {
      const folder = projectFolder({
        ...appFiles('packages.shop', { '0001_initial': migrationPy([['auth', '0012_x']]) }, appsPy('ShopConfig', 'shop', 'store')),
        ...appFiles('packages.blog', { '0001_initial': migrationPy([['store', '0001_initial']]) }),
        'packages/notes/__init__.py': '',
        'packages/notes/migrations/0001_initial.py': migrationPy(),
      });
      const projects = await discover(folder);
      assert.equal(projects.length, 1);
      const [discovered] = projects;
      assert.equal(discovered.project.root, folder);
      assert.equal(discovered.project.managePy, undefined);
      assert.equal(discovered.settings, undefined);
      assert.deepEqual(appsOf(discovered, folder), { blog: 'packages/blog/migrations', store: 'packages/shop/migrations' });
      assert.deepEqual(discovered.project.externalApps, new Set(['*']));
      assert.deepEqual(discovered.project.problems, []);
    });

    it('finds one project per manage.py, and one more for migrations packages outside them', async function () {
      const folder = temporaryFolder();
      copyFixture('linear', folder);
      copyFixture('conflict', folder);
      writeFiles(folder, appFiles('libs.tags', { '0001_initial': migrationPy() }));
      const projects = await discover(folder);
      assert.deepEqual(
        projects.map((discovered) => [path.relative(folder, discovered.project.root), appsOf(discovered, folder)]),
        [
          ['conflict', { shop: 'conflict/shop/migrations' }],
          ['linear', { shop: 'linear/shop/migrations' }],
          ['', { tags: 'libs/tags/migrations' }],
        ],
      );
    });

    it('treats a project nested in another (examples/demo) as a project of its own', async function () {
      const folder = copyFixture('linear');
      copyFixture('linear', folder);
      const projects = await discover(folder);
      assert.deepEqual(
        projects.map((discovered) => appsOf(discovered, folder)),
        [{ shop: 'shop/migrations' }, { shop: 'linear/shop/migrations' }],
      );
    });

    it("keeps a nested project's apps out of the outer project when the settings are missing", async function () {
      const folder = copyFixture('linear');
      copyFixture('linear', folder);
      const projects = await discover(folder, { settingsModule: 'config.missing' });
      assert.deepEqual(
        projects.map((discovered) => appsOf(discovered, folder)),
        [{ shop: 'shop/migrations' }, { shop: 'linear/shop/migrations' }],
        'each project its own app, once',
      );
    });

    it('finds nothing in a folder without projects', async function () {
      assert.deepEqual(await discover(projectFolder({ 'README.md': '' })), []);
    });
  });
});
