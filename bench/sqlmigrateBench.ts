import { performance } from 'node:perf_hooks';
import { DjangoHelperProcess } from '../server/src/django/djangoHelperProcess';
import { runManagePy } from '../test/support/runManagePy';
import { FIXTURE_ROOT, fixtureEnvironment, scratchDirectory } from '../test/django/commandsProject';

const WARM_ROUNDS = 30;
const PROCESS_ROUNDS = 8;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

/**
 * `sqlmigrate catalog 0001_initial` of the commands_project fixture on SQLite: the warm helper's
 * round trip against one `manage.py sqlmigrate` process per call (medians, milliseconds).
 */
export async function benchSqlmigrate(): Promise<Record<string, number>> {
  const scratch = scratchDirectory('sqlmigrate-bench');
  const environment = fixtureEnvironment(FIXTURE_ROOT, `sqlite:///${scratch.dir}/db.sqlite3`);
  const helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0 });
  const params = { app: 'catalog', name: '0001_initial' };
  try {
    const coldStart = await timed(() => helper.sqlmigrate(params));
    const warm: number[] = [];
    const warmSkipChecks: number[] = [];
    for (let round = 0; round < WARM_ROUNDS; round++) {
      warm.push(await timed(() => helper.sqlmigrate(params)));
      warmSkipChecks.push(await timed(() => helper.sqlmigrate({ ...params, skipChecks: true })));
    }
    const processes: number[] = [];
    for (let round = 0; round < PROCESS_ROUNDS; round++) {
      processes.push(await timed(() => runManagePy(['sqlmigrate', params.app, params.name], { trusted: true, environment })));
    }
    const helperWarm = median(warm);
    const managePy = median(processes);
    return {
      helperColdStartMs: round(coldStart),
      helperWarmSqlmigrateMs: round(helperWarm),
      helperWarmSqlmigrateSkipChecksMs: round(median(warmSkipChecks)),
      managePySqlmigrateMs: round(managePy),
      warmSpeedup: round(managePy / helperWarm),
    };
  } finally {
    await helper.dispose();
    scratch.cleanup();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (require.main === module) {
  benchSqlmigrate().then(
    (results) => {
      for (const [name, value] of Object.entries(results)) process.stdout.write(`${name}: ${value}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
