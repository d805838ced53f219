import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Diagnostic, DidChangeWatchedFilesNotification, FileChangeType, HoverRequest } from 'vscode-languageserver-protocol';
import { AliasMigrationState, MIGRATION_STATE_REQUEST, MigrationStateResult } from '../../protocol/index';
import { appFiles, managePy, migrationPy, projectFolder, settingsPy, temporaryFolder } from '../support/projectFolder';
import { seededRandom } from '../support/seededRandom';
import { waitFor } from '../support/waitFor';
import { cliScript } from './cli/cliProcess';
import { fileUri, LspClient } from './lspClient';

const COMMENT_LINE = '#     migrations.AddField(model_name="book", name="title", field=models.CharField(max_length=100)),\n';

/** A migration followed by `lines` lines of commented-out code. */
function commentedMigration(lines: number, dependencies: [string, string][] = []): string {
  return migrationPy(dependencies) + COMMENT_LINE.repeat(lines);
}

/**
 * Workspaces built to stall or exhaust the server: every bound here is the harness's (the LSP
 * client's answer time-out, mocha's time-out, the CLI's heap limit), never an asserted duration.
 */
describe('a hostile workspace', function () {
  this.timeout(180_000);

  it('keeps the language server answering: huge comment blocks, links to / and to the parent, a FIFO database', async function () {
    const parent = temporaryFolder('hostile');
    const folder = path.join(parent, 'site');
    projectFolderInto(folder, {
      'manage.py': managePy('site_settings'),
      'site_settings.py': settingsPy(['shop'], "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}"),
      ...appFiles('shop', {
        '0001_initial': commentedMigration(100_000),
        '0002_more': commentedMigration(5_200, [['shop', '0001_initial']]),
      }),
    });
    symlinkSync('/', path.join(folder, 'disk'));
    symlinkSync(parent, path.join(folder, 'shop', 'up'));
    execFileSync('mkfifo', [path.join(folder, 'db.sqlite3')]);
    const { client } = await LspClient.start({ folders: [folder] });
    try {
      const second = path.join(folder, 'shop', 'migrations', '0002_more.py');
      assert.deepEqual(await client.diagnostics(second), []);
      const hover = await client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: fileUri(second) },
        position: { line: 5, character: 32 },
      });
      assert.ok(hover, 'a hover on the dependency');
      assert.equal(client.running, true);
    } finally {
      await client.shutdown();
    }
  });

  it('keeps check within a small heap on file systems mutated at random', async function () {
    const random = seededRandom(20261207);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    for (let round = 0; round < 6; round++) {
      const parent = temporaryFolder(`fuzz-${round}`);
      const folder = path.join(parent, 'site');
      projectFolderInto(folder, {
        'manage.py': managePy('site_settings'),
        'site_settings.py': settingsPy(['shop', 'blog']),
        ...appFiles('shop', { '0001_initial': migrationPy(), '0002_second': migrationPy([['shop', '0001_initial']]) }),
        ...appFiles('blog', { '0001_initial': migrationPy([['shop', '0002_second']]) }),
      });
      const targets = [path.join(folder, 'shop'), path.join(folder, 'blog', 'migrations'), folder];
      for (let mutation = 0; mutation < 8; mutation++) {
        const where = pick(targets);
        const name = `m${mutation}`;
        switch (pick(['link-root', 'link-parent', 'link-loop', 'fifo', 'unreadable', 'latin1', 'comments', 'cycle'] as const)) {
          case 'link-root':
            symlinkSync('/', path.join(where, name));
            break;
          case 'link-parent':
            symlinkSync(parent, path.join(where, name));
            break;
          case 'link-loop':
            symlinkSync(where, path.join(where, name));
            break;
          case 'fifo':
            execFileSync('mkfifo', [path.join(folder, 'blog', 'migrations', `000${mutation + 3}_${name}.py`)]);
            break;
          case 'unreadable': {
            const file = path.join(folder, 'shop', 'migrations', `000${mutation + 3}_${name}.py`);
            writeFileSync(file, migrationPy([['shop', '0002_second']]));
            chmodSync(file, 0);
            break;
          }
          case 'latin1':
            writeFileSync(
              path.join(folder, 'shop', 'migrations', `000${mutation + 3}_${name}.py`),
              Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${migrationPy([['shop', '0002_second']])}`)]),
            );
            break;
          case 'comments':
            writeFileSync(
              path.join(folder, 'blog', 'migrations', `000${mutation + 3}_${name}.py`),
              commentedMigration(20_000 + Math.floor(random() * 20_000), [['blog', '0001_initial']]),
            );
            break;
          case 'cycle':
            writeFileSync(path.join(folder, 'shop', 'migrations', '0001_initial.py'), migrationPy([['blog', '0001_initial']]));
            break;
        }
      }
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          ['--max-old-space-size=256', cliScript, 'check', folder],
          { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
          (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
        ),
      );
      assert.ok(result.code === 0 || result.code === 1, `round ${round}: exit ${result.code}: ${result.stderr}`);
    }
  });

  it('keeps the language server answering while the file system changes under it as it indexes', async function () {
    const random = seededRandom(20261208);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const parent = temporaryFolder('moving');
    const folder = path.join(parent, 'site');
    const settings = settingsPy(
      ['shop', 'blog'],
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}",
    );
    projectFolderInto(folder, {
      'manage.py': managePy('settings'),
      'settings.py': settings,
      ...appFiles('shop', { '0001_initial': migrationPy(), '0002_second': migrationPy([['shop', '0001_initial']]) }),
      ...appFiles('blog', { '0001_initial': migrationPy([['shop', '0002_second']]) }),
    });
    const at = (...parts: string[]) => path.join(folder, ...parts);
    const stable = at('shop', 'migrations', '0001_initial.py');
    const database = at('db.sqlite3');

    let client: LspClient | undefined;
    /** Entries the fuzz made, removed again before the final checks. */
    const made: string[] = [];
    const tell = async (changes: [string, FileChangeType][]) => {
      await client?.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: changes.map(([file, type]) => ({ uri: fileUri(file), type })),
      });
    };
    const mutate = async (step: number) => {
      const name = `${String(step + 10).padStart(4, '0')}_m${step}.py`;
      const migrations = at(pick(['shop', 'blog']), 'migrations');
      const file = path.join(migrations, name);
      switch (
        pick([
          'add',
          'remove',
          'link-root',
          'link-parent',
          'link-loop',
          'fifo',
          'unreadable',
          'latin1',
          'comments',
          'huge',
          'garbage',
          'migrations-away',
          'database',
          'settings',
        ] as const)
      ) {
        case 'add':
          writeFileSync(file, migrationPy([['shop', '0002_second']]));
          made.push(file);
          return tell([[file, FileChangeType.Created]]);
        case 'remove': {
          const gone = made.splice(Math.floor(random() * made.length), 1)[0];
          if (!gone) return;
          remove(gone);
          return tell([[gone, FileChangeType.Deleted]]);
        }
        case 'link-root':
          symlinkSync('/', file);
          made.push(file);
          return tell([[file, FileChangeType.Created]]);
        case 'link-parent': {
          const link = at(pick(['shop', 'blog', '.']), `up${step}`);
          symlinkSync(parent, link);
          made.push(link);
          return;
        }
        case 'link-loop': {
          const link = path.join(migrations, `loop${step}`);
          symlinkSync(migrations, link);
          made.push(link);
          return;
        }
        case 'fifo':
          execFileSync('mkfifo', [file]);
          made.push(file);
          return tell([[file, FileChangeType.Created]]);
        case 'unreadable':
          writeFileSync(file, migrationPy([['shop', '0002_second']]));
          chmodSync(file, 0);
          made.push(file);
          return tell([[file, FileChangeType.Created]]);
        case 'latin1':
          writeFileSync(
            file,
            Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${migrationPy([['shop', '0002_second']])}`)]),
          );
          made.push(file);
          return tell([[file, FileChangeType.Created]]);
        case 'comments':
          writeFileSync(file, commentedMigration(10_000 + Math.floor(random() * 20_000), [['shop', '0002_second']]));
          made.push(file);
          return tell([[file, FileChangeType.Created]]);
        case 'huge':
          // A large real migration: thousands of operations, a few megabytes.
          writeFileSync(file, migrationPy([['shop', '0002_second']]) + `VALUES = [\n${"    ('a', 'b', 1),\n".repeat(5_000)}]\n`);
          made.push(file);
          return tell([[file, FileChangeType.Created]]);
        case 'garbage': {
          const changed = made.find((entry) => entry.endsWith('.py')) ?? stable;
          if (changed === stable) return;
          remove(changed);
          writeFileSync(changed, Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256))));
          return tell([[changed, FileChangeType.Changed]]);
        }
        case 'migrations-away': {
          const away = at('blog', 'migrations.away');
          const present = at('blog', 'migrations');
          const init = path.join(present, '__init__.py');
          try {
            renameSync(present, away);
            await tell([[init, FileChangeType.Deleted]]);
            await new Promise((resolve) => setTimeout(resolve, random() * 200));
          } finally {
            renameSync(away, present);
          }
          return tell([[init, FileChangeType.Created]]);
        }
        case 'database':
          rmSync(database, { force: true });
          switch (pick(['fifo', 'garbage', 'empty', 'none'] as const)) {
            case 'fifo':
              execFileSync('mkfifo', [database]);
              break;
            case 'garbage':
              writeFileSync(database, Buffer.from(Array.from({ length: 8192 }, () => Math.floor(random() * 256))));
              break;
            case 'empty':
              writeFileSync(database, '');
              break;
            case 'none':
              break;
          }
          return;
        case 'settings':
          writeFileSync(at('settings.py'), random() < 0.5 ? `${settings}\nfrom .missing import *\n(` : settings);
          return tell([[at('settings.py'), FileChangeType.Changed]]);
      }
    };

    // The first mutations land while the server starts and indexes, the rest while it answers.
    let stopped = false;
    const mutating = (async () => {
      for (let step = 0; step < 60 && !stopped; step++) {
        await mutate(step);
        await new Promise((resolve) => setTimeout(resolve, random() * 150));
      }
    })();
    try {
      // Each answer (the first index included) within the harness's limit, wide enough for a machine
      // shared by parallel test runs; a heap past the limit ends the server, and so the test.
      ({ client } = await LspClient.start({
        folders: [folder],
        answerTimeoutMs: 30_000,
        env: { NODE_OPTIONS: '--max-old-space-size=256' },
      }));
      const running = client;
      // Every answer within the client's time limit while the files keep changing.
      for (let request = 0; !stopped && request < 200; request++) {
        await running.diagnostics(stable);
        await running.hover(stable, { line: 4, character: 8 });
        await running.workspaceSymbols('m');
        stopped = await Promise.race([mutating.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 50))]);
      }
      await mutating;

      // Settled: what the fuzz made is gone, and a few hostile entries stay to be reported.
      for (const entry of made.reverse()) remove(entry);
      writeFileSync(at('settings.py'), settings);
      const pipe = at('blog', 'migrations', '0005_pipe.py');
      execFileSync('mkfifo', [pipe]);
      symlinkSync(at('shop'), at('shop', 'loop'));
      symlinkSync('/', at('disk'));
      rmSync(database, { force: true });
      execFileSync('mkfifo', [database]);
      await tell([
        ...made.map((entry): [string, FileChangeType] => [entry, FileChangeType.Deleted]),
        [at('settings.py'), FileChangeType.Changed],
        [pipe, FileChangeType.Created],
      ]);

      // The FIFO named like a migration, reported on its package (whose pull stands for the workspace's).
      const init = at('blog', 'migrations', '__init__.py');
      const pipeReport = (items: Diagnostic[]) => items.map((item) => [item.code, /^0005_pipe\.py .* is not a file/.test(item.message)]);
      const reported = await running.diagnosticsWhen(
        init,
        (items) => JSON.stringify(pipeReport(items)) === '[["unimportable-migration",true]]',
        60_000,
      );
      assert.deepEqual(pipeReport(reported), [['unimportable-migration', true]]);
      // No false error on the healthy files, once a reload after the last change has run.
      const healthy = (file: string) => running.diagnosticsWhen(file, (items) => items.length === 0, 30_000);
      assert.deepEqual(await healthy(stable), []);
      assert.deepEqual(await healthy(at('blog', 'migrations', '0001_initial.py')), []);
      const alias = await waitFor(
        'the FIFO database as a status',
        async () => {
          const state = await running.connection.sendRequest<MigrationStateResult>(MIGRATION_STATE_REQUEST, {});
          assert.deepEqual(
            state.projects.map((project) => project.root),
            [folder],
          );
          const found: AliasMigrationState | undefined = state.projects[0]?.aliases[0];
          // Earlier statuses (garbage: corrupt; no file: missing-file) give way to the FIFO's.
          return found?.status === 'error' ? found : undefined;
        },
        60_000,
      );
      assert.match(alias.message ?? '', /not a regular file/);
      assert.deepEqual(running.featureFailures, []);
      assert.equal(running.running, true);
    } finally {
      stopped = true;
      await mutating.catch(() => undefined);
      if (client?.running) await client.shutdown();
    }
  });
});

function projectFolderInto(folder: string, files: Record<string, string>): void {
  mkdirSync(folder, { recursive: true });
  const written = projectFolder(files);
  execFileSync('cp', ['-a', `${written}/.`, folder]);
}

/** Removes what the fuzz made: a link itself, never what it points at. */
function remove(entry: string): void {
  const stat = lstatSync(entry, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) rmSync(entry, { recursive: true });
  else unlinkSync(entry);
}
