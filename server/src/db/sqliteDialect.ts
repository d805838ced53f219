import { SqliteDialect } from 'kysely';
import { openSqliteDatabase, SqliteOpenOptions } from './sqliteDriver';

/**
 * A kysely dialect over one SQLite file, opened read-only by the first driver that loads in
 * this runtime (see `openSqliteDatabase`). The file is opened by the first query, so a failure
 * to open it surfaces there; `Kysely.destroy()` closes it.
 */
export function createSqliteDialect(file: string, options: SqliteOpenOptions = {}): SqliteDialect {
  return new SqliteDialect({
    database: async () => (await openSqliteDatabase(file, options)).database,
  });
}
