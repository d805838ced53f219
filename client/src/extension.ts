import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';

let client: LanguageClient | undefined;

/**
 * Activation is cheap: VS Code only activates us in workspaces with a `manage.py` or a
 * `migrations` package (see `activationEvents`); the server does the real work.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Django Migrations');
  context.subscriptions.push(output);

  const start = async (): Promise<void> => {
    client = createLanguageClient(context, output);
    await client.start();
  };
  const stop = async (): Promise<void> => {
    const running = client;
    client = undefined;
    await running?.stop();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('djangoMigrations.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.commands.registerCommand('djangoMigrations.showOutput', () => output.show()),
    // Trust changes what the server may run (the project's Python), so it starts afresh.
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('djangoMigrations.python') || event.affectsConfiguration('djangoMigrations.settings')) {
        await stop();
        await start();
      }
    }),
    { dispose: () => void stop() },
  );

  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
