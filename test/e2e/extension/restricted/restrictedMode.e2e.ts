import * as assert from 'node:assert/strict';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import { extensionId } from '../../paths';
import { pythonStarts, TRIPWIRE_LOG_VARIABLE } from '../../pythonTripwire';
import { codeOf, waitForDiagnostics } from '../waitForDiagnostics';
import { waitFor } from '../../../support/waitFor';
import { workspaceFile } from '../workspaceFile';

const DJANGO_COMMANDS = [
  'djangoMigrations.showSql',
  'djangoMigrations.showBackwardsSql',
  'djangoMigrations.makeMigrations',
  'djangoMigrations.mergeMigrations',
  'djangoMigrations.migrate',
  'djangoMigrations.migrateToMigration',
  'djangoMigrations.fakeMigrateToMigration',
  'djangoMigrations.unapplyMigration',
  'djangoMigrations.showMigrations',
  'djangoMigrations.squashMigrations',
];

/**
 * Workspace Trust's restricted mode: the harness opens an untrusted copy of sample/ on a
 * code-server whose every Python (PATH, the user's python.path, the project's .venv) is a tripwire
 * that logs each start.
 */
describe('the extension in restricted mode', () => {
  const pythonLog = process.env[TRIPWIRE_LOG_VARIABLE] ?? '';
  const leaf = workspaceFile('catalog/migrations/0003_book_isbn.py');

  it('activates in the untrusted workspace (limited support)', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await waitFor('activation', () => extension.isActive || undefined);
  });

  it('has every way to Python behind the tripwire, so a start would be seen', () => {
    assert.ok(pythonLog, `${TRIPWIRE_LOG_VARIABLE} is set by the harness`);
    const onPath = (process.env.PATH ?? '')
      .split(delimiter)
      .map((folder) => join(folder, 'python3'))
      .find(isExecutable);
    assert.ok(onPath && onPath.startsWith(join(pythonLog, '..')), `python3 on PATH: ${onPath}`);
    const configured = vscode.workspace.getConfiguration('djangoMigrations').get<string>('python.path');
    assert.ok(
      configured?.startsWith(join(pythonLog, '..')),
      `djangoMigrations.python.path (the workspace's is ignored untrusted): ${configured}`,
    );
    assert.ok(isExecutable(workspaceFile('.venv/bin/python').fsPath));
  });

  it('reports the conflict and the irreversible RunPython', async () => {
    await vscode.window.showTextDocument(leaf);
    const conflicts = await waitForDiagnostics(leaf, (ds) => ds.some((d) => codeOf(d) === 'conflicting-leaves'));
    assert.equal(conflicts.filter((d) => codeOf(d) === 'conflicting-leaves').length, 1);
    const runPython = workspaceFile('orders/migrations/0003_fill_order_totals.py');
    await vscode.window.showTextDocument(runPython);
    await waitForDiagnostics(runPython, (ds) => ds.some((d) => codeOf(d) === 'irreversible-operation'));
  });

  it('shows the applied-state lens but no lens that runs Django', async () => {
    const lenses = await waitFor('code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', leaf);
      return found.some((lens) => lens.command?.command === 'djangoMigrations.revealMigration') ? found : undefined;
    });
    const commands = lenses.map((lens) => lens.command?.command);
    for (const command of DJANGO_COMMANDS) assert.ok(!commands.includes(command), `${command} lens in restricted mode`);
  });

  it('runs none of the Django commands, whatever their arguments', async () => {
    const terminals = vscode.window.terminals.length;
    const migration = {
      projectRoot: workspaceFile('').fsPath,
      alias: 'default',
      app: 'catalog',
      name: '0003_book_isbn',
      file: leaf.fsPath,
    };
    for (const command of DJANGO_COMMANDS) await vscode.commands.executeCommand(command, migration);
    assert.equal(vscode.window.terminals.length, terminals, 'a command opened a terminal');
    assert.equal(vscode.tasks.taskExecutions.length, 0, 'a command started a task');
    assert.ok(!vscode.workspace.textDocuments.some((document) => document.uri.scheme === 'django-migrations-sql'), 'a SQL document opened');
  });

  it('answers a SQL document (a restored editor) with why there is none', async () => {
    const uri = vscode.Uri.from({
      scheme: 'django-migrations-sql',
      path: '/catalog/0003_book_isbn.sql',
      query: new URLSearchParams({ root: workspaceFile('').fsPath }).toString(),
    });
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /^-- sqlmigrate catalog 0003_book_isbn/);
    assert.match(text, /trust/i);
    assert.doesNotMatch(text, /ALTER TABLE|CREATE TABLE/);
  });

  it('started no Python process', () => {
    assert.deepEqual(pythonStarts(pythonLog), []);
  });
});

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
