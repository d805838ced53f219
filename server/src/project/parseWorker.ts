import { parentPort } from 'node:worker_threads';
import { loadPythonParser } from '../python/pythonParser';
import { ParseBatches, SharedParseBatches } from './parseBatches';
import { AppMigrationModule, readAndCheckMigration } from './parsedMigrationFile';
import { WorkerResultsBuilder } from './workerResults';

/** Parses and checks migration files off the main thread: claims batches until none is left. */
parentPort?.once('message', async (shared: SharedParseBatches<AppMigrationModule>) => {
  const parser = await loadPythonParser();
  const results = new WorkerResultsBuilder();
  ParseBatches.fromShared(shared).drain((module, index) => results.add(index, readAndCheckMigration(module, parser)));
  parentPort!.postMessage(results.results());
});
