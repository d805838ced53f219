import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PythonParser } from '../python/pythonParser';
import { nodeFileSystem, ProjectFileSystem } from './fileSystem';
import { ParseBatches } from './parseBatches';
import { FileStat, ParseCache } from './parseCache';
import { AppMigrationModule, CheckedMigrationFile, checkMigrationBytes, readAndCheckMigration } from './parsedMigrationFile';
import { decodeWorkerResults, WorkerResults } from './workerResults';

/** Below this many files a worker's start-up costs more than it saves. */
const WORKER_THRESHOLD = 400;

/**
 * Reads, parses and checks migration files, in the order given. Files the cache holds at their
 * current size and time (checked under the same app label) are not read at all, and what is
 * parsed goes into the cache. Large batches on the plain file system are shared between the main
 * thread and a worker thread per other core, since parsing is most of a cold start.
 */
export async function loadMigrationFiles(
  modules: readonly AppMigrationModule[],
  fileSystem: ProjectFileSystem,
  parser: PythonParser,
  cache?: ParseCache,
): Promise<CheckedMigrationFile[]> {
  if (!cache || fileSystem !== nodeFileSystem) return parseAll(modules, fileSystem, parser);
  const results: CheckedMigrationFile[] = new Array(modules.length);
  const stats = new Map<string, FileStat>();
  const misses: number[] = [];
  modules.forEach((module, index) => {
    const stat = statSync(module.path, { throwIfNoEntry: false });
    const entry = stat && cache.get(module.path, stat);
    if (entry && entry.app === module.app) results[index] = { path: module.path, ...entry };
    else misses.push(index);
    if (stat) stats.set(module.path, { size: stat.size, mtimeMs: stat.mtimeMs });
  });
  const parsed = await parseAll(
    misses.map((index) => modules[index]),
    fileSystem,
    parser,
  );
  parsed.forEach((file, position) => {
    results[misses[position]] = file;
    const { path: filePath, ...checked } = file;
    const stat = stats.get(filePath);
    // An unreadable file is asked again: fixing permissions leaves its time as it was.
    if (stat && checked.fingerprint) cache.set(filePath, { ...checked, ...stat });
  });
  cache.retain(new Set(modules.map((module) => module.path)));
  return results;
}

async function parseAll(
  modules: readonly AppMigrationModule[],
  fileSystem: ProjectFileSystem,
  parser: PythonParser,
): Promise<CheckedMigrationFile[]> {
  if (fileSystem !== nodeFileSystem) {
    return Promise.all(modules.map(async (module) => checkMigrationBytes(module, await fileSystem.readFile(module.path), parser)));
  }
  const workerScript = path.join(__dirname, 'parseWorker.js');
  const workers = Math.min(cpus().length - 1, 3);
  if (modules.length < WORKER_THRESHOLD || workers < 1 || !existsSync(workerScript)) {
    return modules.map((module) => readAndCheckMigration(module, parser));
  }
  // Every thread claims the next batch from one shared counter until none is left: the main
  // thread starts at once while the workers are still starting, and nobody waits on a slow share.
  const batches = new ParseBatches(modules);
  const offloaded = Array.from({ length: workers }, () => parseInWorker(workerScript, batches));
  const results: CheckedMigrationFile[] = new Array(modules.length);
  batches.drain((module, index) => (results[index] = readAndCheckMigration(module, parser)));
  for (const parsed of await Promise.all(offloaded)) {
    for (const [index, file] of parsed) results[index] = file;
  }
  return results;
}

function parseInWorker(script: string, batches: ParseBatches<AppMigrationModule>): Promise<[index: number, file: CheckedMigrationFile][]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script);
    worker.once('message', (results: WorkerResults) => {
      resolve(decodeWorkerResults(results));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.postMessage(batches.shared());
  });
}
