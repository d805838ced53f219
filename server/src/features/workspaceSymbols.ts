import { SymbolInformation, SymbolKind } from 'vscode-languageserver/node';
import { FILE_START } from '../core/sourceRange';
import { MigrationProject } from '../project/migrationProject';
import { pathToUri } from './fileUri';

const LIMIT = 500;

/**
 * Every migration by `app.name`, matched by the query's characters in order (as VS Code filters);
 * spaces in the query are ignored, so "shop 0002" finds `shop.0002_order`.
 */
export function workspaceSymbols(projects: readonly MigrationProject[], query: string): SymbolInformation[] {
  const wanted = query.toLowerCase().split(/\s+/).join('');
  const found: SymbolInformation[] = [];
  for (const project of projects) {
    for (const migration of project.analyse().loaded.diskMigrations.values()) {
      const name = `${migration.appLabel}.${migration.name}`;
      if (!isSubsequence(wanted, name.toLowerCase())) continue;
      found.push({
        name,
        kind: SymbolKind.Class,
        containerName: migration.appLabel,
        location: { uri: pathToUri(migration.path), range: migration.parsed.classNameRange ?? FILE_START },
      });
      if (found.length >= LIMIT) return found;
    }
  }
  return found;
}

function isSubsequence(needle: string, haystack: string): boolean {
  let at = 0;
  for (const character of haystack) {
    if (at < needle.length && character === needle[at]) at++;
  }
  return at === needle.length;
}
