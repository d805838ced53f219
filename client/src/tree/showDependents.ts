import * as vscode from 'vscode';
import { ClientContext } from '../clientContext';

interface LspLocation {
  readonly uri: string;
  readonly range: { readonly start: LspPosition; readonly end: LspPosition };
}

interface LspPosition {
  readonly line: number;
  readonly character: number;
}

/**
 * `djangoMigrations.showDependents (uri, position, locations)`, the dependents lens's command:
 * the server's LSP values made VS Code's, shown in the references peek.
 */
export function showDependentsFeature(context: ClientContext): void {
  context.extension.subscriptions.push(
    vscode.commands.registerCommand(
      'djangoMigrations.showDependents',
      async (uri?: string, position?: LspPosition, locations?: LspLocation[]) => {
        if (!uri || !position) return;
        if (!locations || locations.length === 0) {
          void vscode.window.showInformationMessage('No migration depends on this one.');
          return;
        }
        const toPosition = (value: LspPosition) => new vscode.Position(value.line, value.character);
        await vscode.commands.executeCommand(
          'editor.action.showReferences',
          vscode.Uri.parse(uri),
          toPosition(position),
          locations.map(
            (location) =>
              new vscode.Location(
                vscode.Uri.parse(location.uri),
                new vscode.Range(toPosition(location.range.start), toPosition(location.range.end)),
              ),
          ),
        );
      },
    ),
  );
}
