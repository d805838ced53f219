import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { djangoPython } from '../../sampleWorkspace';
import { waitFor } from '../../../support/waitFor';
import { workspaceFile } from '../workspaceFile';

describe('the SQL lenses (trusted workspace, djangoMigrations.python.path set)', () => {
  it('opens exactly what manage.py sqlmigrate prints, from the "SQL" lens', async () => {
    const uri = workspaceFile('catalog/migrations/0003_book_isbn.py');
    await vscode.window.showTextDocument(uri);
    const lens = await lensTitled(uri, 'SQL');
    assert.equal(lens.command?.command, 'djangoMigrations.showSql');
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const editor = await waitFor('the SQL document', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.scheme === 'django-migrations-sql' ? active : undefined;
    });
    assert.equal(editor.document.languageId, 'sql');
    const expected = execFileSync(djangoPython, ['manage.py', 'sqlmigrate', 'catalog', '0003_book_isbn'], {
      cwd: workspaceFile('').fsPath,
      encoding: 'utf8',
    });
    assert.equal(editor.document.getText(), expected);
  });

  it('names the operation that makes the "Backwards SQL" lens irreversible', async () => {
    const uri = workspaceFile('orders/migrations/0003_fill_order_totals.py');
    const lens = await lensTitled(uri, 'Backwards SQL: irreversible', true);
    assert.match(lens.command?.title ?? '', /RunPython/);
  });
});

async function lensTitled(uri: vscode.Uri, title: string, prefix = false): Promise<vscode.CodeLens> {
  return waitFor(`the "${title}" lens`, async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    return lenses.find((lens) => (prefix ? lens.command?.title.startsWith(title) : lens.command?.title === title));
  });
}
