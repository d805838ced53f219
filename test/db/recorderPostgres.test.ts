import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as net from 'node:net';
import * as path from 'node:path';
import { AppliedMigrationsResult, readAppliedMigrations } from '../../server/src/db/recorder';
import { DatabaseSettings, parseDatabaseUrl } from '../../server/src/db/databaseSettings';
import { djangoPostgresDatabase, migrateDjangoProject, RecordedMigration, recordedMigrations } from './migratedDjangoProject';
import { temporaryFolder } from '../support/projectFolder';
import {
  countOtherConnections,
  createTestDatabase,
  dropTestDatabase,
  ownPostgresCluster,
  runSql,
  testPostgresUrl,
} from './postgresCluster';

/** Django 3.2's own DDL for MigrationRecorder's table on PostgreSQL. */
const DJANGO_MIGRATIONS_DDL =
  'CREATE TABLE "django_migrations" ("id" serial NOT NULL PRIMARY KEY, "app" varchar(255) NOT NULL, ' +
  '"name" varchar(255) NOT NULL, "applied" timestamp with time zone NOT NULL)';

function settingsOf(url: string, change: Partial<DatabaseSettings> = {}): DatabaseSettings {
  const result = parseDatabaseUrl(url);
  assert.ok(result.ok);
  return { ...result.settings, ...change };
}

function assertProblem(result: AppliedMigrationsResult, status: string, settings: DatabaseSettings, ...mentions: string[]): void {
  assert.equal(result.status, status, JSON.stringify(result));
  assert.ok('message' in result);
  assert.ok(!result.message.includes('\n'), 'one line');
  assert.ok(settings.password && !result.message.includes(settings.password), 'no password');
  for (const mention of [`"${settings.name}"`, ...mentions]) {
    assert.ok(result.message.includes(mention), `"${result.message}" mentions ${mention}`);
  }
}

describe('readAppliedMigrations on PostgreSQL', function () {
  this.timeout(120000);
  const databases: string[] = [];
  let serverUrl: string;

  async function newDatabase(prefix: string, ...statements: string[]): Promise<string> {
    const url = await createTestDatabase(serverUrl, prefix);
    databases.push(url);
    await runSql(url, ...statements);
    return url;
  }

  before(async () => {
    serverUrl = await testPostgresUrl();
  });

  after(async () => {
    for (const url of databases) {
      await dropTestDatabase(url);
    }
  });

  it("reads what Django's MigrationRecorder reads from a database Django migrated", async () => {
    const url = await newDatabase('migrated');
    const settings = settingsOf(url);
    const project = temporaryFolder('applied-postgres');
    await migrateDjangoProject(project, djangoPostgresDatabase(url));
    const django: RecordedMigration[] = await recordedMigrations(project, '%Y-%m-%dT%H:%M:%S.%fZ');
    const result = await readAppliedMigrations(settings);
    assert.ok(result.status === 'ok', JSON.stringify(result));
    assert.equal(result.hasTable, true);
    assert.ok(result.rows.length > 10, 'contenttypes and auth migrations');
    assert.deepEqual(
      result.rows.map((row) => [row.app, row.name, row.applied]),
      django,
    );
  });

  it('returns applied times in UTC with microseconds, whatever the session time zone', async () => {
    const url = await newDatabase(
      'times',
      DJANGO_MIGRATIONS_DDL,
      "INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', '2024-05-01 12:00:00.123456+02')",
      "INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0002_alter_permission_name_max_length', '2024-05-01 10:00:01+00')",
    );
    const settings = settingsOf(url, { options: { options: '-c TimeZone=America/New_York' } });
    assert.deepEqual(await readAppliedMigrations(settings), {
      status: 'ok',
      hasTable: true,
      rows: [
        { app: 'auth', name: '0001_initial', applied: '2024-05-01T10:00:00.123456Z' },
        { app: 'auth', name: '0002_alter_permission_name_max_length', applied: '2024-05-01T10:00:01.000000Z' },
      ],
    });
  });

  it('reads a database without django_migrations as ok with no rows', async () => {
    const url = await newDatabase('no_table', 'CREATE TABLE unrelated (id integer)');
    assert.deepEqual(await readAppliedMigrations(settingsOf(url)), { status: 'ok', hasTable: false, rows: [] });
  });

  it('closes its connection after each read', async () => {
    const url = await newDatabase('closed', DJANGO_MIGRATIONS_DDL);
    const settings = settingsOf(url);
    assert.equal((await readAppliedMigrations(settings)).status, 'ok');
    // The server removes a backend shortly after its client leaves: look a few times.
    let others = -1;
    for (let attempt = 0; attempt < 20 && others !== 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      others = await countOtherConnections(url);
    }
    assert.equal(others, 0);
  });

  it('reads the table of the schema the settings put first on the search path', async () => {
    const url = await newDatabase(
      'schema',
      'CREATE SCHEMA tenant',
      DJANGO_MIGRATIONS_DDL.replace('"django_migrations"', 'tenant."django_migrations"'),
      "INSERT INTO tenant.django_migrations (app, name, applied) VALUES ('auth', '0001_initial', now())",
    );
    assert.deepEqual(await readAppliedMigrations(settingsOf(url)), { status: 'ok', hasTable: false, rows: [] });
    const inSchema = await readAppliedMigrations(settingsOf(`${url}?currentSchema=tenant`));
    assert.deepEqual(inSchema.status === 'ok' && inSchema.rows.map((row) => row.name), ['0001_initial']);
  });

  it('reports a wrong password', async () => {
    const settings = settingsOf(serverUrl, { password: 'not-the-password' });
    assertProblem(await readAppliedMigrations(settings), 'authentication-failed', settings, 'password authentication failed');
  });

  it('reports a server that asks for a password the settings do not have', async () => {
    const settings = settingsOf(serverUrl, { password: undefined });
    const result = await readAppliedMigrations(settings);
    assert.equal(result.status, 'authentication-failed', JSON.stringify(result));
  });

  it('reports a missing database', async () => {
    const settings = settingsOf(serverUrl, { name: 'no_such_database' });
    assertProblem(await readAppliedMigrations(settings), 'missing-database', settings, 'does not exist');
  });

  it('reports a port where no server listens as unreachable', async () => {
    const settings = settingsOf(serverUrl, { port: 1 });
    assertProblem(await readAppliedMigrations(settings), 'unreachable', settings, 'ECONNREFUSED');
  });

  it('reports a server that accepts connections but never answers as unreachable', async () => {
    // A listener that reads and never answers, like a server hung under load.
    const silent = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const settings = settingsOf(serverUrl, { host: '127.0.0.1', port });
      const result = await readAppliedMigrations(settings, { postgres: { connectTimeoutMs: 300 } });
      assertProblem(result, 'unreachable', settings, 'timeout');
    } finally {
      silent.close();
      await once(silent, 'close');
    }
  });

  describe('on a server of its own', () => {
    it('goes from ok to unreachable when the server stops, and back to ok when it starts again', async () => {
      const cluster = await ownPostgresCluster();
      const url = await createTestDatabase(cluster.url, 'restart');
      await runSql(url, DJANGO_MIGRATIONS_DDL, "INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', now())");
      const settings = settingsOf(url);
      try {
        assert.equal((await readAppliedMigrations(settings)).status, 'ok');
        await cluster.stop();
        assertProblem(await readAppliedMigrations(settings), 'unreachable', settings);
        await cluster.startAgain();
        const again = await readAppliedMigrations(settings);
        assert.ok(again.status === 'ok', JSON.stringify(again));
        assert.deepEqual(
          again.rows.map((row) => row.name),
          ['0001_initial'],
        );
      } finally {
        await cluster.startAgain().catch(() => undefined);
        await dropTestDatabase(url);
      }
    });

    it('connects through the Unix socket when the settings name no host, as libpq does', async () => {
      const cluster = await ownPostgresCluster();
      // Local logins are trusted: no password is needed over the socket.
      const settings = settingsOf(cluster.url, { host: undefined, password: undefined });
      const viaSocketSearch = await readAppliedMigrations(settings, {
        postgres: { environment: {}, socketDirectories: [path.join(cluster.directory, 'absent'), cluster.directory] },
      });
      assert.deepEqual(viaSocketSearch, { status: 'ok', hasTable: false, rows: [] });
      const viaPgHost = await readAppliedMigrations(settings, {
        postgres: { environment: { PGHOST: cluster.directory }, socketDirectories: [] },
      });
      assert.deepEqual(viaPgHost, { status: 'ok', hasTable: false, rows: [] });
      const viaHostSetting = await readAppliedMigrations({ ...settings, host: cluster.directory });
      assert.deepEqual(viaHostSetting, { status: 'ok', hasTable: false, rows: [] });
    });
  });
});
