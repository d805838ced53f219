import * as fs from 'node:fs';
import { Kysely } from 'kysely';
import { classifyDatabaseError, DatabaseProblem, databaseProblem } from './databaseProblem';
import { DatabaseSettings } from './databaseSettings';
import { createPostgresDialect, PostgresConnectOptions } from './postgresDialect';
import { createSqliteDialect } from './sqliteDialect';
import { SqliteOpenOptions } from './sqliteDriver';

/** One `django_migrations` row renamed: `(app, from)` becomes `(app, to)`. */
export interface RecorderRename {
  readonly app: string;
  readonly from: string;
  readonly to: string;
}

export interface RecorderRenameOptions {
  readonly sqlite?: SqliteOpenOptions;
  readonly postgres?: PostgresConnectOptions;
}

interface RecorderTable {
  django_migrations: { id: number; app: string; name: string };
}

export type RecorderRenameResult = { readonly status: 'ok' } | DatabaseProblem;

/**
 * Renames rows of one database's `django_migrations` in one transaction: every row is renamed,
 * or none is. A row that is missing, or a new name that is already recorded, rolls back the
 * transaction and is reported, so the caller leaves the migration files unchanged. Never throws.
 */
export async function renameRecorderRows(
  settings: DatabaseSettings,
  renames: readonly RecorderRename[],
  options: RecorderRenameOptions = {},
): Promise<RecorderRenameResult> {
  if (settings.engine === 'other')
    return databaseProblem('unsupported-engine', settings, 'only SQLite and PostgreSQL databases are written');
  // A SQLite file is never created by a rename: no file means no row to rename.
  if (settings.engine === 'sqlite' && !fs.statSync(settings.name, { throwIfNoEntry: false })?.isFile())
    return databaseProblem('missing-file', settings, 'no such file, so no row to rename');
  const db = new Kysely<RecorderTable>({
    dialect:
      settings.engine === 'postgresql'
        ? createPostgresDialect(settings, options.postgres)
        : createSqliteDialect(settings.name, { ...options.sqlite, writable: true }),
  });
  try {
    await db.transaction().execute(async (trx) => {
      for (const rename of renames) {
        const taken = await trx
          .selectFrom('django_migrations')
          .select('id')
          .where('app', '=', rename.app)
          .where('name', '=', rename.to)
          .execute();
        if (taken.length > 0) throw new RowConflict(`a row ${rename.app}.${rename.to} already exists`);
        const rows = await trx
          .selectFrom('django_migrations')
          .select('id')
          .where('app', '=', rename.app)
          .where('name', '=', rename.from)
          .execute();
        if (rows.length === 0) throw new RowConflict(`no row ${rename.app}.${rename.from} (the database changed since it was read)`);
        await trx
          .updateTable('django_migrations')
          .set({ name: rename.to })
          .where('app', '=', rename.app)
          .where('name', '=', rename.from)
          .execute();
      }
    });
    return { status: 'ok' };
  } catch (error) {
    if (error instanceof RowConflict) return databaseProblem('error', settings, error.message);
    return classifyDatabaseError(error, settings);
  } finally {
    await db.destroy().catch(() => undefined);
  }
}

class RowConflict extends Error {}
