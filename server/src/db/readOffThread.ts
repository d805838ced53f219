import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { databaseProblem } from './databaseProblem';
import { DatabaseSettings } from './databaseSettings';
import { AppliedMigrationsResult, readAppliedMigrations, ReadAppliedMigrationsOptions } from './recorder';
import type { SqliteReadAnswer, SqliteReadRequest } from './sqliteReadWorker';

/** Far above a read of `django_migrations`; past it the read is given up and tried again later. */
export const SQLITE_READ_TIME_LIMIT_MS = 10_000;

/**
 * `readAppliedMigrations` for a SQLite file on a worker thread: the drivers are synchronous, so a
 * slow disk, a lock or a huge file would otherwise hold the server's main thread. A read that
 * does not answer within `timeLimitMs` is stopped (the thread with it) and becomes a status, as
 * does an answer that comes later than that. Without the worker script (an unbundled layout),
 * the read runs here.
 *
 * One thread is kept between reads: starting a thread and loading the drivers in it takes over
 * 100 ms, many times what reading `django_migrations` does. It keeps the process alive only
 * while it reads. A read asked while it is busy gets a thread of its own, so that a slow file
 * never holds up another.
 */
export function readSqliteOffThread(
  settings: DatabaseSettings,
  options: ReadAppliedMigrationsOptions = {},
  timeLimitMs = SQLITE_READ_TIME_LIMIT_MS,
): Promise<AppliedMigrationsResult> {
  const script = path.join(__dirname, 'sqliteReadWorker.js');
  if (settings.engine !== 'sqlite' || !existsSync(script)) return readAppliedMigrations(settings, options);
  if (keptBusy) return readOn(startThread(script), { id: nextId++, settings, options }, timeLimitMs, (worker) => void worker.terminate());
  const worker = (kept ??= startThread(script));
  keptBusy = true;
  return readOn(worker, { id: nextId++, settings, options }, timeLimitMs, (worker, answered) => {
    keptBusy = false;
    if (answered) return worker.unref();
    // Its driver may still be waiting on the disk, or the thread is gone.
    if (kept === worker) kept = undefined;
    void worker.terminate();
  });
}

let kept: Worker | undefined;
let keptBusy = false;
let nextId = 1;

function startThread(script: string): Worker {
  const worker = new Worker(script);
  // What fails between two reads is only forgotten: the next read starts another thread.
  worker
    .on('error', () => undefined)
    .on('exit', () => {
      if (kept === worker) kept = undefined;
    });
  return worker;
}

/** Asks `worker` for one read; `done` learns whether it answered (else it is to be stopped). */
function readOn(
  worker: Worker,
  request: SqliteReadRequest,
  timeLimitMs: number,
  done: (worker: Worker, answered: boolean) => void,
): Promise<AppliedMigrationsResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const tooLate = () =>
      databaseProblem('error', request.settings, `no answer within ${timeLimitMs / 1000} s (a slow disk or a lock), read again later`);
    const settle = (result: AppliedMigrationsResult, answered: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      done(worker, answered);
      resolve(result);
    };
    const onMessage = (answer: SqliteReadAnswer) => {
      if (answer.id === request.id) settle(performance.now() - started > timeLimitMs ? tooLate() : answer.result, true);
    };
    const onError = (error: Error) => settle(databaseProblem('error', request.settings, error.message), false);
    const onExit = () => settle(databaseProblem('error', request.settings, 'the reading thread stopped without an answer'), false);
    const timer = setTimeout(() => settle(tooLate(), false), timeLimitMs);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.ref();
    worker.postMessage(request);
  });
}
