import * as vscode from 'vscode';
import { Middleware } from 'vscode-languageclient/node';
import { ClientContext } from '../clientContext';

/** Applies a quick fix's edit as a plain edit. */
export const APPLY_QUICK_FIX_COMMAND = 'djangoMigrations.applyQuickFix';

/**
 * The server's quick fixes, each running its edit through `workspace.applyEdit` instead of as a
 * code action edit: VS Code saves the files a code action edits (`files.refactoring.autoSave`),
 * and a change to a migration should wait in the editor, undoable, until the user saves it.
 */
export const unsavedQuickFixes: Pick<Middleware, 'provideCodeActions'> = {
  async provideCodeActions(document, range, context, token, next) {
    const actions = await next(document, range, context, token);
    return actions?.map((action) => {
      if (!(action instanceof vscode.CodeAction) || !action.edit) return action;
      const edit = action.edit;
      action.edit = undefined;
      action.command = { title: action.title, command: APPLY_QUICK_FIX_COMMAND, arguments: [edit] };
      return action;
    });
  },
};

/** Registers the command the rewritten quick fixes run. */
export function unsavedQuickFixesFeature(context: ClientContext): void {
  context.extension.subscriptions.push(
    vscode.commands.registerCommand(APPLY_QUICK_FIX_COMMAND, async (edit: vscode.WorkspaceEdit) => {
      if (!(await vscode.workspace.applyEdit(edit)))
        void vscode.window.showErrorMessage('Django Migrations: the quick fix could not be applied (the file changed meanwhile).');
    }),
  );
}
