import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PythonParser } from '../python/pythonParser';
import { nodeFileSystem, ProjectFileSystem } from './fileSystem';
import { CacheEntry, FileStat, ParseCache } from './parseCache';
import { ParseBatches } from './parseBatches';
import { ParsedMigrationFile, parseMigrationBytes, readAndParseMigration } from './parsedMigrationFile';

/** Below this many files a worker's start-up costs more than it saves. */
const WORKER_THRESHOLD = 400;

/** A migration file from the cache, or read and parsed now (with what the cache would key it on). */
export type LoadedMigrationFile =
  | { readonly kind: 'cached'; readonly path: string; readonly entry: CacheEntry }
  | { readonly kind: 'parsed'; readonly file: ParsedMigrationFile; readonly stat?: FileStat };

/**
 * Reads and parses migration files. Files the cache holds at their current size and time are
 * not read at all; large batches on the plain file system are split between the main thread and
 * a worker thread per other core, since parsing is most of a cold start.
 */
export async function loadMigrationFiles(
  files: readonly string[],
  fileSystem: ProjectFileSystem,
  parser: PythonParser,
  cache?: ParseCache,
): Promise<LoadedMigrationFile[]> {
  const parsed = (file: ParsedMigrationFile, stat?: FileStat): LoadedMigrationFile => ({ kind: 'parsed', file, stat });
  if (!cache || fileSystem !== nodeFileSystem) return (await parseAll(files, fileSystem, parser)).map((file) => parsed(file));
  const results: LoadedMigrationFile[] = [];
  const stats = new Map<string, FileStat>();
  const misses: string[] = [];
  for (const file of files) {
    const stat = statSync(file, { throwIfNoEntry: false });
    const entry = stat && cache.get(file, stat);
    if (entry) results.push({ kind: 'cached', path: file, entry });
    else misses.push(file);
    if (stat) stats.set(file, { size: stat.size, mtimeMs: stat.mtimeMs });
  }
  for (const file of await parseAll(misses, fileSystem, parser)) results.push(parsed(file, stats.get(file.path)));
  return results;
}

async function parseAll(files: readonly string[], fileSystem: ProjectFileSystem, parser: PythonParser): Promise<ParsedMigrationFile[]> {
  const workerScript = path.join(__dirname, 'parseWorker.js');
  const workers = Math.min(cpus().length - 1, 3);
  if (files.length < WORKER_THRESHOLD || workers < 1 || fileSystem !== nodeFileSystem || !existsSync(workerScript)) {
    return Promise.all(files.map(async (file) => parseMigrationBytes(file, await fileSystem.readFile(file), parser)));
  }
  // Every thread claims the next batch from one shared counter until none is left: the main
  // thread starts at once while the workers are still starting, and nobody waits on a slow share.
  const batches = new ParseBatches(files);
  const offloaded = Array.from({ length: workers }, () => parseInWorker(workerScript, batches));
  const results: ParsedMigrationFile[] = new Array(files.length);
  for (let batch = batches.claim(); batch; batch = batches.claim()) {
    for (let index = batch.start; index < batch.end; index++) results[index] = readAndParseMigration(batches.get(index), parser);
  }
  for (const parsed of await Promise.all(offloaded)) {
    for (const [index, file] of parsed) results[index] = file;
  }
  return results;
}

function parseInWorker(script: string, batches: ParseBatches): Promise<[index: number, file: ParsedMigrationFile][]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script);
    worker.once('message', (results: string) => {
      resolve(JSON.parse(results) as [number, ParsedMigrationFile][]);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.postMessage(batches.shared());
  });
}
