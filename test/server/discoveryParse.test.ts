import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Diagnostic, DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { appFiles, appsPy, managePy, migrationPy, projectFolder, settingsPy } from '../support/projectFolder';
import { waitFor } from '../support/waitFor';
import { fileUri, LspClient } from './lspClient';

/** A statement tree-sitter needs about a second for on a quiet machine, far past the server's slice. */
const HUGE = `VALUES = [\n${'    1,\n'.repeat(500_000)}]\n`;
/** Commented-out settings, as real projects keep them. */
const COMMENTS = "# INSTALLED_APPS += ['debug_toolbar']  # only on a developer's machine\n".repeat(100_000);
/**
 * Past `MAX_TEXT_ON_THREAD`, so parsed on a worker only, yet short enough that a reload reading
 * it ends within the harness's answer time-out on a busy machine (a pull waits for the reload).
 */
const LARGE = `VALUES = [\n${'    1,\n'.repeat(150_000)}]\n`;
/** Far below what the huge files need, far above what the others do. */
const LOW_LIMIT = { DJANGO_MIGRATIONS_PARSE_TIME_LIMIT_MS: '300' };

const codes = (items: readonly Diagnostic[]) => items.map((item) => item.code);
const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Project discovery's files (manage.py, settings, apps.py) too large to parse in a moment: the
 * server parses them on a worker, answers meanwhile, and one past the time limit becomes a
 * diagnostic while the rest of the project loads. Every bound is the harness's, never an
 * asserted duration.
 */
describe("server: discovery's files that take long to parse never hold the server", function () {
  this.timeout(300_000);

  it('settings past the time limit: a diagnostic on them, and apps taken from the migrations packages', async function () {
    const root = projectFolder({
      'manage.py': managePy('settings'),
      'settings.py': settingsPy(['shop']) + COMMENTS + HUGE,
      ...appFiles('shop', { '0001_initial': migrationPy(), '0002_next': migrationPy([['shop', '0001_initial']]) }),
    });
    const { client } = await LspClient.start({ folders: [root], env: LOW_LIMIT });
    try {
      const settings = await client.diagnostics(path.join(root, 'settings.py'));
      assert.deepEqual(codes(settings), ['parse-time-limit'], JSON.stringify(settings));
      assert.match(settings[0].message, /INSTALLED_APPS, DATABASES, \.\.\.\) are not read/);
      const second = path.join(root, 'shop', 'migrations', '0002_next.py');
      assert.deepEqual(await client.diagnostics(second), []);
      assert.ok(await client.documentSymbols(second));
      assert.deepEqual(client.featureFailures, []);
    } finally {
      await client.shutdown();
    }
  });

  it('apps.py past the time limit: a diagnostic on it, and the app labelled as Django would without its AppConfig', async function () {
    const root = projectFolder({
      'manage.py': managePy('settings'),
      'settings.py': settingsPy(['shop', 'blog']),
      ...appFiles('shop', { '0001_initial': migrationPy() }, appsPy('ShopConfig', 'shop', 'store') + COMMENTS + HUGE),
      ...appFiles('blog', { '0001_initial': migrationPy([['shop', '0001_initial']]) }),
    });
    const { client } = await LspClient.start({ folders: [root], env: LOW_LIMIT });
    try {
      const apps = await client.diagnostics(path.join(root, 'shop', 'apps.py'));
      assert.deepEqual(codes(apps), ['parse-time-limit'], JSON.stringify(apps));
      assert.deepEqual(await client.diagnostics(path.join(root, 'blog', 'migrations', '0001_initial.py')), []);
      assert.deepEqual(client.featureFailures, []);
    } finally {
      await client.shutdown();
    }
  });

  it('a large settings module saved: answers meanwhile, then reads it in full', async function () {
    const root = projectFolder({
      'manage.py': managePy('settings'),
      'settings.py': settingsPy(['shop']),
      ...appFiles('shop', { '0001_initial': migrationPy() }),
      ...appFiles('blog', { '0001_initial': migrationPy([['shop', '0009_gone']]) }),
    });
    // A full limit no machine reaches here: this test is about the wait, not the limit.
    const { client } = await LspClient.start({ folders: [root], env: { DJANGO_MIGRATIONS_PARSE_TIME_LIMIT_MS: '600000' } });
    try {
      const shop = path.join(root, 'shop', 'migrations', '0001_initial.py');
      const blog = path.join(root, 'blog', 'migrations', '0001_initial.py');
      assert.deepEqual(await client.diagnostics(blog), [], 'blog is not installed yet');
      const settings = path.join(root, 'settings.py');
      writeFileSync(settings, settingsPy(['shop', 'blog']) + LARGE);
      await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [{ uri: fileUri(settings), type: FileChangeType.Changed }],
      });
      // Each answer within the harness's time-out while the settings are read.
      const fresh = await waitFor(
        'blog read once installed',
        async () => {
          assert.ok(await client.codeActions(shop, START, []));
          const items = await client.diagnostics(blog);
          return items.length > 0 ? items : undefined;
        },
        240_000,
      );
      assert.deepEqual(codes(fresh), ['missing-dependency']);
      assert.deepEqual(await client.diagnostics(settings), []);
      assert.deepEqual(client.featureFailures, []);
    } finally {
      await client.shutdown();
    }
  });
});
