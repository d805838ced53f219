import { parentPort } from 'node:worker_threads';
import { loadPythonParser } from '../python/pythonParser';
import { ParseBatches, SharedParseBatches } from './parseBatches';
import { AppMigrationModule, CheckedMigrationFile, readAndCheckMigration } from './parsedMigrationFile';
import { encodeWorkerResults } from './workerResults';

/** Parses and checks migration files off the main thread: claims batches until none is left. */
parentPort?.once('message', async (shared: SharedParseBatches<AppMigrationModule>) => {
  const parser = await loadPythonParser();
  const results: [number, CheckedMigrationFile][] = [];
  ParseBatches.fromShared(shared).drain((module, index) => results.push([index, readAndCheckMigration(module, parser)]));
  parentPort!.postMessage(encodeWorkerResults(results));
});
