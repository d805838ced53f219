import * as vscode from 'vscode';
import { DatabaseOverride, InitializationOptions } from '../../../protocol/index';

/** Settings below `djangoMigrations.databases` that VS Code merges into that object's value. */
const NESTED_SETTINGS = new Set(['refreshInterval', 'defaultAlias']);

/** What the server needs to read the databases: the settings, and where it may keep what it remembers. */
export function databaseInitializationOptions(
  extension: vscode.ExtensionContext,
): Pick<InitializationOptions, 'storagePath' | 'databases' | 'databaseRefreshInterval' | 'defaultAlias'> {
  const configuration = vscode.workspace.getConfiguration('djangoMigrations');
  const databases: Record<string, DatabaseOverride> = {};
  for (const [alias, value] of Object.entries(configuration.get<Record<string, unknown>>('databases') ?? {})) {
    if (NESTED_SETTINGS.has(alias)) continue;
    if (typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value))) {
      databases[alias] = value as DatabaseOverride;
    }
  }
  return {
    storagePath: (extension.storageUri ?? extension.globalStorageUri).fsPath,
    databases,
    databaseRefreshInterval: configuration.get<number>('databases.refreshInterval', 10),
    defaultAlias: configuration.get<string>('databases.defaultAlias') || undefined,
  };
}
