import { parentPort, workerData } from 'node:worker_threads';
import { DatabaseSettings } from './databaseSettings';
import { readAppliedMigrations, ReadAppliedMigrationsOptions } from './recorder';

/** What the thread that starts this worker hands it. */
export interface SqliteReadRequest {
  readonly settings: DatabaseSettings;
  readonly options: ReadAppliedMigrationsOptions;
}

/** Reads one SQLite file's applied migrations on its own thread: a driver that blocks blocks only here. */
const request = workerData as SqliteReadRequest;
void readAppliedMigrations(request.settings, request.options).then((result) => parentPort?.postMessage(result));
