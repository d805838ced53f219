import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { benchEngine } from './engineBench';
import { writeSyntheticProject } from './syntheticProject';

/** `npm run bench`: prints the figures the issues ask for; asserts nothing. */
async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'django-migrations-bench-'));
  try {
    const { migrations, editFile } = writeSyntheticProject(root);
    console.log(`Synthetic project: ${migrations} migrations in 50 apps (${root})`);
    const engine = await benchEngine(root, migrations, editFile);
    const row = (label: string, value: string, target: string) => console.log(`  ${label.padEnd(38)} ${value.padStart(12)}   target ${target}`);
    console.log('\nEngine (issue: parse, graph, diagnostics)');
    row('cold index (read, parse, graph, checks)', `${engine.coldIndexMs.toFixed(0)} ms`, '<= 1000 ms');
    row('refresh after a one-line edit', `${engine.editRefreshMs.toFixed(1)} ms`, '<= 20 ms');
    row('peak memory (RSS)', `${engine.peakRssMb.toFixed(0)} MB`, '<= 200 MB');
    row("Django's MigrationLoader, same project", `${engine.djangoLoaderMs.toFixed(0)} ms`, '');
    row('ratio (Django / cold index)', `${(engine.djangoLoaderMs / engine.coldIndexMs).toFixed(1)}x`, '>= 10x');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
