import { Dialect, Kysely, RawBuilder, sql } from 'kysely';
import { DatabaseSettings } from './databaseSettings';
import { createMysqlDialect, isMysqlBackend, MysqlConnectOptions } from './mysqlDialect';
import { createPostgresDialect, PostgresConnectOptions } from './postgresDialect';

export interface ServerVersionOptions {
  readonly postgres?: PostgresConnectOptions;
  readonly mysql?: MysqlConnectOptions;
}

/**
 * The server's version as it reports it (PostgreSQL's `server_version_num`, e.g. `150004`;
 * MySQL's and MariaDB's `VERSION()`, e.g. `8.0.36` or `10.11.6-MariaDB-0+deb12u1`), read on a
 * connection of its own that is closed before returning. Undefined for a database without a
 * server (SQLite), one this layer cannot ask, or one it cannot reach: an unreachable database
 * only means an unknown version. Never throws, and never says why (an error can name the user).
 */
export async function readServerVersion(settings: DatabaseSettings, options: ServerVersionOptions = {}): Promise<string | undefined> {
  if (settings.engine === 'postgresql') {
    const dialect = createPostgresDialect(settings, { maxConnections: 1, ...options.postgres });
    return readVersion(dialect, sql<{ version: string }>`SELECT current_setting('server_version_num') AS version`);
  }
  if (isMysqlBackend(settings.djangoEngine)) {
    return readVersion(createMysqlDialect(settings, options.mysql), sql<{ version: string }>`SELECT VERSION() AS version`);
  }
  return undefined;
}

async function readVersion(dialect: Dialect, query: RawBuilder<{ version: string }>): Promise<string | undefined> {
  const db = new Kysely<Record<string, never>>({ dialect });
  try {
    const version = (await query.execute(db)).rows[0]?.version;
    return version === undefined ? undefined : String(version);
  } catch {
    return undefined;
  } finally {
    await db.destroy().catch(() => undefined);
  }
}
