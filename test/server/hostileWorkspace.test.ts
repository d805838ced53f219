import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { HoverRequest } from 'vscode-languageserver-protocol';
import { appFiles, managePy, migrationPy, projectFolder, settingsPy, temporaryFolder } from '../support/projectFolder';
import { seededRandom } from '../support/seededRandom';
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
});

function projectFolderInto(folder: string, files: Record<string, string>): void {
  mkdirSync(folder, { recursive: true });
  const written = projectFolder(files);
  execFileSync('cp', ['-a', `${written}/.`, folder]);
}
