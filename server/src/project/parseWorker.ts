import { parentPort } from 'node:worker_threads';
import { loadPythonParser } from '../python/pythonParser';
import { readAndParseMigration } from './parsedMigrationFile';

/** Parses migration files off the main thread: receives paths, answers the parsed files. */
parentPort?.on('message', async (files: string[]) => {
  const parser = await loadPythonParser();
  const results = files.map((file) => readAndParseMigration(file, parser));
  // One JSON string crosses threads far faster than a structured clone of many small objects.
  parentPort!.postMessage(JSON.stringify(results));
});
