import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { EMPTY_CONFIGURATION } from '../../server/src/core/lints/lintConfiguration';
import { targetLabel } from '../../server/src/core/lints/lintTarget';
import { ConfiguredDatabase } from '../../server/src/databases/configuredDatabases';
import { lintTargets } from '../../server/src/databases/lintTargets';
import { DatabaseSettings, parseDatabaseUrl } from '../../server/src/db/databaseSettings';
import { mysqlPoolOptions } from '../../server/src/db/mysqlDialect';
import { readServerVersion } from '../../server/src/db/serverVersion';
import { runMariadbSql, testMariadbUrl } from './mariadbServer';

function settingsOf(url: string): DatabaseSettings {
  const parsed = parseDatabaseUrl(url);
  assert.ok(parsed.ok);
  return parsed.settings;
}

/** The MySQL-family server version read through the db layer (kysely's MysqlDialect over mysql2), on a real MariaDB. */
describe('MySQL and MariaDB server versions', function () {
  this.timeout(120_000);
  let url: string;

  before(async () => {
    url = await testMariadbUrl();
  });

  it("reads VERSION() from the server, and the lint target names MariaDB with the server's own version", async () => {
    const settings = settingsOf(url);
    const [{ version }] = await runMariadbSql(url, 'SELECT VERSION() AS version');
    assert.equal(await readServerVersion(settings), version);
    assert.match(String(version), /^\d+\.\d+\.\d+-MariaDB/);
    const database: ConfiguredDatabase = { alias: 'default', settings, source: 'settings' };
    const [target] = await lintTargets({
      databases: [database],
      serverVersion: (configured) => readServerVersion(configured.settings!),
      configuration: EMPTY_CONFIGURATION,
    });
    const [major, minor] = String(version).split('.').map(Number);
    assert.deepEqual(target, { alias: 'default', vendor: 'mysql', version: [major, minor], versionSource: 'server', mariadb: true });
    assert.equal(targetLabel(target), `MariaDB ${major}.${minor}`);
  });

  it('an unreachable server, a refused login or a database that does not exist is an unknown version, never an error', async () => {
    const settings = settingsOf(url);
    assert.equal(await readServerVersion({ ...settings, password: 'wrong' }), undefined);
    assert.equal(await readServerVersion({ ...settings, name: 'no_such_database' }), undefined);
    const closed = await closedPort();
    assert.equal(await readServerVersion({ ...settings, port: closed }), undefined);
  });

  it('a server that never answers the handshake costs the connect timeout, then is unknown', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const settings = { ...settingsOf(url), port, options: { connect_timeout: 1 } };
      assert.equal(await readServerVersion(settings), undefined);
    } finally {
      silent.close();
    }
  });

  it("connects as Django's MySQL backend does: HOST '/...' or unix_socket is a socket, no HOST the local socket, MYSQL_PWD when no PASSWORD", () => {
    const base: DatabaseSettings = { engine: 'other', djangoEngine: 'django.db.backends.mysql', name: 'shop', user: 'u', options: {} };
    const environment = { MYSQL_PWD: 'from-environment', MYSQL_UNIX_PORT: '/tmp/env.sock' };
    assert.deepEqual(pick(mysqlPoolOptions({ ...base, host: '127.0.0.1', port: 3307, password: 'p' }, { environment })), {
      host: '127.0.0.1',
      port: 3307,
      password: 'p',
      socketPath: undefined,
    });
    assert.deepEqual(pick(mysqlPoolOptions({ ...base, host: '/run/db.sock' }, { environment })), {
      host: undefined,
      port: undefined,
      password: 'from-environment',
      socketPath: '/run/db.sock',
    });
    assert.equal(mysqlPoolOptions({ ...base }, { environment }).socketPath, '/tmp/env.sock');
    assert.equal(mysqlPoolOptions({ ...base, host: 'localhost' }, { environment: {} }).socketPath, '/run/mysqld/mysqld.sock');
    assert.equal(mysqlPoolOptions({ ...base, host: 'db', options: { unix_socket: '/x.sock' } }, { environment: {} }).socketPath, '/x.sock');
    assert.equal(mysqlPoolOptions({ ...base, host: 'db', options: { connect_timeout: 7 } }, { environment: {} }).connectTimeout, 7000);
  });
});

function pick(options: { host?: string; port?: number; password?: string; socketPath?: string }) {
  return { host: options.host, port: options.port, password: options.password, socketPath: options.socketPath };
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
