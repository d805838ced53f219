import * as vscode from 'vscode';
import { commandArguments, orActiveEditor } from './commandArguments';
import { CommandServices } from './commandServices';

/** The file a tree node, a URI or the active editor names. */
async function migrationDocument(argument: unknown): Promise<vscode.TextDocument | undefined> {
  const { file } = orActiveEditor(commandArguments(argument));
  if (!file) {
    void vscode.window.showWarningMessage('Django Migrations: open a migration file or pick one in the migrations tree.');
    return undefined;
  }
  return vscode.workspace.openTextDocument(vscode.Uri.file(file));
}

/**
 * `djangoMigrations.renameMigration`: the editor's rename (F2) on the file's `class Migration`,
 * where the server's prepareRename offers the name after the number and says why it refuses.
 */
export async function renameMigration(argument?: unknown): Promise<void> {
  const document = await migrationDocument(argument);
  if (!document) return;
  const editor = await vscode.window.showTextDocument(document);
  const symbols =
    (await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri)) ?? [];
  const migration = symbols.find((symbol) => symbol.name === 'Migration' && symbol.kind === vscode.SymbolKind.Class);
  if (!migration) {
    void vscode.window.showWarningMessage(`Django Migrations: ${document.uri.fsPath} has no class Migration to rename.`);
    return;
  }
  editor.selection = new vscode.Selection(migration.selectionRange.start, migration.selectionRange.start);
  await vscode.commands.executeCommand('editor.action.rename');
}

/**
 * `djangoMigrations.finishSquash`: the server's "Finish the squash" refactoring for the squashed
 * migration, after a confirmation that says what each database holds of it; its reasons when a
 * database does not allow it.
 */
export async function finishSquash(services: CommandServices, argument?: unknown): Promise<void> {
  const document = await migrationDocument(argument);
  if (!document) return;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
      'vscode.executeCodeActionProvider',
      document.uri,
      whole,
      vscode.CodeActionKind.RefactorRewrite.value,
    )) ?? [];
  const action = actions.find((candidate) => candidate.title.startsWith('Finish the squash'));
  if (!action) {
    void vscode.window.showWarningMessage(
      `Django Migrations: ${document.uri.fsPath} is not a squashed migration with a plain replaces list.`,
    );
    return;
  }
  const { report } = await services.requests.finishSquashReport(document.uri.fsPath);
  const found = report.length > 0 ? `Databases:\n${report.join('\n')}\n\n` : '';
  if (action.disabled) {
    void vscode.window.showWarningMessage('Django Migrations: the squash cannot be finished yet.', {
      modal: true,
      detail: `${found}${action.disabled.reason}`,
    });
    return;
  }
  const confirm = 'Finish the Squash';
  const answer = await vscode.window.showWarningMessage(
    `${action.title}?`,
    { modal: true, detail: `${found}Undo restores every file.` },
    confirm,
  );
  if (answer !== confirm) return;
  if (action.edit) {
    if (!(await vscode.workspace.applyEdit(action.edit)))
      void vscode.window.showErrorMessage('Django Migrations: the edit could not be applied.');
  } else if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}
