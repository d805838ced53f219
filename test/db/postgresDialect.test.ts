import * as assert from 'node:assert/strict';
import { parseDatabaseUrl } from '../../server/src/db/databaseSettings';
import { postgresPoolConfig } from '../../server/src/db/postgresDialect';

function configFor(url: string, environment: Record<string, string> = {}) {
  const result = parseDatabaseUrl(url);
  assert.ok(result.ok);
  return postgresPoolConfig(result.settings, { environment, socketDirectories: [] });
}

describe('postgresPoolConfig', () => {
  it('connects with the settings and short timeouts by default', () => {
    const config = configFor('postgres://django:secret@db.example.com:6543/shop');
    assert.equal(config.host, 'db.example.com');
    assert.equal(config.port, 6543);
    assert.equal(config.user, 'django');
    assert.equal(config.password, 'secret');
    assert.equal(config.database, 'shop');
    assert.equal(config.ssl, false);
    assert.equal(config.connectionTimeoutMillis, 3000);
    assert.equal(config.allowExitOnIdle, true);
  });

  it("follows libpq's sslmode, from OPTIONS or PGSSLMODE", () => {
    assert.deepEqual(configFor('postgres://h/db?sslmode=require').ssl, { rejectUnauthorized: false });
    assert.deepEqual(configFor('postgres://h/db?sslmode=verify-full').ssl, { rejectUnauthorized: true });
    assert.equal(configFor('postgres://h/db?sslmode=disable').ssl, false);
    assert.deepEqual(configFor('postgres://h/db', { PGSSLMODE: 'require' }).ssl, { rejectUnauthorized: false });
    assert.equal(configFor('postgres://h/db?sslmode=disable', { PGSSLMODE: 'require' }).ssl, false);
  });

  it('takes connect_timeout in seconds and startup options from OPTIONS', () => {
    const config = configFor('postgres://h/db?connect_timeout=7&options=-c%20search_path%3Dtenant');
    assert.equal(config.connectionTimeoutMillis, 7000);
    assert.equal(config.options, '-c search_path=tenant');
  });

  it("falls back to PGHOST, PGPORT, then TCP to localhost, and the 'postgres' database", () => {
    assert.equal(configFor('postgres:///db', { PGHOST: '/run/pg' }).host, '/run/pg');
    assert.equal(configFor('postgres:///db', { PGPORT: '6000' }).port, 6000);
    const bare = configFor('postgres://');
    assert.equal(bare.host, 'localhost');
    assert.equal(bare.port, 5432);
    assert.equal(bare.database, 'postgres');
  });
});
