import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { InitializationOptions, SERVER_NODE_FLAGS, TASK_ENVIRONMENT_KEY_VARIABLE } from '../../protocol/index';
import { MAX_MIGRATION_FILE_SETTING } from './commands/maxMigrationFile';
import { interpreterFor } from './commands/pythonInterpreter';
import { SEALING_KEY } from './commands/sealedEnvironment';
import { unsavedQuickFixes } from './quickFixes/unsavedQuickFixes';
import { databaseInitializationOptions } from './tree/databaseOptions';
import { databasePasswordEnvironment } from './tree/databasePasswords';

/** The language client for the bundled server (dist/server.js), over IPC. */
export async function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  // Stored database passwords, and the key of the task environments the server answers, go
  // through the server's environment, never through LSP messages.
  const env = {
    ...process.env,
    ...(await databasePasswordEnvironment(context)),
    [TASK_ENVIRONMENT_KEY_VARIABLE]: SEALING_KEY.toString('base64'),
  };
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env, execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6011'] } },
  };
  const configuration = vscode.workspace.getConfiguration('djangoMigrations');
  const initializationOptions: InitializationOptions = {
    trusted: vscode.workspace.isTrusted,
    // The interpreter selected in the Python extension (else the setting): its sys.path finds installed apps and its
    // Django decides what version-dependent output follows. Probing it runs Python: trusted workspaces only.
    pythonPath: (await startupInterpreter()) || undefined,
    settingsModule: configuration.get<string>('settings.module') || undefined,
    lintServerVersion: configuration.get<string | Record<string, string>>('lint.serverVersion') || undefined,
    djangoVersion: configuration.get<string>('django.version') || undefined,
    maxMigrationFileFolders: maxMigrationFileFolders(),
    ...databaseInitializationOptions(context),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python', pattern: '**/migrations/**/*.py' },
      { scheme: 'file', language: 'python', pattern: '**/models.py' },
      { scheme: 'file', language: 'python', pattern: '**/models/**/*.py' },
      // [tool.django-migrations]: its mistakes are reported in the file.
      { scheme: 'file', pattern: '**/pyproject.toml' },
    ],
    synchronize: {
      // Migration files, app configs, settings and manage.py change the project model even when
      // they are not open.
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.py'), vscode.workspace.createFileSystemWatcher('**/pyproject.toml')],
    },
    initializationOptions,
    outputChannel: output,
    middleware: { ...unsavedQuickFixes },
  };
  return new CleanExitLanguageClient('djangoMigrations', 'Django Migrations', serverOptions, clientOptions);
}

/** The workspace folders where the refactorings create `max_migration.txt` (a resource setting, read per folder). */
function maxMigrationFileFolders(): string[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => vscode.workspace.getConfiguration('djangoMigrations', folder).get<boolean>(MAX_MIGRATION_FILE_SETTING, false))
    .map((folder) => folder.uri.fsPath);
}

async function startupInterpreter(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (vscode.workspace.isTrusted && folder) return interpreterFor(folder.uri.fsPath);
  return vscode.workspace.getConfiguration('djangoMigrations').get<string>('python.path');
}

/** A server that stopped cleanly (a restart, a trust change) is not an error in the output. */
class CleanExitLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    if (message === 'Server process exited with code 0.') this.info(message, undefined, false);
    else super.error(message, data, showNotification);
  }
}
