import { FunctionEntry, ImportEntry, Migration, OperationEntry, RunPythonImport } from '../migration';
import { Problem } from '../problem';
import { callArgument } from '../pythonValue';

/** Whether `name`, imported from `module`, is a model class; undefined while not known. */
export type ModelClassVerdict = (module: string, name: string) => boolean | undefined;

/**
 * A data migration that uses a model class imported directly gets today's model, not the
 * historical one its RunPython runs against; Django's docs ask for `apps.get_model()` instead.
 * Only a name a RunPython function reads (itself or through the module's functions it calls),
 * and only when it resolves to a model class.
 */
export function modelImportInDataMigration(migration: Migration, isModelClass: ModelClassVerdict): Problem[] {
  return migration.parsed.runPythonImports
    .filter((entry) => isModelClass(entry.module, entry.name) === true)
    .map((entry) => {
      const parts = entry.module.split('.');
      const app =
        parts.length >= 2 && parts[parts.length - 1] === 'models' && parts[parts.length - 2] ? parts[parts.length - 2] : migration.appLabel;
      return {
        code: 'model-import-in-data-migration' as const,
        severity: 'warning' as const,
        message:
          `This data migration uses the model ${entry.name} imported from ${entry.module}: it is today's model, not the ` +
          `historical one this migration runs against. Use apps.get_model('${app}', '${entry.name}') inside the RunPython function.`,
        file: migration.path,
        range: entry.range,
      };
    });
}

/**
 * The `from ... import` names that the functions given to RunPython (`code`, `reverse_code`)
 * read, directly or through other functions of the module they call.
 */
export function importsUsedByRunPython(
  operations: readonly OperationEntry[],
  functions: readonly FunctionEntry[],
  imports: readonly ImportEntry[],
): RunPythonImport[] {
  const byName = new Map(functions.map((entry) => [entry.name, entry]));
  const pending: string[] = [];
  for (const operation of operations) {
    if (operation.type !== 'RunPython') continue;
    for (const [position, keyword] of [
      [0, 'code'],
      [1, 'reverse_code'],
    ] as const) {
      const argument = callArgument(operation.call, position, keyword);
      if (argument?.kind === 'name' && byName.has(argument.dotted)) pending.push(argument.dotted);
    }
  }
  const visited = new Set<string>();
  const used = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (visited.has(name)) continue;
    visited.add(name);
    for (const free of byName.get(name)?.freeNames ?? []) {
      used.add(free);
      if (byName.has(free)) pending.push(free);
    }
  }
  const found: RunPythonImport[] = [];
  for (const entry of imports) {
    entry.names.forEach((name, index) => {
      const bound = entry.boundNames?.[index] ?? name;
      if (name !== '*' && !name.includes('.') && used.has(bound)) found.push({ module: entry.module, name, range: entry.range });
    });
  }
  return found;
}
