import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PythonParser } from '../python/pythonParser';
import { nodeFileSystem, ProjectFileSystem } from './fileSystem';
import { MAIN_THREAD_SLICE_MS } from './editedTextParser';
import { ParseBatches } from './parseBatches';
import type { ParseWorkerRequest } from './parseWorker';
import { contentHash, FileContent, ParseCache } from './parseCache';
import {
  AppMigrationModule,
  CheckedMigrationFile,
  checkMigrationBytes,
  readAndCheckMigration,
  readAndCheckMigrationFast,
} from './parsedMigrationFile';
import { decodeWorkerResults, WorkerResults } from './workerResults';

/** Below this many files a worker's start-up costs more than it saves. */
const WORKER_THRESHOLD = 400;
/** The longest the fast reads hold the thread at a time. */
const READ_SLICE_MS = 25;

/**
 * Reads, parses and checks migration files, in the order given. Files the cache holds with their
 * current bytes (checked under the same app label) are read but not parsed, and what is
 * parsed goes into the cache. On the plain file system, files in the shapes the fast reader knows
 * are read on the spot; large batches of the rest are shared between the main thread and a worker
 * thread per other core, since a tree-sitter parse is most of a cold start.
 */
export async function loadMigrationFiles(
  modules: readonly AppMigrationModule[],
  fileSystem: ProjectFileSystem,
  parser: PythonParser,
  cache?: ParseCache,
): Promise<CheckedMigrationFile[]> {
  if (!cache || fileSystem !== nodeFileSystem) return parseAll(modules, fileSystem, parser);
  const results: CheckedMigrationFile[] = new Array(modules.length);
  const contents = new Map<string, FileContent>();
  const misses: number[] = [];
  const missedBytes: (Uint8Array | undefined)[] = [];
  let sliceStart = performance.now();
  for (const [index, module] of modules.entries()) {
    const bytes = readBytes(module.path);
    const content = bytes && { contentHash: contentHash(bytes) };
    const entry = content && cache.get(module.path, content);
    if (entry && entry.app === module.app) results[index] = { path: module.path, ...entry };
    else {
      misses.push(index);
      missedBytes.push(bytes);
    }
    if (content) contents.set(module.path, content);
    // Thousands of files are hashed in slices, as they are read below: the server answers in between.
    if (performance.now() - sliceStart > READ_SLICE_MS) {
      await new Promise(setImmediate);
      sliceStart = performance.now();
    }
  }
  const parsed = await parseAll(
    misses.map((index) => modules[index]),
    fileSystem,
    parser,
    missedBytes,
  );
  parsed.forEach((file, position) => {
    results[misses[position]] = file;
    const { fingerprint, invalidUtf8, parsed: reading, app, problems } = file;
    // Keyed by the bytes read before the parse: a file changed in between is parsed again next time.
    const content = contents.get(file.path);
    // An unreadable file is asked again: fixing permissions leaves its bytes as they were. The text itself is not kept.
    if (content && fingerprint) cache.set(file.path, { fingerprint, invalidUtf8, parsed: reading, app, problems, ...content });
  });
  cache.retain(new Set(modules.map((module) => module.path)));
  return results;
}

function readBytes(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** `known` holds the bytes of files already read (for the cache), by position: they are not read again. */
async function parseAll(
  modules: readonly AppMigrationModule[],
  fileSystem: ProjectFileSystem,
  parser: PythonParser,
  known: readonly (Uint8Array | undefined)[] = [],
): Promise<CheckedMigrationFile[]> {
  if (fileSystem !== nodeFileSystem) {
    return Promise.all(modules.map(async (module) => checkMigrationBytes(module, await fileSystem.readFile(module.path), parser)));
  }
  // Most migrations are read without a syntax tree in microseconds: only the rest are worth a thread.
  const results: CheckedMigrationFile[] = new Array(modules.length);
  const slow: number[] = [];
  let sliceStart = performance.now();
  for (const [index, module] of modules.entries()) {
    const checked = readAndCheckMigrationFast(module, known[index]);
    if (checked) results[index] = checked;
    else slow.push(index);
    // A large project is read in slices: in between, the server answers the open editors first.
    if (performance.now() - sliceStart > READ_SLICE_MS) {
      await new Promise(setImmediate);
      sliceStart = performance.now();
    }
  }
  const parsed = await parseWithTrees(
    slow.map((index) => modules[index]),
    parser,
  );
  parsed.forEach((file, position) => (results[slow[position]] = file));
  return results;
}

async function parseWithTrees(modules: readonly AppMigrationModule[], parser: PythonParser): Promise<CheckedMigrationFile[]> {
  const workerScript = path.join(__dirname, 'parseWorker.js');
  if (!existsSync(workerScript)) return modules.map((module) => readAndCheckMigration(module, parser));
  const workers = Math.min(cpus().length - 1, 3);
  if (modules.length < WORKER_THRESHOLD || workers < 1) return parseWithinSlice(modules, parser, workerScript);
  // Every thread claims the next batch from one shared counter until none is left: the main
  // thread starts at once while the workers are still starting, and nobody waits on a slow share.
  const batches = new ParseBatches(modules);
  const offloaded = Array.from({ length: workers }, () => parseInWorker(workerScript, batches, parser.limitMs));
  const results: CheckedMigrationFile[] = new Array(modules.length);
  batches.drain((module, index) => (results[index] = readAndCheckMigration(module, parser)));
  for (const parsed of await Promise.all(offloaded)) {
    for (const [index, file] of parsed) results[index] = file;
  }
  return results;
}

/**
 * A few files, each parsed here within a slice of the thread; those that need more (a huge
 * file) are parsed again on one worker thread within the full limit, so that none holds this
 * thread for long.
 */
async function parseWithinSlice(
  modules: readonly AppMigrationModule[],
  parser: PythonParser,
  workerScript: string,
): Promise<CheckedMigrationFile[]> {
  const slice = parser.withTimeLimit(Math.min(MAIN_THREAD_SLICE_MS, parser.limitMs));
  const results = modules.map((module) => readAndCheckMigration(module, slice));
  const long = results.flatMap((file, index) => (file.problems.some((problem) => problem.code === 'parse-time-limit') ? [index] : []));
  if (long.length === 0) return results;
  const parsed = await parseInWorker(workerScript, new ParseBatches(long.map((index) => modules[index])), parser.limitMs);
  for (const [position, file] of parsed) results[long[position]] = file;
  return results;
}

function parseInWorker(
  script: string,
  batches: ParseBatches<AppMigrationModule>,
  limitMs: number,
): Promise<[index: number, file: CheckedMigrationFile][]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script);
    worker.once('message', (results: WorkerResults) => {
      resolve(decodeWorkerResults(results));
      void worker.terminate();
    });
    worker.once('error', reject);
    const request: ParseWorkerRequest = { batches: batches.shared(), limitMs };
    worker.postMessage(request);
  });
}
