import * as fs from 'node:fs';
import { Dialect, Kysely, sql } from 'kysely';
import { classifyDatabaseError, DatabaseProblem, databaseProblem, isUndefinedTableError } from './databaseProblem';
import { DatabaseSettings, SQLITE_IN_MEMORY } from './databaseSettings';
import { createPostgresDialect, PostgresConnectOptions } from './postgresDialect';
import { createSqliteDialect } from './sqliteDialect';
import { SqliteOpenOptions } from './sqliteDriver';

/** One row of Django's `django_migrations` table (MigrationRecorder.Migration). */
export interface AppliedMigration {
  readonly app: string;
  readonly name: string;
  /**
   * When it was applied, ISO 8601 text. SQLite: exactly as Django stored it (naive, UTC when
   * USE_TZ is on, e.g. `2024-05-01 10:00:00.123456`). PostgreSQL: the stored instant in UTC
   * with microseconds (e.g. `2024-05-01T10:00:00.123456Z`).
   */
  readonly applied: string;
}

export type AppliedMigrationsResult =
  | {
      readonly status: 'ok';
      /** MigrationRecorder.has_table(): false when nothing was ever migrated. */
      readonly hasTable: boolean;
      /** In the order they were applied. */
      readonly rows: readonly AppliedMigration[];
    }
  | DatabaseProblem;

export interface ReadAppliedMigrationsOptions {
  readonly sqlite?: SqliteOpenOptions;
  readonly postgres?: PostgresConnectOptions;
}

interface MigrationRecorderTables {
  django_migrations: { id: number; app: string; name: string; applied: unknown };
}

/**
 * Reads the applied migrations of one database, read-only. Never throws: a database that cannot
 * be read gives a status with a one-line message. Each call opens its own connection and closes
 * it before returning, so nothing is left open between reads.
 */
export async function readAppliedMigrations(
  settings: DatabaseSettings,
  options: ReadAppliedMigrationsOptions = {},
): Promise<AppliedMigrationsResult> {
  const reader = new AppliedMigrationsReader(settings, options);
  try {
    return await reader.read();
  } finally {
    await reader.close();
  }
}

/**
 * Reads one database's applied migrations again and again, keeping its connection between reads
 * (the pool's idle timeout still closes it): for a database that is read every few seconds,
 * where connecting and logging in would cost more than the query. A read that fails drops the
 * connection, so the next one connects afresh. Never throws.
 */
export class AppliedMigrationsReader {
  private db: Kysely<MigrationRecorderTables> | undefined;

  constructor(
    private readonly settings: DatabaseSettings,
    private readonly options: ReadAppliedMigrationsOptions = {},
  ) {}

  async read(): Promise<AppliedMigrationsResult> {
    const settings = this.settings;
    const problem = problemBeforeConnecting(settings);
    if (problem !== undefined) {
      return problem;
    }
    try {
      this.db ??= new Kysely<MigrationRecorderTables>({ dialect: createDialect(settings, this.options) });
      const applied =
        settings.engine === 'postgresql'
          ? // Formatted by the server: pg's Date would drop the microseconds.
            sql<string>`to_char(applied at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
          : sql<unknown>`applied`;
      const rows = await this.db
        .selectFrom('django_migrations')
        .select(['app', 'name', applied.as('applied')])
        .orderBy('id')
        .execute();
      return {
        status: 'ok',
        hasTable: true,
        rows: rows.map((row) => ({ app: row.app, name: row.name, applied: String(row.applied) })),
      };
    } catch (error) {
      if (isUndefinedTableError(error)) {
        return { status: 'ok', hasTable: false, rows: [] };
      }
      await this.close();
      return classifyDatabaseError(error, settings);
    }
  }

  /** Closes the connection; the next read opens a new one. */
  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    await db?.destroy().catch(() => undefined);
  }
}

function problemBeforeConnecting(settings: DatabaseSettings): DatabaseProblem | undefined {
  if (settings.engine === 'other') {
    return databaseProblem('unsupported-engine', settings, 'only SQLite and PostgreSQL databases are read');
  }
  if (settings.engine === 'sqlite') {
    if (settings.name === '') {
      return databaseProblem('missing-file', settings, 'NAME is empty');
    }
    if (settings.name === SQLITE_IN_MEMORY || settings.name.startsWith('file::memory:')) {
      return databaseProblem('missing-file', settings, 'an in-memory database exists only inside the Django process');
    }
    if (settings.name.startsWith('file:')) {
      return databaseProblem('error', settings, 'URI filenames (OPTIONS uri=True) are not read; NAME must be a path');
    }
    if (!fs.existsSync(settings.name)) {
      return databaseProblem('missing-file', settings, 'no such file; Django creates it on the first migrate');
    }
  }
  return undefined;
}

function createDialect(settings: DatabaseSettings, options: ReadAppliedMigrationsOptions): Dialect {
  return settings.engine === 'postgresql'
    ? createPostgresDialect(settings, options.postgres)
    : createSqliteDialect(settings.name, options.sqlite);
}
