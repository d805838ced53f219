import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Diagnostic } from 'vscode-languageserver-protocol';
import { appFiles, copyFixture, managePy, migrationPy, projectFolder, settingsPy } from '../support/projectFolder';
import { waitFor } from '../support/waitFor';
import { LspClient } from './lspClient';
import { rangeOf } from './sourceRanges';

/** A statement tree-sitter needs about a second for on a quiet machine, far past the server's slice. */
const HUGE = `VALUES = [\n${'    1,\n'.repeat(500_000)}]\n`;
/** Commented-out code after the class, as real projects keep it. */
const COMMENTS = '#     migrations.AddField(model_name="book", name="title", field=models.CharField(max_length=100)),\n'.repeat(100_000);

const codes = (items: readonly Diagnostic[]) => items.map((item) => item.code);
const mentions = (items: readonly Diagnostic[], text: string) => items.some((item) => item.message.includes(text));

function workspace(): { root: string; first: string; second: string } {
  const root = projectFolder({
    'manage.py': managePy('site_settings'),
    'site_settings.py': settingsPy(['shop']),
    ...appFiles('shop', { '0001_initial': migrationPy(), '0002_next': migrationPy([['shop', '0001_initial']]) }),
  });
  const migrations = path.join(root, 'shop', 'migrations');
  return { root, first: path.join(migrations, '0001_initial.py'), second: path.join(migrations, '0002_next.py') };
}

/**
 * A document too large to parse in a moment, opened and typed into: the server parses it on a
 * worker thread and answers everything else meanwhile. Every bound is the harness's (each answer
 * within the client's time-out, the test within mocha's), never an asserted duration.
 */
describe('server: an edited document that takes long to parse never holds the server', function () {
  this.timeout(300_000);

  it('answers other requests while the parse runs, keeps the last reading, then takes the newest text only', async function () {
    const { root, first, second } = workspace();
    // A full limit no machine reaches here: this test is about the wait, not the limit.
    const { client } = await LspClient.start({ folders: [root], env: { DJANGO_MIGRATIONS_PARSE_TIME_LIMIT_MS: '600000' } });
    try {
      const text = migrationPy([['shop', '0009_gone']]) + COMMENTS + HUGE;
      const uri = await client.open(second, text);
      // Typed into while its first text is still being parsed: that parse is dropped.
      await client.edit(uri, rangeOf(text, '0009_gone'), '0008_gone');

      // Other files are answered at once, and the edited file keeps its last reading meanwhile:
      // had the parse run on the server's thread, these answers would come after it, with its result.
      assert.deepEqual(await client.diagnostics(first), []);
      assert.ok(await client.documentSymbols(first));
      assert.deepEqual(await client.diagnostics(second), [], 'the reading from disk, until the new one is done');

      const fresh = await waitFor(
        'the new reading',
        async () => {
          const items = await client.diagnostics(second);
          return items.length > 0 ? items : undefined;
        },
        240_000,
      );
      assert.deepEqual(codes(fresh), ['missing-dependency']);
      assert.ok(mentions(fresh, '0008_gone') && !mentions(fresh, '0009_gone'), JSON.stringify(fresh));

      // An ordinary edit is read on the spot: its diagnostics are fresh at the next pull.
      await client.change(uri, migrationPy([['shop', '0007_gone']]));
      const small = await client.diagnostics(second);
      assert.deepEqual(codes(small), ['missing-dependency']);
      assert.ok(mentions(small, '0007_gone'), JSON.stringify(small));
      await client.change(uri, migrationPy([['shop', '0001_initial']]));
      assert.deepEqual(await client.diagnostics(second), []);
      assert.deepEqual(client.featureFailures, []);
    } finally {
      await client.shutdown();
    }
  });

  it('reads a huge models module on a worker too: other files answered, its last reading kept meanwhile', async function () {
    const root = copyFixture('models_changes');
    const models = path.join(root, 'shop', 'models.py');
    const initial = path.join(root, 'shop', 'migrations', '0001_initial.py');
    const text = readFileSync(models, 'utf8');
    const { client } = await LspClient.start({ folders: [root], env: { DJANGO_MIGRATIONS_PARSE_TIME_LIMIT_MS: '600000' } });
    try {
      assert.deepEqual(await client.diagnosticsWhen(models, (items) => items.length === 0), []);
      const typed = text.replace(
        '    pages = models.PositiveIntegerField(null=True)\n',
        "    pages = models.PositiveIntegerField(null=True)\n    isbn = models.CharField(max_length=13, default='')\n",
      );
      await client.open(models, typed + HUGE);
      assert.ok(await client.documentSymbols(initial));
      assert.deepEqual(await client.diagnostics(models), [], 'the models as last read, until the new reading is done');
      const fresh = await waitFor(
        'the new reading',
        async () => {
          const items = await client.diagnostics(models);
          return items.length > 0 ? items : undefined;
        },
        240_000,
      );
      assert.deepEqual(codes(fresh), ['missing-migration']);
      assert.match(fresh[0].message, /Add field isbn to book/);
      assert.deepEqual(client.featureFailures, []);
    } finally {
      await client.shutdown();
    }
  });

  it('reports a document past the full time limit on its own, answering meanwhile, and reads it again once small', async function () {
    const { root, first, second } = workspace();
    const { client } = await LspClient.start({ folders: [root], env: { DJANGO_MIGRATIONS_PARSE_TIME_LIMIT_MS: '300' } });
    try {
      const uri = await client.open(second, migrationPy([['shop', '0009_gone']]) + HUGE);
      assert.deepEqual(await client.diagnostics(first), []);
      const reported = await waitFor(
        'the time-limit warning',
        async () => {
          const items = await client.diagnostics(second);
          return items.length > 0 ? items : undefined;
        },
        120_000,
      );
      assert.deepEqual(codes(reported), ['parse-time-limit']);
      assert.match(reported[0].message, /^Parsing took longer than 0\.3 s: this file was not analysed\.$/);
      // Left out of the graph, not reported missing by what depends on it.
      assert.deepEqual(await client.diagnostics(first), []);

      await client.change(uri, migrationPy([['shop', '0009_gone']]));
      assert.deepEqual(codes(await client.diagnostics(second)), ['missing-dependency']);
      assert.deepEqual(client.featureFailures, []);
    } finally {
      await client.shutdown();
    }
  });
});
