import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticSource, waitForDiagnostics } from '../waitForDiagnostics';
import { workspaceFile } from '../workspaceFile';

describe('diagnostics in a Django project', () => {
  it('reports RunPython without reverse_code as irreversible-operation, on the operation', async () => {
    const uri = workspaceFile('orders/migrations/0003_fill_order_totals.py');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'irreversible-operation'));
    const irreversible = diagnostics.filter((d) => codeOf(d) === 'irreversible-operation');
    assert.equal(irreversible.length, 1);
    assert.match(document.getText(irreversible[0].range), /^migrations\.RunPython/);
  });

  it('publishes only well-formed diagnostics: a stable kebab-case code on each', () => {
    const ours = vscode.languages
      .getDiagnostics()
      .flatMap(([, diagnostics]) => diagnostics)
      .filter((diagnostic) => diagnostic.source === diagnosticSource);
    for (const diagnostic of ours) assert.match(String(codeOf(diagnostic)), /^[a-z]+(-[a-z]+)*$/, diagnostic.message);
  });
});

function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}
