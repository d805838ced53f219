import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { djangoPython } from '../test/support/testDjango';
import { Command, PairedFigures, pairedProcesses } from './pairedProcesses';

/** Django's own loader as a whole process: what a `check` in CI competes with. */
const DJANGO_LOADER_PROCESS = `
import os, sys
sys.path.insert(0, sys.argv[1])
os.environ['DJANGO_SETTINGS_MODULE'] = 'benchsite.settings'
import django
django.setup()
from django.db.migrations.loader import MigrationLoader
MigrationLoader(None, ignore_no_migrations=True)
`;

const RUNS = 5;

export interface CliBenchResult {
  /** `cli check` with no cache, beside Django's loader process with its bytecode warm. */
  readonly cold: PairedFigures;
  /** `cli check --cache-dir` with the cache of an earlier run, beside the same. */
  readonly cached: PairedFigures;
  /** `cli graph --json` with no cache, beside the same. */
  readonly graph: PairedFigures;
}

/**
 * `node dist/cli.js check ROOT` as CI runs it, each run paired with Django 3.2's MigrationLoader
 * in a python3 process whose bytecode cache was written by an earlier run.
 */
export function benchCli(root: string, python = djangoPython): CliBenchResult {
  const cacheDirectory = mkdtempSync(path.join(tmpdir(), 'django-migrations-bench-cli-cache-'));
  const bytecodeDirectory = mkdtempSync(path.join(tmpdir(), 'django-migrations-bench-cli-pyc-'));
  try {
    const cli = path.join(__dirname, '..', '..', 'dist', 'cli.js');
    const cliCommand = (command: string, ...options: string[]): Command => ({
      file: process.execPath,
      args: [cli, command, root, '--django-version', '3.2', ...options],
    });
    const check = (...options: string[]) => cliCommand('check', ...options);
    const django: Command = {
      file: python,
      args: ['-c', DJANGO_LOADER_PROCESS, root],
      cwd: root,
      env: { ...process.env, PYTHONPYCACHEPREFIX: bytecodeDirectory },
    };
    const cold = pairedProcesses(check(), django, RUNS);
    const cached = pairedProcesses(check('--cache-dir', cacheDirectory), django, RUNS);
    const graph = pairedProcesses(cliCommand('graph', '--json'), django, RUNS);
    return { cold, cached, graph };
  } finally {
    rmSync(cacheDirectory, { recursive: true, force: true });
    rmSync(bytecodeDirectory, { recursive: true, force: true });
  }
}

export function printCliBench(result: CliBenchResult, migrations: number): void {
  const row = (label: string, value: string, target: string) =>
    console.log(`  ${label.padEnd(38)} ${value.padStart(22)}   target ${target}`);
  const figures = (paired: PairedFigures) => `${paired.a.wallMs.toFixed(0)} / ${paired.b.wallMs.toFixed(0)} ms`;
  console.log(
    `\nCLI (issue: speed at scale), ${migrations} migrations, whole processes in turn, median of ${RUNS}: ours / Django 3.2's MigrationLoader process (bytecode warm)`,
  );
  row('cli check, no cache: wall', figures(result.cold), '');
  row('  ratio Django / ours, wall', `${result.cold.wallRatio.toFixed(2)}x`, '>= 3x');
  row('  ratio Django / ours, CPU', `${result.cold.cpuRatio.toFixed(2)}x`, '');
  row('  peak memory, ours / Django', `${result.cold.a.peakMb.toFixed(0)} / ${result.cold.b.peakMb.toFixed(0)} MB`, '');
  row('cli check --cache-dir (warm): wall', figures(result.cached), '');
  row('  ratio Django / ours, wall', `${result.cached.wallRatio.toFixed(2)}x`, '>= 10x');
  row('  ratio Django / ours, CPU', `${result.cached.cpuRatio.toFixed(2)}x`, '');
  row('  peak memory, ours / Django', `${result.cached.a.peakMb.toFixed(0)} / ${result.cached.b.peakMb.toFixed(0)} MB`, '');
  row('cli graph --json, no cache: wall', figures(result.graph), '');
  row('  ratio Django / ours, wall', `${result.graph.wallRatio.toFixed(2)}x`, '');
  row('  ratio Django / ours, CPU', `${result.graph.cpuRatio.toFixed(2)}x`, '');
}
