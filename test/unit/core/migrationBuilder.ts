import { DependencyEntry, Migration, MigrationKeyEntry, OperationEntry, ParsedMigration } from '../../../server/src/core/migration';
import { PythonCall, PythonValue } from '../../../server/src/core/pythonValue';
import { FILE_START } from '../../../server/src/core/sourceRange';

/** Builds in-memory migrations for core tests, without parsing. */
export function migration(
  app: string,
  name: string,
  dependencies: ([string, string] | { swappable: string })[] = [],
  extra: Partial<{ replaces: [string, string][]; runBefore: [string, string][]; operations: OperationEntry[] }> = {},
): Migration {
  const keyEntry = ([a, n]: [string, string]): MigrationKeyEntry => ({
    app: a,
    name: n,
    range: FILE_START,
    appRange: FILE_START,
    nameRange: FILE_START,
  });
  const dependencyEntry = (d: [string, string] | { swappable: string }): DependencyEntry =>
    Array.isArray(d)
      ? { target: { kind: 'key', app: d[0], name: d[1] }, range: FILE_START, appRange: FILE_START, nameRange: FILE_START }
      : { target: { kind: 'swappable', setting: d.swappable }, range: FILE_START };
  const parsed: ParsedMigration = {
    hasMigrationClass: true,
    classRange: FILE_START,
    classNameRange: FILE_START,
    dependencies: dependencies.map(dependencyEntry),
    replaces: (extra.replaces ?? []).map(keyEntry),
    runBefore: (extra.runBefore ?? []).map(keyEntry),
    initial: null,
    atomic: true,
    operations: extra.operations ?? [],
    attributeRanges: extra.replaces ? { replaces: FILE_START } : {},
    dynamic: [],
    syntaxErrors: [],
    importFailures: [],
    imports: [],
    runPythonImports: [],
    functions: [],
  };
  return { appLabel: app, name, path: `/project/${app}/migrations/${name}.py`, parsed };
}

/** `migrations.<type>(args..., key=value...)` with string, None and name arguments. */
export function operation(
  type: string,
  args: (string | null)[] = [],
  kwargs: Record<string, string | null | { name: string }> = {},
): OperationEntry {
  const value = (v: string | null | { name: string }): PythonValue =>
    v === null
      ? { kind: 'constant', value: null, range: FILE_START }
      : typeof v === 'string'
        ? { kind: 'str', value: v, range: FILE_START }
        : { kind: 'name', dotted: v.name, range: FILE_START };
  const call: PythonCall = {
    kind: 'call',
    callee: `migrations.${type}`,
    calleeRange: FILE_START,
    range: FILE_START,
    args: args.map(value),
    kwargs: Object.entries(kwargs).map(([name, v]) => ({ name, nameRange: FILE_START, value: value(v) })),
  };
  return { type, call };
}
