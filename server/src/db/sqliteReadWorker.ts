import { parentPort } from 'node:worker_threads';
import { databaseProblem } from './databaseProblem';
import { DatabaseSettings } from './databaseSettings';
import { AppliedMigrationsResult, readAppliedMigrations, ReadAppliedMigrationsOptions } from './recorder';

/** A read the server's thread asks of this one. */
export interface SqliteReadRequest {
  readonly id: number;
  readonly settings: DatabaseSettings;
  readonly options: ReadAppliedMigrationsOptions;
}

/** What it answers, under the request's id. */
export interface SqliteReadAnswer {
  readonly id: number;
  readonly result: AppliedMigrationsResult;
}

/** Reads SQLite files' applied migrations on its own thread: a driver that blocks blocks only here. */
parentPort?.on('message', (request: SqliteReadRequest) => {
  void readAppliedMigrations(request.settings, request.options)
    .catch((error: unknown) => databaseProblem('error', request.settings, error instanceof Error ? error.message : String(error)))
    .then((result) => {
      const answer: SqliteReadAnswer = { id: request.id, result };
      parentPort?.postMessage(answer);
    });
});
