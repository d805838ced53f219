import * as vscode from 'vscode';
import { InitializationOptions } from '../../../protocol/index';
import { databaseConnections, legacyConnectionsWarning } from './databaseConnections';

let warnedOfLegacySetting = false;

/** What the server needs to read the databases: the settings, and where it may keep what it remembers. */
export function databaseInitializationOptions(
  extension: vscode.ExtensionContext,
): Pick<InitializationOptions, 'storagePath' | 'databases' | 'databaseRefreshInterval' | 'defaultAlias'> {
  const configuration = vscode.workspace.getConfiguration('djangoMigrations');
  const { connections, legacyAliases } = databaseConnections(configuration.get('databases.connections'), legacySetting(configuration));
  const warning = legacyConnectionsWarning(legacyAliases);
  if (warning && !warnedOfLegacySetting) {
    warnedOfLegacySetting = true;
    void vscode.window.showWarningMessage(warning);
  }
  return {
    storagePath: (extension.storageUri ?? extension.globalStorageUri).fsPath,
    databases: connections,
    databaseRefreshInterval: configuration.get<number>('databases.refreshInterval', 10),
    defaultAlias: configuration.get<string>('databases.defaultAlias') || undefined,
  };
}

/**
 * The former `djangoMigrations.databases` value. It is no longer a declared setting, so VS Code
 * does not restrict it in untrusted workspaces: only the user's own value is read there.
 */
function legacySetting(configuration: vscode.WorkspaceConfiguration): unknown {
  if (vscode.workspace.isTrusted) return configuration.get('databases');
  return configuration.inspect('databases')?.globalValue;
}
