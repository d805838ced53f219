import { parentPort } from 'node:worker_threads';
import { loadPythonParser } from '../python/pythonParser';
import { ParseBatches, SharedParseBatches } from './parseBatches';
import { ParsedMigrationFile, readAndParseMigration } from './parsedMigrationFile';

/** Parses migration files off the main thread: claims batches until none is left, answers them. */
parentPort?.once('message', async (shared: SharedParseBatches) => {
  const parser = await loadPythonParser();
  const batches = ParseBatches.fromShared(shared);
  const results: [number, ParsedMigrationFile][] = [];
  for (let batch = batches.claim(); batch; batch = batches.claim()) {
    for (let index = batch.start; index < batch.end; index++) results.push([index, readAndParseMigration(batches.get(index), parser)]);
  }
  // One JSON string crosses threads far faster than a structured clone of many small objects.
  parentPort!.postMessage(JSON.stringify(results));
});
