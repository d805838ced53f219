import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId } from '../../paths';

describe('the extension in a folder without Django', () => {
  // VS Code starts extension tests after it has handled the `workspaceContains` activation
  // events, so an extension that should have activated would be active (or activating) by now.
  it('stays inactive', () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is installed`);
    assert.equal(extension.isActive, false);
  });

  it('registers none of its commands (package.json contributes them; no code of ours ran)', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(!commands.includes('djangoMigrations.restartServer'));
    assert.ok(!commands.includes('djangoMigrations.showOutput'));
  });
});
