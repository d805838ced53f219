import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { TextDocumentSyncKind } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';
import { TemporaryWorkspace } from './temporaryWorkspace';

describe('server: lifecycle and trust', function () {
  let workspace: TemporaryWorkspace;
  let project: string;
  /** Stands in for the project's Python: records that it was run, and fails. */
  let fakePython: string;
  let marker: string;

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    project = await workspace.copyFixture('conflict');
    marker = path.join(workspace.root, 'python-was-run');
    fakePython = path.join(workspace.root, 'fake-python');
    await fs.writeFile(fakePython, `#!/bin/sh\necho "$@" >> '${marker}'\nexit 1\n`, { mode: 0o755 });
  });

  after(async function () {
    LspClient.killAll();
    await workspace?.dispose();
  });

  afterEach(async function () {
    await fs.rm(marker, { force: true });
  });

  it('declares its features, indexes with progress, and exits with 0 after shutdown', async function () {
    const { client, initializeResult } = await LspClient.start({ folders: [project] });
    try {
      const { capabilities, serverInfo } = initializeResult;
      assert.equal(serverInfo?.name, 'Django Migrations');
      assert.equal(capabilities.textDocumentSync, TextDocumentSyncKind.Incremental);
      assert.deepEqual(capabilities.diagnosticProvider, { interFileDependencies: true, workspaceDiagnostics: true });
      for (const feature of [
        'definitionProvider',
        'hoverProvider',
        'referencesProvider',
        'documentSymbolProvider',
        'workspaceSymbolProvider',
      ] as const) {
        assert.ok(capabilities[feature], feature);
      }
      assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'refactor.rewrite'] });
      assert.ok(client.progressCount >= 1, 'asked for a work-done progress token for indexing');
      assert.ok(
        client.logs.some((log) => /Indexed 3 migrations in 1 Django project/.test(log.message)),
        JSON.stringify(client.logs),
      );
    } finally {
      assert.equal(await client.shutdown(), 0);
    }
    assert.equal(client.running, false);
  });

  it('exits with 1 on exit without shutdown, as LSP asks', async function () {
    const { client } = await LspClient.start({ folders: [project] });
    try {
      assert.equal(await client.exit(), 1);
    } finally {
      client.kill();
    }
  });

  it("never runs the project's Python in an untrusted workspace, even with python.path set", async function () {
    const { client } = await LspClient.start({ folders: [project], initializationOptions: { trusted: false, pythonPath: fakePython } });
    try {
      assert.deepEqual(
        (await client.diagnostics(path.join(project, 'shop/migrations/0002_product_sku.py'))).map((d) => d.code),
        ['conflicting-leaves'],
      );
      assert.equal(existsSync(marker), false);
    } finally {
      await client.shutdown();
    }
  });

  it('runs it in a trusted workspace, and keeps working when it fails', async function () {
    const { client } = await LspClient.start({ folders: [project], initializationOptions: { trusted: true, pythonPath: fakePython } });
    try {
      assert.equal(existsSync(marker), true, 'the fake interpreter was run');
      assert.deepEqual(
        (await client.diagnostics(path.join(project, 'shop/migrations/0002_product_sku.py'))).map((d) => d.code),
        ['conflicting-leaves'],
      );
    } finally {
      await client.shutdown();
    }
  });

  it('reads the database without creating it', async function () {
    const { client } = await LspClient.start({ folders: [project] });
    await client.shutdown();
    // The fixture's settings name BASE_DIR / 'db.sqlite3', which does not exist.
    assert.equal(existsSync(path.join(project, 'db.sqlite3')), false);
  });
});
