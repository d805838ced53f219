import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { InitializationOptions } from '../../protocol/index';
import { databaseInitializationOptions } from './tree/databaseOptions';
import { databasePasswordEnvironment } from './tree/databasePasswords';

/** The language client for the bundled server (dist/server.js), over IPC. */
export async function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  // Stored database passwords go through the server's environment, never through LSP messages.
  const env = { ...process.env, ...(await databasePasswordEnvironment(context)) };
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const configuration = vscode.workspace.getConfiguration('djangoMigrations');
  const initializationOptions: InitializationOptions = {
    trusted: vscode.workspace.isTrusted,
    pythonPath: configuration.get<string>('python.path') || undefined,
    settingsModule: configuration.get<string>('settings.module') || undefined,
    ...databaseInitializationOptions(context),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python', pattern: '**/migrations/**/*.py' },
      { scheme: 'file', language: 'python', pattern: '**/models.py' },
      { scheme: 'file', language: 'python', pattern: '**/models/**/*.py' },
    ],
    synchronize: {
      // Migration files, app configs, settings and manage.py change the project model even when
      // they are not open.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.py'),
    },
    initializationOptions,
    outputChannel: output,
  };
  return new LanguageClient('djangoMigrations', 'Django Migrations', serverOptions, clientOptions);
}
