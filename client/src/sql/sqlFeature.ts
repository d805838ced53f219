import * as vscode from 'vscode';
import { ClientContext } from '../clientContext';
import { ServerRequests } from '../commands/serverRequests';
import { showSql } from './showSql';
import { SQL_SCHEME, SqlDocumentProvider } from './sqlDocumentProvider';

/** SQL previews: the `django-migrations-sql` documents and the commands behind the "SQL" lenses. */
export function sqlFeature(context: ClientContext): void {
  const requests = new ServerRequests(context);
  context.extension.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SQL_SCHEME, new SqlDocumentProvider(requests, context.output)),
    vscode.commands.registerCommand('djangoMigrations.showSql', (argument?: unknown) => showSql(requests, argument, false)),
    vscode.commands.registerCommand('djangoMigrations.showBackwardsSql', (argument?: unknown) => showSql(requests, argument, true)),
  );
}
