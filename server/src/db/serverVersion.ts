import { Kysely, sql } from 'kysely';
import { DatabaseSettings } from './databaseSettings';
import { createPostgresDialect, PostgresConnectOptions } from './postgresDialect';

/**
 * The server's version as it reports it (PostgreSQL's `server_version_num`, e.g. `150004`), read
 * on a connection of its own that is closed before returning. Undefined for a database this
 * layer cannot ask (SQLite has no server; MySQL is not read) or cannot reach: an unreachable
 * database only means an unknown version. Never throws.
 */
export async function readServerVersion(settings: DatabaseSettings, options: PostgresConnectOptions = {}): Promise<string | undefined> {
  if (settings.engine !== 'postgresql') return undefined;
  const db = new Kysely<Record<string, never>>({ dialect: createPostgresDialect(settings, { maxConnections: 1, ...options }) });
  try {
    const result = await sql<{ server_version_num: string }>`SHOW server_version_num`.execute(db);
    return result.rows[0]?.server_version_num;
  } catch {
    return undefined;
  } finally {
    await db.destroy().catch(() => undefined);
  }
}
