import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extensionId } from '../../paths';
import { waitFor } from '../../../support/waitFor';
import { workspaceFile } from '../workspaceFile';

describe('the extension in a Django project', () => {
  it('activates on its own (manage.py, migrations packages)', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is installed`);
    await waitFor('activation', () => extension.isActive || undefined);
  });

  it('was installed from a VSIX that holds every file its package.json names', () => {
    const extension = vscode.extensions.getExtension(extensionId)!;
    const manifest = extension.packageJSON as PackageJson;
    const named = [
      manifest.main,
      manifest.icon,
      ...(manifest.contributes.grammars ?? []).map((grammar) => grammar.path),
      ...Object.values(manifest.contributes.viewsContainers ?? {})
        .flat()
        .map((container) => container.icon),
      ...Object.values(manifest.contributes.views ?? {})
        .flat()
        .map((view) => view.icon),
    ].filter((file): file is string => typeof file === 'string');
    for (const file of [
      'dist/server.js',
      'dist/parseWorker.js',
      'dist/editedTextWorker.js',
      'dist/sqliteReadWorker.js',
      'dist/djangoHelper.py',
      'dist/sql-wasm.wasm',
      'dist/tree-sitter-python.wasm',
      ...named,
    ]) {
      assert.ok(existsSync(join(extension.extensionPath, file)), `${file} is in the VSIX`);
    }
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('djangoMigrations.restartServer'));
    assert.ok(commands.includes('djangoMigrations.showOutput'));
  });

  it('opens a migration file as Python', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('orders/migrations/0003_fill_order_totals.py'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'python');
    assert.match(document.getText(), /migrations\.RunPython\(fill_order_totals\)/);
  });

  it('restarts its language server on demand', async () => {
    await vscode.commands.executeCommand('djangoMigrations.restartServer');
    assert.ok(vscode.extensions.getExtension(extensionId)?.isActive);
  });
});

/** The parts of package.json that name files. */
interface PackageJson {
  readonly main: string;
  readonly icon?: string;
  readonly contributes: {
    readonly grammars?: readonly { readonly path: string }[];
    readonly viewsContainers?: Record<string, readonly { readonly icon?: string }[]>;
    readonly views?: Record<string, readonly { readonly icon?: string }[]>;
  };
}
