import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { ClientContext } from './clientContext';
import { CLIENT_FEATURES } from './features';
import { createLanguageClient } from './languageClient';
import { MigrationStateStore } from './tree/migrationStateStore';

let client: LanguageClient | undefined;

/**
 * Activation is cheap: VS Code only activates us in workspaces with a `manage.py` or a
 * `migrations` package (see `activationEvents`); the server does the real work.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Django Migrations');
  const started = new vscode.EventEmitter<LanguageClient>();
  context.subscriptions.push(output, started);

  const start = async (): Promise<void> => {
    const starting = await createLanguageClient(context, output);
    await starting.start();
    client = starting;
    started.fire(starting);
  };
  const stop = async (): Promise<void> => {
    const running = client;
    client = undefined;
    await running?.stop();
  };
  const restart = async (): Promise<void> => {
    await stop();
    await start();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('djangoMigrations.restartServer', restart),
    vscode.commands.registerCommand('djangoMigrations.showOutput', () => output.show()),
    // Trust changes what the server may run (the project's Python), so it starts afresh.
    vscode.workspace.onDidGrantWorkspaceTrust(restart),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (
        event.affectsConfiguration('djangoMigrations.python') ||
        event.affectsConfiguration('djangoMigrations.settings') ||
        event.affectsConfiguration('djangoMigrations.django') ||
        event.affectsConfiguration('djangoMigrations.databases') ||
        event.affectsConfiguration('djangoMigrations.maxMigrationFile')
      ) {
        await restart();
      }
    }),
    { dispose: () => void stop() },
  );

  const connection = { output, client: () => client, onDidStartClient: started.event };
  const migrationState = new MigrationStateStore(connection);
  context.subscriptions.push(migrationState);
  const clientContext: ClientContext = { ...connection, extension: context, migrationState };
  for (const feature of CLIENT_FEATURES) feature(clientContext);

  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
