import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadProjects } from '../../server/src/project/projectLoader';

export interface EngineBenchResult {
  migrations: number;
  coldIndexMs: number;
  editRefreshMs: number;
  peakRssMb: number;
  djangoLoaderMs: number;
}

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

/**
 * Cold index (read, parse, graph, every diagnostic) and one-line-edit refresh of a synthetic
 * project, against Django's MigrationLoader building the graph of the same project.
 */
export async function benchEngine(root: string, migrations: number, editFile: string, python = '/usr/bin/python3'): Promise<EngineBenchResult> {
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);

  const coldStart = performance.now();
  const [project] = await loadProjects(root, { trusted: false, readDatabase: false });
  const analysis = project.analyse();
  const coldIndexMs = performance.now() - coldStart;
  if (analysis.loaded.diskMigrations.size !== migrations) {
    throw new Error(`indexed ${analysis.loaded.diskMigrations.size} migrations, expected ${migrations}`);
  }

  const original = readFileSync(editFile, 'utf8');
  const edits = 50;
  const editStart = performance.now();
  for (let i = 0; i < edits; i++) {
    // A one-line edit: the name of an added field changes as if typed.
    project.updateSource(editFile, original.replace("name='field_", `name='f${i}_field_`));
    project.analyse().problemsByFile.get(editFile);
  }
  const editRefreshMs = (performance.now() - editStart) / edits;
  clearInterval(sample);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);

  const djangoLoaderMs = Number(
    execFileSync(python, ['-c', DJANGO_LOADER, root], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 }).trim(),
  );
  return { migrations, coldIndexMs, editRefreshMs, peakRssMb: peakRss / (1 << 20), djangoLoaderMs };
}

export function projectName(root: string): string {
  return path.basename(root);
}
