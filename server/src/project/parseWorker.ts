import { parentPort } from 'node:worker_threads';
import { loadPythonParser } from '../python/pythonParser';
import { ParseBatches, SharedParseBatches } from './parseBatches';
import { AppMigrationModule, readAndCheckMigration } from './parsedMigrationFile';
import { WorkerResultsBuilder } from './workerResults';

/** What a parsing thread receives: the shared batches, and the time limit of each file's parse. */
export interface ParseWorkerRequest {
  readonly batches: SharedParseBatches<AppMigrationModule>;
  readonly limitMs: number;
}

/** Parses and checks migration files off the main thread: claims batches until none is left. */
parentPort?.once('message', async ({ batches, limitMs }: ParseWorkerRequest) => {
  const parser = (await loadPythonParser()).withTimeLimit(limitMs);
  const results = new WorkerResultsBuilder();
  ParseBatches.fromShared(batches).drain((module, index) => results.add(index, readAndCheckMigration(module, parser)));
  parentPort!.postMessage(results.results());
});
