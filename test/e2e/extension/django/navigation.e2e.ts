import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { workspaceFile } from '../workspaceFile';

describe('navigation in a Django project', () => {
  it('goes to the definition of a dependency: the migration it names', async () => {
    const uri = workspaceFile('catalog/migrations/0003_book_isbn.py');
    const position = await positionOf(uri, "'0002_book_published'", 3);
    const [target] = await definitions(uri, position);
    assert.equal(target.uri.toString(), workspaceFile('catalog/migrations/0002_book_published.py').toString());
  });

  it("goes to the definition of a model reference: the model's class in models.py", async () => {
    const uri = workspaceFile('orders/migrations/0001_initial.py');
    const position = await positionOf(uri, "to='catalog.book'", 8);
    const [target] = await definitions(uri, position);
    assert.equal(target.uri.toString(), workspaceFile('catalog/models.py').toString());
    const text = (await vscode.workspace.openTextDocument(target.uri)).getText(target.range);
    assert.equal(text, 'Book');
  });

  it("hovers a dependency with its target's operations and state", async () => {
    const uri = workspaceFile('catalog/migrations/0003_book_isbn.py');
    const position = await positionOf(uri, "'0002_book_published'", 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const text = hovers
      .flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)))
      .join('\n');
    assert.match(text, /catalog\.0002_book_published/);
    assert.match(text, /Add field published to book/);
    assert.match(text, /Applied/);
  });
});

async function positionOf(uri: vscode.Uri, text: string, offsetInside: number): Promise<vscode.Position> {
  const document = await vscode.workspace.openTextDocument(uri);
  const at = document.getText().indexOf(text);
  assert.ok(at >= 0, `${text} in ${uri.path}`);
  return document.positionAt(at + offsetInside);
}

/** Definitions as locations, whether the provider answers Location or LocationLink. */
async function definitions(uri: vscode.Uri, position: vscode.Position): Promise<vscode.Location[]> {
  const answer = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
    'vscode.executeDefinitionProvider',
    uri,
    position,
  );
  assert.ok(answer.length > 0, 'a definition');
  return answer.map((item) =>
    'targetUri' in item ? new vscode.Location(item.targetUri, item.targetSelectionRange ?? item.targetRange) : item,
  );
}
