import type { SqliteDatabase } from 'kysely';
import { loadBetterSqlite3 } from './betterSqlite3Database';
import { loadNodeSqlite } from './nodeSqliteDatabase';
import { loadSqlJs } from './sqlJsDatabase';
import { opensWithNewFiles } from './walModeCopy';

export type SqliteDriverName = 'better-sqlite3' | 'node:sqlite' | 'sql.js';

/**
 * Tried in this order: the native addon is the fastest; `node:sqlite` needs no addon built for
 * the runtime; sql.js runs anywhere but reads a copy of the file.
 */
export const DEFAULT_SQLITE_DRIVERS: readonly SqliteDriverName[] = ['better-sqlite3', 'node:sqlite', 'sql.js'];

/** How long a read waits for another connection's lock; short, as it blocks the thread. */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 1000;

/** Opens one file (read-only unless `writable`); what a driver gives once it has loaded. */
export type SqliteOpener = (file: string, busyTimeoutMs: number, writable?: boolean) => Promise<SqliteDatabase>;

export interface SqliteOpenOptions {
  /** Drivers to try, in order; the first one that loads in this runtime opens the file. */
  readonly drivers?: readonly SqliteDriverName[];
  readonly busyTimeoutMs?: number;
  /** A better-sqlite3 addon built for this runtime (such as Electron's), instead of the installed one. */
  readonly betterSqlite3Binding?: string;
  /** Open for writing (renaming recorder rows on an explicit command); sql.js, which reads a copy, is skipped. */
  readonly writable?: boolean;
}

export interface OpenedSqliteDatabase {
  readonly database: SqliteDatabase;
  readonly driver: SqliteDriverName;
}

/** No driver in the list loads in this runtime; `message` says why each one failed. */
export class SqliteDriverUnavailableError extends Error {
  readonly code = 'SQLITE_DRIVER_UNAVAILABLE';
}

/**
 * Opens a SQLite file read-only, so that a running `migrate` is never blocked by a write lock
 * of ours, and never creates a missing file. A driver that fails to load is skipped; a failure
 * to open the file (missing, locked, not a database) is thrown as the driver reports it.
 */
export async function openSqliteDatabase(file: string, options: SqliteOpenOptions = {}): Promise<OpenedSqliteDatabase> {
  const failures: string[] = [];
  for (const driver of options.drivers ?? DEFAULT_SQLITE_DRIVERS) {
    // node:sqlite opens files only in place, which would create a WAL file's companions.
    if (driver === 'node:sqlite' && opensWithNewFiles(file)) {
      failures.push(`${driver}: would create -wal and -shm files beside a WAL-mode database`);
      continue;
    }
    if (driver === 'sql.js' && options.writable) {
      failures.push(`${driver}: reads a copy of the file, so cannot write to it`);
      continue;
    }
    let open: SqliteOpener;
    try {
      open = await loadDriver(driver, options);
    } catch (error) {
      failures.push(`${driver}: ${firstLine(error)}`);
      continue;
    }
    const database = await open(file, options.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS, options.writable);
    return { database, driver };
  }
  throw new SqliteDriverUnavailableError(
    failures.length === 0 ? 'no SQLite driver was allowed' : `no SQLite driver loads here (${failures.join('; ')})`,
  );
}

function loadDriver(driver: SqliteDriverName, options: SqliteOpenOptions): SqliteOpener | Promise<SqliteOpener> {
  switch (driver) {
    case 'better-sqlite3':
      return loadBetterSqlite3(options.betterSqlite3Binding);
    case 'node:sqlite':
      return loadNodeSqlite();
    case 'sql.js':
      return loadSqlJs();
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0].trim();
}
