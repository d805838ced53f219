import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteOpener } from './sqliteDriver';
import { walModeCopy } from './walModeCopy';

/**
 * Loads better-sqlite3 and proves that its native addon runs in this runtime: an addon built
 * for another Node (desktop VS Code runs extensions on Electron's) fails only when the first
 * database is constructed, so an in-memory one is opened here.
 *
 * @param nativeBinding path of an addon built for this runtime, instead of the installed one
 */
export function loadBetterSqlite3(nativeBinding?: string): SqliteOpener {
  // Required on demand so that a runtime where it cannot load falls back to another driver.
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  new Database(':memory:', { nativeBinding }).close();
  return async (file, busyTimeoutMs, writable = false) => {
    if (writable) return new Database(file, { fileMustExist: true, timeout: busyTimeoutMs, nativeBinding });
    const copy = walModeCopy(file);
    if (copy) return new Database(copy, { readonly: true, nativeBinding });
    return new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs, nativeBinding });
  };
}
