import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticSource, waitForDiagnostics } from '../waitForDiagnostics';
import { workspaceFile } from '../workspaceFile';

/**
 * Diagnostics and their quick fixes. Edits stay unsaved and are reverted at the end of each test:
 * the server analyses what the editor holds.
 */
describe('diagnostics in a Django project', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('reports RunPython without reverse_code as irreversible-operation, on the operation', async () => {
    const uri = workspaceFile('orders/migrations/0003_fill_order_totals.py');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'irreversible-operation'));
    const irreversible = diagnostics.filter((d) => codeOf(d) === 'irreversible-operation');
    assert.equal(irreversible.length, 1);
    assert.equal(irreversible[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.match(document.getText(irreversible[0].range), /^migrations\.RunPython/);
  });

  it('makes the RunPython reversible with its quick fix (reverse_code=migrations.RunPython.noop)', async () => {
    const uri = workspaceFile('orders/migrations/0003_fill_order_totals.py');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const [irreversible] = (await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'irreversible-operation'))).filter(
      (d) => codeOf(d) === 'irreversible-operation',
    );
    const fix = await quickFix(uri, irreversible.range, 'Add reverse_code=migrations.RunPython.noop');
    // The fix runs its edit as a command, so the file waits unsaved for review.
    assert.equal(fix.edit, undefined);
    await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []));
    assert.match(document.getText(), /migrations\.RunPython\(fill_order_totals, reverse_code=migrations\.RunPython\.noop\)/);
    assert.equal(document.isDirty, true);
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'irreversible-operation'));
  });

  it('reports conflicting-leaves on both leaves of catalog, each pointing at the other', async () => {
    const leaves = ['0003_author_bio', '0003_book_isbn'];
    for (const [index, leaf] of leaves.entries()) {
      const uri = workspaceFile(`catalog/migrations/${leaf}.py`);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const [conflict, ...others] = (await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'conflicting-leaves'))).filter(
        (d) => codeOf(d) === 'conflicting-leaves',
      );
      assert.equal(others.length, 0);
      assert.equal(conflict.severity, vscode.DiagnosticSeverity.Error);
      const other = workspaceFile(`catalog/migrations/${leaves[1 - index]}.py`).toString();
      assert.ok(
        conflict.relatedInformation?.some((related) => related.location.uri.toString() === other),
        `${leaf} points at ${leaves[1 - index]}`,
      );
      // Its quick fix runs makemigrations --merge through the command (the UI check answers Django's question).
      const merge = await quickFix(uri, conflict.range, "Merge the migrations of 'catalog' (makemigrations --merge)");
      assert.equal(merge.command?.command, 'djangoMigrations.mergeMigrations');
      assert.deepEqual(merge.command?.arguments, [{ app: 'catalog', file: uri.fsPath }]);
    }
  });

  it('reports a dependency on a migration that does not exist, and its quick fix depends on the one with that number', async () => {
    const uri = workspaceFile('orders/migrations/0002_order_total.py');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const typo = new vscode.Range(
      document.positionAt(document.getText().indexOf("'0001_initial'")),
      document.positionAt(document.getText().indexOf("'0001_initial'") + "'0001_initial'".length),
    );
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, typo, "'0001_first'");
    assert.ok(await vscode.workspace.applyEdit(edit));

    const [missing] = (await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'missing-dependency'))).filter(
      (d) => codeOf(d) === 'missing-dependency',
    );
    assert.equal(missing.severity, vscode.DiagnosticSeverity.Error);
    assert.match(missing.message, /0001_first/);
    assert.equal(document.getText(missing.range), "('orders', '0001_first')");

    // orders.0002 is applied on the seeded database: the title says the fix edits it.
    const fix = await quickFix(uri, missing.range, "Depend on '0001_initial' (edits a migration applied on 'default')");
    await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []));
    assert.match(document.getText(), /\('orders', '0001_initial'\)/);
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'missing-dependency'));
  });

  it('publishes only well-formed diagnostics: a stable kebab-case code on each', () => {
    const ours = vscode.languages
      .getDiagnostics()
      .flatMap(([, diagnostics]) => diagnostics)
      .filter((diagnostic) => diagnostic.source === diagnosticSource);
    assert.ok(ours.length > 0);
    for (const diagnostic of ours) assert.match(String(codeOf(diagnostic)), /^[a-z]+(-[a-z]+)*$/, diagnostic.message);
  });
});

/** The quick fix titled `title` that VS Code offers for `range` (as the light bulb lists them). */
async function quickFix(uri: vscode.Uri, range: vscode.Range, title: string): Promise<vscode.CodeAction> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(action, `quick fix "${title}" among: ${actions.map((candidate) => candidate.title).join(', ')}`);
  return action;
}
