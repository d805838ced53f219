import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId } from '../../paths';
import { waitFor } from '../waitFor';
import { workspaceFile } from '../workspaceFile';

describe('the extension in a Django project', () => {
  it('activates on its own (manage.py, migrations packages)', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is installed`);
    await waitFor('activation', () => extension.isActive || undefined);
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
