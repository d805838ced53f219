import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { fileUri, LspClient } from './lspClient';
import { classNameRange, rangeOf } from './sourceRanges';
import { TemporaryWorkspace } from './temporaryWorkspace';

const MERGE = `from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0002_product_price'),
        ('shop', '0002_product_sku'),
    ]

    operations = [
    ]
`;

describe('server: diagnostics follow every edit', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let shop: string;
  let price: string;
  let sku: string;
  let skuText: string;

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    const conflict = await workspace.copyFixture('conflict');
    shop = path.join(conflict, 'shop', 'migrations');
    price = path.join(shop, '0002_product_price.py');
    sku = path.join(shop, '0002_product_sku.py');
    skuText = readFileSync(sku, 'utf8');
    ({ client } = await LspClient.start({ folders: [conflict] }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  const codes = async (file: string) => (await client.diagnostics(file)).map((d) => d.code);

  it('clears conflicting-leaves from both leaves once one depends on the other, and brings it back on undo', async function () {
    assert.deepEqual(await codes(price), ['conflicting-leaves']);
    assert.deepEqual(await codes(sku), ['conflicting-leaves']);
    const uri = await client.open(sku, skuText);
    const dependency = rangeOf(skuText, "'0001_initial'");

    let refreshed = client.nextRefresh();
    await client.edit(uri, dependency, "'0002_product_price'");
    await refreshed;
    assert.deepEqual(await codes(sku), []);
    assert.deepEqual(await codes(price), [], 'the other leaf, which the edit did not touch');

    refreshed = client.nextRefresh();
    await client.change(uri, skuText);
    await refreshed;
    assert.deepEqual(await codes(price), ['conflicting-leaves']);
    assert.deepEqual(await codes(sku), ['conflicting-leaves']);
    await client.close(uri);
  });

  it('moves missing-dependency with each keystroke that lengthens a dependency name', async function () {
    const uri = await client.open(sku, skuText);
    const tuple = rangeOf(skuText, "('shop', '0001_initial')");
    const nameEnd = rangeOf(skuText, "0001_initial'").start.character + '0001_initial'.length;
    let typed = '';
    for (const key of '_v2') {
      const refreshed = client.nextRefresh();
      await client.edit(
        uri,
        {
          start: { line: tuple.start.line, character: nameEnd + typed.length },
          end: { line: tuple.start.line, character: nameEnd + typed.length },
        },
        key,
      );
      typed += key;
      await refreshed;
      const missing = (await client.diagnostics(uri)).filter((d) => d.code === 'missing-dependency');
      assert.equal(missing.length, 1, `after typing ${typed}`);
      assert.deepEqual(missing[0].range, {
        start: tuple.start,
        end: { line: tuple.end.line, character: tuple.end.character + typed.length },
      });
      assert.match(
        missing[0].message,
        new RegExp(`nonexistent parent node \\('shop', '0001_initial${typed}'\\)\\. Did you mean '0001_initial'\\?`),
      );
    }
    await client.change(uri, skuText);
    assert.deepEqual(await codes(uri), ['conflicting-leaves']);
    await client.close(uri);
  });

  it('sends workspace/diagnostic/refresh after each change, so files the editor did not touch are pulled again', async function () {
    const uri = await client.open(sku, skuText);
    const before = client.refreshCount;
    const refreshed = client.nextRefresh();
    await client.edit(uri, rangeOf(skuText, "name='sku'"), "name='code'");
    await refreshed;
    assert.ok(client.refreshCount > before);
    await client.change(uri, skuText);
    await client.close(uri);
  });

  it('goes back to the file on disk when an edited document is closed without saving', async function () {
    const uri = await client.open(sku, skuText);
    const refreshed = client.nextRefresh();
    await client.edit(uri, rangeOf(skuText, "'0001_initial'"), "'0002_product_price'");
    await refreshed;
    assert.deepEqual(await codes(price), []);
    await client.close(uri);
    try {
      // The editor dropped the unsaved text: the disk still has two leaves.
      assert.deepEqual(await codes(price), ['conflicting-leaves'], 'after didClose the unsaved text must no longer count');
      assert.deepEqual(await codes(sku), ['conflicting-leaves']);
    } finally {
      // Leaves the server with the disk's text whatever it did on close.
      await client.close(await client.open(sku, skuText));
    }
  });

  /** Tells the server about files changed on disk, as the client's file watcher does. */
  const watched = (file: string, type: FileChangeType) =>
    client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(file), type }] });
  const codesWhen = async (file: string, expected: string[]) =>
    (await client.diagnosticsWhen(file, (items) => items.length === expected.length)).map((d) => d.code);

  it('reads a migration created on disk (workspace/didChangeWatchedFiles) and re-checks the graph', async function () {
    const merge = path.join(shop, '0003_merge.py');
    await fs.writeFile(merge, MERGE);
    try {
      await watched(merge, FileChangeType.Created);
      assert.deepEqual(await codesWhen(price, []), []);
      assert.deepEqual(await codes(sku), []);
      assert.deepEqual(await codes(merge), []);
      const symbols = await client.workspaceSymbols('shop.0003');
      assert.deepEqual(
        symbols?.map((s) => s.name),
        ['shop.0003_merge'],
      );
    } finally {
      await fs.rm(merge);
      await watched(merge, FileChangeType.Deleted);
    }
    assert.deepEqual(await codesWhen(price, ['conflicting-leaves']), ['conflicting-leaves']);
    assert.deepEqual(await client.workspaceSymbols('shop.0003'), []);
  });

  it('reads a closed migration changed on disk', async function () {
    const changed = skuText.replace("('shop', '0001_initial')", "('shop', '0002_product_price')");
    await fs.writeFile(sku, changed);
    try {
      await watched(sku, FileChangeType.Changed);
      assert.deepEqual(await codesWhen(price, []), []);
      const definition = await client.definition(sku, rangeOf(changed, "'0002_product_price'").start);
      assert.deepEqual(definition, [{ uri: fileUri(price), range: classNameRange(readFileSync(price, 'utf8')) }]);
    } finally {
      await fs.writeFile(sku, skuText);
      await watched(sku, FileChangeType.Changed);
    }
    assert.deepEqual(await codesWhen(price, ['conflicting-leaves']), ['conflicting-leaves']);
  });
});
