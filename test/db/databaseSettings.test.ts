import * as assert from 'node:assert/strict';
import {
  databaseSettingsFromDjango,
  DatabaseSettings,
  describeDatabase,
  engineFromDjango,
  parseDatabaseUrl,
} from '../../server/src/db/databaseSettings';

function parsed(url: string, baseDirectory?: string): DatabaseSettings {
  const result = parseDatabaseUrl(url, { baseDirectory });
  assert.ok(result.ok, `expected ${url} to parse`);
  return result.settings;
}

describe('databaseSettings', () => {
  describe('parseDatabaseUrl', () => {
    it('reads a PostgreSQL URL with credentials, port and options', () => {
      assert.deepEqual(parsed('postgres://django:s%40cret@db.example.com:6543/shop?sslmode=require'), {
        engine: 'postgresql',
        djangoEngine: 'django.db.backends.postgresql',
        name: 'shop',
        user: 'django',
        password: 's@cret',
        host: 'db.example.com',
        port: 6543,
        options: { sslmode: 'require' },
      });
    });

    it('accepts the postgresql, pgsql and postgis schemes', () => {
      assert.equal(parsed('postgresql://u@h/db').engine, 'postgresql');
      assert.equal(parsed('pgsql://u@h/db').engine, 'postgresql');
      const postgis = parsed('postgis://u@h/db');
      assert.equal(postgis.engine, 'postgresql');
      assert.equal(postgis.djangoEngine, 'django.contrib.gis.db.backends.postgis');
    });

    it('turns currentSchema into the search path, as dj-database-url does', () => {
      assert.deepEqual(parsed('postgres://u@h/db?currentSchema=tenant&sslmode=disable').options, {
        sslmode: 'disable',
        options: '-c search_path=tenant',
      });
    });

    it('leaves what the URL does not say unset', () => {
      const settings = parsed('postgres://localhost/db');
      assert.equal(settings.user, undefined);
      assert.equal(settings.password, undefined);
      assert.equal(settings.port, undefined);
      assert.equal(settings.host, 'localhost');
    });

    it('reads a percent-encoded socket directory and a bracketed IPv6 host', () => {
      assert.equal(parsed('postgres://%2Fvar%2Frun%2Fpostgresql/db').host, '/var/run/postgresql');
      assert.equal(parsed('postgres://u:p@[::1]:5433/db').host, '::1');
    });

    it('reads sqlite:////absolute and sqlite:///relative as dj-database-url does', () => {
      assert.equal(parsed('sqlite:////srv/site/db.sqlite3').name, '/srv/site/db.sqlite3');
      assert.equal(parsed('sqlite:///db.sqlite3').name, 'db.sqlite3');
      assert.equal(parsed('sqlite:///data/db.sqlite3', '/srv/site').name, '/srv/site/data/db.sqlite3');
      assert.equal(parsed('sqlite:////srv/db.sqlite3', '/elsewhere').name, '/srv/db.sqlite3');
      assert.equal(parsed('sqlite:///my%20db.sqlite3', '/srv').name, '/srv/my db.sqlite3');
    });

    it('reads an empty or :memory: SQLite URL as an in-memory database', () => {
      assert.equal(parsed('sqlite://').name, ':memory:');
      assert.equal(parsed('sqlite://:memory:').name, ':memory:');
      const sqlite = parsed('sqlite:///db.sqlite3?timeout=20');
      assert.equal(sqlite.engine, 'sqlite');
      assert.equal(sqlite.djangoEngine, 'django.db.backends.sqlite3');
      assert.deepEqual(sqlite.options, { timeout: '20' });
    });

    it('names the backend of other schemes without reading them', () => {
      const mysql = parsed('mysql://root:pw@localhost/shop');
      assert.equal(mysql.engine, 'other');
      assert.equal(mysql.djangoEngine, 'django.db.backends.mysql');
      assert.equal(parsed('exotic://h/db').djangoEngine, 'exotic');
    });

    it('returns a problem, never the password, for URLs it cannot read', () => {
      for (const url of ['not a url', 'postgres://u:hunter22@h:99999/db', 'sqlite:relative.db', 'postgres://u:%zz@h/db']) {
        const result = parseDatabaseUrl(url);
        assert.equal(result.ok, false, url);
        assert.ok(!result.ok && !result.problem.includes('hunter22') && !result.problem.includes('%zz'), url);
      }
    });
  });

  describe('engineFromDjango', () => {
    it('maps Django and GIS backends, and wrappers that keep the backend module name', () => {
      const cases: Record<string, string> = {
        'django.db.backends.sqlite3': 'sqlite',
        'django.contrib.gis.db.backends.spatialite': 'sqlite',
        'django.db.backends.postgresql': 'postgresql',
        'django.db.backends.postgresql_psycopg2': 'postgresql',
        'django.contrib.gis.db.backends.postgis': 'postgresql',
        'django_prometheus.db.backends.postgresql': 'postgresql',
        'django_tenants.postgresql_backend': 'postgresql',
        'django.db.backends.mysql': 'other',
        'django.db.backends.oracle': 'other',
        'django.db.backends.dummy': 'other',
        '': 'other',
      };
      for (const [djangoEngine, engine] of Object.entries(cases)) {
        assert.equal(engineFromDjango(djangoEngine), engine, djangoEngine);
      }
    });
  });

  describe('databaseSettingsFromDjango', () => {
    it('reads a DATABASES entry, ignoring values of the wrong type', () => {
      const settings = databaseSettingsFromDjango({
        ENGINE: 'django.db.backends.postgresql',
        NAME: 'shop',
        USER: 'django',
        PASSWORD: 'secret',
        HOST: '',
        PORT: '5433',
        OPTIONS: { sslmode: 'require', connect_timeout: 5, pool: { min_size: 1 } },
        TEST: { NAME: 'test_shop' },
      });
      assert.deepEqual(settings, {
        engine: 'postgresql',
        djangoEngine: 'django.db.backends.postgresql',
        name: 'shop',
        user: 'django',
        password: 'secret',
        host: undefined,
        port: 5433,
        options: { sslmode: 'require', connect_timeout: 5 },
      });
      assert.equal(databaseSettingsFromDjango({ ENGINE: 'django.db.backends.postgresql', PORT: 'x' }).port, undefined);
      assert.equal(databaseSettingsFromDjango({ ENGINE: 'django.db.backends.postgresql', PORT: 5432 }).port, 5432);
    });

    it('resolves a relative SQLite NAME against the project folder', () => {
      const relative = databaseSettingsFromDjango(
        { ENGINE: 'django.db.backends.sqlite3', NAME: 'db.sqlite3' },
        { baseDirectory: '/srv/site' },
      );
      assert.equal(relative.name, '/srv/site/db.sqlite3');
      const memory = databaseSettingsFromDjango({ ENGINE: 'django.db.backends.sqlite3', NAME: ':memory:' }, { baseDirectory: '/srv' });
      assert.equal(memory.name, ':memory:');
    });

    it('treats a missing ENGINE as Django does: the dummy backend', () => {
      const settings = databaseSettingsFromDjango({});
      assert.equal(settings.engine, 'other');
      assert.equal(settings.djangoEngine, 'django.db.backends.dummy');
    });
  });

  describe('describeDatabase', () => {
    it('names the database, server and user but never the password', () => {
      const settings = parsed('postgres://django:hunter22@127.0.0.1:54329/shop');
      const description = describeDatabase(settings);
      assert.equal(description, 'PostgreSQL database "shop" on 127.0.0.1:54329 as django');
      assert.ok(!description.includes('hunter22'));
      assert.equal(describeDatabase(parsed('postgres:///shop')), 'PostgreSQL database "shop" on the default host');
      assert.equal(describeDatabase(parsed('sqlite:////srv/db.sqlite3')), 'SQLite database /srv/db.sqlite3');
      assert.equal(describeDatabase(parsed('mysql://root:hunter22@h/shop')), 'database "shop" (django.db.backends.mysql)');
    });
  });
});
