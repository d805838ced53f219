import { DocumentSymbol, SymbolKind } from 'vscode-languageserver/node';
import { operationSemantics } from '../core/operations/index';
import { MigrationProject } from '../project/migrationProject';

/** Outline: the Migration class with its operations, named as Django describes them. */
export function documentSymbols(project: MigrationProject, file: string): DocumentSymbol[] {
  const migration = project.migrationAt(file);
  if (!migration?.parsed.classRange) return [];
  const operations = migration.parsed.operations.map((operation): DocumentSymbol => ({
    name: operationSemantics(operation.type, project.djangoVersion).describe(operation.call) || operation.type,
    detail: operation.type,
    kind: SymbolKind.Event,
    range: operation.call.range,
    selectionRange: operation.call.calleeRange,
  }));
  return [
    {
      name: `${migration.appLabel}.${migration.name}`,
      detail: 'Migration',
      kind: SymbolKind.Class,
      range: migration.parsed.classRange,
      selectionRange: migration.parsed.classNameRange ?? migration.parsed.classRange,
      children: operations,
    },
  ];
}
