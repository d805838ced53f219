import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeState } from '../server/src/core/makeState';
import { MigrationStates } from '../server/src/core/migrationStates';
import { loadProjects } from '../server/src/project/projectLoader';
import { writeSyntheticProject } from './syntheticProject';

/** Django's `loader.project_state()` on the same project: the replay alone, then with the loader. */
const DJANGO_STATE = `
import os, sys, time
sys.path.insert(0, sys.argv[1])
os.environ['DJANGO_SETTINGS_MODULE'] = 'benchsite.settings'
import django
django.setup()
from django.db.migrations.loader import MigrationLoader
start = time.perf_counter()
loader = MigrationLoader(None, ignore_no_migrations=True)
loaded = time.perf_counter()
state = loader.project_state()
end = time.perf_counter()
print((end - loaded) * 1000, (end - start) * 1000, len(state.models))
`;

const RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export interface StateBenchResult {
  readonly models: number;
  /** Decoding every migration body the parse threads sent as JSON text (once per process). */
  readonly decodeMs: number;
  /** The first full replay in the process: includes reading every operation list once. */
  readonly firstLeafStateMs: number;
  /** The same in fresh processes (bench/freshState.ts), median of 5: what the first hover waits for. */
  readonly freshLeafStateMs: number;
  /** Their processor time during that replay, median: less disturbed than wall time on a busy machine. */
  readonly freshLeafStateCpuMs: number;
  /** Their decoding of every migration body, median (parsing's cost, not the state's). */
  readonly freshDecodeMs: number;
  /** The full state of every app at its leaf (Django's loader.project_state()), median. */
  readonly leafStateMs: number;
  /** The state after each of the migrations, asked one after the other (hover, lints). */
  readonly everyMigrationMs: number;
  readonly djangoModels: number;
  readonly djangoProjectStateMs: number;
  readonly djangoLoaderAndStateMs: number;
}

/** The state of every app at its leaf on the synthetic project, side by side with Django. */
export async function benchState(root: string, python = '/usr/bin/python3'): Promise<StateBenchResult> {
  const [project] = await loadProjects(root, { trusted: false });
  const { graph } = project.loaderResult();
  const settings = project.project.swappableSettings;
  // Migration bodies come from the parse threads as JSON text, decoded when first read.
  let start = performance.now();
  for (const migration of graph.nodes.values()) void migration?.parsed.operations;
  const decodeMs = performance.now() - start;
  start = performance.now();
  const first = makeState(graph, undefined, true, settings);
  const firstLeafStateMs = performance.now() - start;
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    start = performance.now();
    makeState(graph, undefined, true, settings);
    runs.push(performance.now() - start);
  }
  const states = new MigrationStates(graph, settings);
  start = performance.now();
  for (const key of graph.nodes.keys()) states.stateAfter(key);
  const everyMigrationMs = performance.now() - start;

  const fresh = Array.from(
    { length: RUNS },
    () =>
      JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'freshState.js'), root], { encoding: 'utf8' })) as {
        decodeMs: number;
        firstLeafStateMs: number;
        cpuMs: number;
      },
  );

  const environment = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  const django = Array.from({ length: RUNS }, () =>
    execFileSync(python, ['-c', DJANGO_STATE, root], { cwd: root, encoding: 'utf8', env: environment }).trim().split(' ').map(Number),
  );
  return {
    models: first.models.size,
    decodeMs,
    firstLeafStateMs,
    freshLeafStateMs: median(fresh.map((run) => run.firstLeafStateMs)),
    freshLeafStateCpuMs: median(fresh.map((run) => run.cpuMs)),
    freshDecodeMs: median(fresh.map((run) => run.decodeMs)),
    leafStateMs: median(runs),
    everyMigrationMs,
    djangoModels: django[0][2],
    djangoProjectStateMs: median(django.map((run) => run[0])),
    djangoLoaderAndStateMs: median(django.map((run) => run[1])),
  };
}

export function printStateBench(result: StateBenchResult, migrations: number): void {
  const row = (label: string, value: string, target: string) =>
    console.log(`  ${label.padEnd(38)} ${value.padStart(12)}   target ${target}`);
  console.log(
    `\nMigration state (issue: models and the migration state), ${migrations} migrations, ${result.models} models (Django: ${result.djangoModels})`,
  );
  row('decode every migration body, once', `${result.decodeMs.toFixed(1)} ms`, '');
  row('full state at every leaf, first run', `${result.firstLeafStateMs.toFixed(1)} ms`, '<= 300 ms');
  row('  the same, fresh processes, median of 5', `${result.freshLeafStateMs.toFixed(1)} ms`, '<= 300 ms');
  row('  their processor time, median of 5', `${result.freshLeafStateCpuMs.toFixed(1)} ms`, '<= 300 ms');
  row('  (their decoding of the bodies before)', `${result.freshDecodeMs.toFixed(1)} ms`, '');
  row('full state at every leaf, median of 5', `${result.leafStateMs.toFixed(1)} ms`, '<= 300 ms');
  row('state after each migration, all of them', `${result.everyMigrationMs.toFixed(0)} ms`, '');
  row("Django's loader.project_state()", `${result.djangoProjectStateMs.toFixed(0)} ms`, '');
  row('  with its MigrationLoader', `${result.djangoLoaderAndStateMs.toFixed(0)} ms`, '');
}

/** `node out/bench/stateBench.js`: this benchmark alone, on a fresh synthetic project. */
if (require.main === module) {
  const root = mkdtempSync(path.join(tmpdir(), 'django-migrations-state-bench-'));
  const { migrations } = writeSyntheticProject(root);
  benchState(root)
    .then((result) => printStateBench(result, migrations))
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => rmSync(root, { recursive: true, force: true }));
}
