import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { databaseProblem } from './databaseProblem';
import { DatabaseSettings } from './databaseSettings';
import { AppliedMigrationsResult, readAppliedMigrations, ReadAppliedMigrationsOptions } from './recorder';
import type { SqliteReadRequest } from './sqliteReadWorker';

/** Far above a read of `django_migrations`; past it the read is given up and tried again later. */
export const SQLITE_READ_TIME_LIMIT_MS = 10_000;

/**
 * `readAppliedMigrations` for a SQLite file on a worker thread: the drivers are synchronous, so a
 * slow disk, a lock or a huge file would otherwise hold the server's main thread. A read that
 * does not answer within `timeLimitMs` is stopped (the thread with it) and becomes a status.
 * Without the worker script (an unbundled layout), the read runs here.
 */
export function readSqliteOffThread(
  settings: DatabaseSettings,
  options: ReadAppliedMigrationsOptions = {},
  timeLimitMs = SQLITE_READ_TIME_LIMIT_MS,
): Promise<AppliedMigrationsResult> {
  const script = path.join(__dirname, 'sqliteReadWorker.js');
  if (settings.engine !== 'sqlite' || !existsSync(script)) return readAppliedMigrations(settings, options);
  return new Promise((resolve) => {
    const request: SqliteReadRequest = { settings, options };
    const worker = new Worker(script, { workerData: request });
    let settled = false;
    const settle = (result: AppliedMigrationsResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        settle(databaseProblem('error', settings, `no answer within ${timeLimitMs / 1000} s (a slow disk or a lock), read again later`)),
      timeLimitMs,
    );
    worker.once('message', (result: AppliedMigrationsResult) => settle(result));
    worker.once('error', (error) => settle(databaseProblem('error', settings, error.message)));
    worker.once('exit', () => settle(databaseProblem('error', settings, 'the reading thread stopped without an answer')));
  });
}
