import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadProjects } from '../server/src/project/projectLoader';
import { djangoPython } from '../test/support/testDjango';

export interface ColdIndex {
  milliseconds: number;
  migrations: number;
  peakRssMb: number;
}

export interface EngineBenchResult {
  /** A fresh process with nothing cached: every file read and parsed. */
  cold: ColdIndex;
  /** A fresh process with the parse cache of an earlier run (the editor reopening a project). */
  coldCached: ColdIndex;
  editRefreshMs: number;
  /** Django compiling every migration module (no bytecode cache): compare with `cold`. */
  djangoLoaderMs: number;
  /** Django with its bytecode cache warm: compare with `coldCached`. */
  djangoLoaderCachedMs: number;
  djangoProcessMs: number;
}

/** Django's own loader on the same project, timed inside Python, after django.setup(). */
const DJANGO_LOADER = `
import os, sys, time
sys.path.insert(0, sys.argv[1])
os.environ['DJANGO_SETTINGS_MODULE'] = 'benchsite.settings'
import django
django.setup()
from django.db.migrations.loader import MigrationLoader
start = time.perf_counter()
loader = MigrationLoader(None, ignore_no_migrations=True)
print((time.perf_counter() - start) * 1000)
`;

/** Runs of each timing; the median is reported, so one slow run on a shared machine does not decide. */
const RUNS = 5;

function medianOf<T extends { milliseconds: number }>(runs: number, run: () => T): T {
  const results = Array.from({ length: runs }, run).sort((a, b) => a.milliseconds - b.milliseconds);
  return results[Math.floor(runs / 2)];
}

/**
 * Cold index (read, parse, graph, every diagnostic) in fresh processes, and the refresh after a
 * one-line edit, against Django's MigrationLoader building the graph of the same project.
 */
export async function benchEngine(root: string, migrations: number, editFile: string, python = djangoPython): Promise<EngineBenchResult> {
  const cacheDirectory = mkdtempSync(path.join(tmpdir(), 'django-migrations-bench-cache-'));
  const bytecodeDirectory = mkdtempSync(path.join(tmpdir(), 'django-migrations-bench-pyc-'));
  try {
    const coldIndex = (cache?: string): ColdIndex => {
      const output = execFileSync(process.execPath, [path.join(__dirname, 'coldIndex.js'), root, ...(cache ? [cache] : [])], {
        encoding: 'utf8',
      });
      const result = JSON.parse(output) as ColdIndex;
      if (result.migrations !== migrations) throw new Error(`indexed ${result.migrations} migrations, expected ${migrations}`);
      return result;
    };
    const cold = medianOf(RUNS, () => coldIndex());
    coldIndex(cacheDirectory); // Fills the cache.
    const coldCached = medianOf(RUNS, () => coldIndex(cacheDirectory));

    const [project] = await loadProjects(root, { trusted: false });
    project.analyse();
    const original = readFileSync(editFile, 'utf8');
    const edits = 50;
    const editStart = performance.now();
    for (let i = 0; i < edits; i++) {
      // A one-line edit: the name of an added field changes as if typed.
      project.updateSource(editFile, original.replace("name='field_", `name='f${i}_field_`));
      project.analyse().problemsByFile.get(editFile);
    }
    const editRefreshMs = (performance.now() - editStart) / edits;

    // Bytecode goes to a folder of its own, so neither run reads a __pycache__ left in the project.
    const django = (writeBytecode: boolean) => {
      const environment = { ...process.env, PYTHONPYCACHEPREFIX: bytecodeDirectory, PYTHONDONTWRITEBYTECODE: writeBytecode ? '' : '1' };
      return Number(execFileSync(python, ['-c', DJANGO_LOADER, root], { cwd: root, encoding: 'utf8', env: environment }).trim());
    };
    const processStart = performance.now();
    django(false);
    const djangoProcessMs = performance.now() - processStart;
    const djangoLoaderMs = medianOf(RUNS, () => ({ milliseconds: django(false) })).milliseconds;
    django(true); // Writes the bytecode.
    const djangoLoaderCachedMs = medianOf(RUNS, () => ({ milliseconds: django(true) })).milliseconds;
    return { cold, coldCached, editRefreshMs, djangoLoaderMs, djangoLoaderCachedMs, djangoProcessMs };
  } finally {
    rmSync(cacheDirectory, { recursive: true, force: true });
    rmSync(bytecodeDirectory, { recursive: true, force: true });
  }
}
