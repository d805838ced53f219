import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MigrationProject } from '../../../server/src/project/migrationProject';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { ConfiguredDatabase, configuredDatabases, databasesNeedDjango } from '../../../server/src/databases/configuredDatabases';
import { temporaryFolder } from '../../support/projectFolder';

const MANAGE_PY = [
  'import os, sys',
  "if __name__ == '__main__':",
  "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')",
  '    from django.core.management import execute_from_command_line',
  '    execute_from_command_line(sys.argv)',
  '',
].join('\n');

/** A project folder whose settings module is `settings` (statically read, as the server reads it). */
async function projectWithSettings(settings: string): Promise<MigrationProject> {
  const dir = path.join(temporaryFolder('databases'), 'site');
  fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'manage.py'), MANAGE_PY);
  fs.writeFileSync(path.join(dir, 'config', '__init__.py'), '');
  fs.writeFileSync(path.join(dir, 'config', 'settings.py'), `${settings}\nINSTALLED_APPS = []\n`);
  const [project] = await loadProjects(dir, { trusted: false });
  assert.ok(project?.settings, 'the settings were read');
  return project;
}

function only(databases: ConfiguredDatabase[], alias = 'default'): ConfiguredDatabase {
  const found = databases.find((database) => database.alias === alias);
  assert.ok(found, `no alias ${alias} in ${JSON.stringify(databases.map((database) => database.alias))}`);
  return found;
}

describe('configuredDatabases', () => {
  it("reads SQLite's NAME as BASE_DIR / 'db.sqlite3'", async () => {
    const project = await projectWithSettings(
      [
        'from pathlib import Path',
        'BASE_DIR = Path(__file__).resolve().parent.parent',
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}",
      ].join('\n'),
    );
    const root = project.project.root;
    const database = only(configuredDatabases({ root, settings: project.settings, environment: {} }));
    assert.equal(database.source, 'settings');
    assert.equal(database.settings?.engine, 'sqlite');
    assert.equal(database.settings?.name, path.join(root, 'db.sqlite3'));
    assert.equal(databasesNeedDjango(project.settings), false);
  });

  it('reads os.path.join(BASE_DIR, ...) and plain relative names, relative to the project', async () => {
    const project = await projectWithSettings(
      [
        'import os',
        'BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))',
        'DATABASES = {',
        "    'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': os.path.join(BASE_DIR, 'data', 'db.sqlite3')},",
        "    'archive': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'archive.sqlite3'},",
        '}',
      ].join('\n'),
    );
    const root = project.project.root;
    const databases = configuredDatabases({ root, settings: project.settings, environment: {} });
    assert.deepEqual(
      databases.map((database) => [database.alias, database.settings?.name]),
      [
        ['default', path.join(root, 'data', 'db.sqlite3')],
        ['archive', path.join(root, 'archive.sqlite3')],
      ],
    );
  });

  it('reads PostgreSQL fields, values from the environment included, and says which variable is missing', async () => {
    const project = await projectWithSettings(
      [
        'import os',
        'DATABASES = {',
        "    'default': {",
        "        'ENGINE': 'django.db.backends.postgresql',",
        "        'NAME': 'shop',",
        "        'USER': 'django',",
        "        'PASSWORD': os.environ.get('DB_PASSWORD', ''),",
        "        'HOST': os.environ['DB_HOST'],",
        "        'PORT': '5433',",
        '    }',
        '}',
      ].join('\n'),
    );
    const root = project.project.root;
    const withEnvironment = only(
      configuredDatabases({ root, settings: project.settings, environment: { DB_HOST: 'db.internal', DB_PASSWORD: 's3cret' } }),
    );
    assert.deepEqual(
      { ...withEnvironment.settings, options: undefined },
      {
        engine: 'postgresql',
        djangoEngine: 'django.db.backends.postgresql',
        name: 'shop',
        user: 'django',
        password: 's3cret',
        host: 'db.internal',
        port: 5433,
        options: undefined,
      },
    );
    assert.equal(withEnvironment.problem, undefined);

    const without = only(configuredDatabases({ root, settings: project.settings, environment: {} }));
    assert.match(without.problem ?? '', /DB_HOST/);
    assert.equal(without.settings?.password, undefined, "os.environ.get's default is empty: no password");
    assert.equal(databasesNeedDjango(project.settings), true, 'values from the environment are better read by Django');
  });

  it('leaves DATABASES built by a call to Django', async () => {
    const project = await projectWithSettings(['import dj_database_url', "DATABASES = {'default': dj_database_url.config()}"].join('\n'));
    assert.equal(databasesNeedDjango(project.settings), true);
    const django = {
      default: { ENGINE: 'django.db.backends.postgresql', NAME: 'from_django', HOST: 'localhost', PORT: '', PASSWORD: 'x' },
    };
    const database = only(configuredDatabases({ root: project.project.root, settings: project.settings, environment: {}, django }));
    assert.equal(database.source, 'django');
    assert.equal(database.settings?.name, 'from_django');
    assert.equal(database.settings?.password, 'x');
  });

  it('lets the setting replace an alias by URL, lay fields over one, and add aliases', async () => {
    const project = await projectWithSettings(
      [
        'DATABASES = {',
        "    'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'HOST': 'localhost', 'USER': 'app'},",
        "    'replica': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'HOST': 'replica.internal'},",
        '}',
      ].join('\n'),
    );
    const root = project.project.root;
    const databases = configuredDatabases({
      root,
      settings: project.settings,
      environment: {},
      overrides: {
        default: 'sqlite:///local.sqlite3',
        replica: { HOST: 'replica.example', port: 6543 },
        analytics: { ENGINE: 'postgresql', NAME: 'events' },
        broken: 'not a url',
      },
    });
    assert.deepEqual(
      databases.map((database) => database.alias),
      ['default', 'replica', 'analytics', 'broken'],
    );
    assert.deepEqual(
      [only(databases).source, only(databases).settings?.engine, only(databases).settings?.name],
      ['setting', 'sqlite', path.join(root, 'local.sqlite3')],
    );
    const replica = only(databases, 'replica').settings;
    assert.deepEqual([replica?.name, replica?.host, replica?.port], ['shop', 'replica.example', 6543]);
    assert.deepEqual(
      [only(databases, 'analytics').settings?.engine, only(databases, 'analytics').settings?.name],
      ['postgresql', 'events'],
    );
    assert.equal(only(databases, 'broken').settings, undefined);
    assert.match(only(databases, 'broken').problem ?? '', /djangoMigrations\.databases\.connections\.broken/);
  });

  it('uses the password stored for the project and alias', async () => {
    const project = await projectWithSettings(
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'PASSWORD': 'in-settings'}, 'other': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'x'}}",
    );
    const root = project.project.root;
    const databases = configuredDatabases({
      root,
      settings: project.settings,
      environment: {},
      password: (alias) => (alias === 'default' ? 'stored' : undefined),
    });
    assert.equal(only(databases).settings?.password, 'stored');
    assert.equal(only(databases, 'other').settings?.password, undefined);
  });
});
