import { appendFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { runManagePy } from '../test/support/runManagePy';
import { DjangoAnswer, SQLMIGRATE_REQUEST, SqlmigrateAnswer, SqlmigrateRequestParams } from '../protocol/index';
import { copyFixture, DJANGO_PYTHON, fixtureEnvironment, fixtureMigrations, scratchDirectory } from '../test/django/commandsProject';
import { fileUri, LspClient } from '../test/server/lspClient';

const EDIT_ROUNDS = 20;
const REPEAT_ROUNDS = 30;
const PROCESS_ROUNDS = 8;

export interface LensBenchResult {
  /** First request: the helper starts (Django setup) and answers. */
  readonly coldMs: number;
  /** Warm helper, a migration not asked for before (median over every migration and direction). */
  readonly warmFirstViewMs: number;
  /** Warm helper, catalog 0001_initial right after its file changed (reload, no cache): median. */
  readonly warmAfterEditMs: number;
  /** The same request again, answered from the cache by file content: median. */
  readonly cachedMs: number;
  /** `manage.py sqlmigrate catalog 0001_initial` as a process: median. */
  readonly managePyMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timed<T>(action: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await action();
  return [performance.now() - start, result];
}

/**
 * The "SQL" lens: what its click asks the language server (`djangoMigrations/sqlmigrate`, over
 * stdio to the bundled server, as the editor's SQL document does) against one `manage.py
 * sqlmigrate` process for the same migration, on commands_project with SQLite.
 */
export async function benchLens(): Promise<LensBenchResult> {
  const scratch = scratchDirectory('lens-bench');
  const root = copyFixture(path.join(scratch.dir, 'project'));
  const databaseUrl = `sqlite:///${scratch.dir}/db.sqlite3`;
  writeFileSync(path.join(root, '.env'), `DATABASE_URL=${databaseUrl}\n`);
  const { client } = await LspClient.start({ folders: [root], initializationOptions: { trusted: true, pythonPath: DJANGO_PYTHON } });
  const click = async (params: Omit<SqlmigrateRequestParams, 'projectRoot'>): Promise<number> => {
    const [ms, answer] = await timed(
      () => client.connection.sendRequest(SQLMIGRATE_REQUEST, { projectRoot: root, ...params }) as Promise<DjangoAnswer<SqlmigrateAnswer>>,
    );
    if (!answer.ok && answer.reason !== 'djangoError') throw new Error(answer.message);
    return ms;
  };
  try {
    const target = { app: 'catalog', name: '0001_initial' };
    const [coldMs] = await timed(() => click({ app: 'reviews', name: '0001_initial', backwards: true }));

    const firstViews: number[] = [];
    for (const [app, name] of fixtureMigrations()) {
      for (const backwards of [false, true]) {
        if (app === 'reviews' && name === '0001_initial' && backwards) continue;
        firstViews.push(await click({ app, name, backwards }));
      }
    }

    const file = path.join(root, 'catalog', 'migrations', '0001_initial.py');
    const afterEdit: number[] = [];
    for (let round = 0; round < EDIT_ROUNDS; round++) {
      appendFileSync(file, `# edit ${round}\n`);
      await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [{ uri: fileUri(file), type: FileChangeType.Changed }],
      });
      afterEdit.push(await click(target));
    }

    const cached: number[] = [];
    for (let round = 0; round < REPEAT_ROUNDS; round++) cached.push(await click(target));

    const environment = fixtureEnvironment(root, databaseUrl);
    const processes: number[] = [];
    for (let round = 0; round < PROCESS_ROUNDS; round++) {
      const [ms] = await timed(() => runManagePy(['sqlmigrate', target.app, target.name], { trusted: true, environment }));
      processes.push(ms);
    }
    return {
      coldMs,
      warmFirstViewMs: median(firstViews),
      warmAfterEditMs: median(afterEdit),
      cachedMs: median(cached),
      managePyMs: median(processes),
    };
  } finally {
    await client.shutdown();
    scratch.cleanup();
  }
}

if (require.main === module) {
  benchLens().then(
    (result) => {
      for (const [name, value] of Object.entries(result)) process.stdout.write(`${name}: ${value.toFixed(2)}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
