import { MigrationStateOracle } from '../core/lints/lintRule';
import { MigrationKey } from '../core/migration';
import { PythonCall, PythonValue } from '../core/pythonValue';
import { SourceRange } from '../core/sourceRange';
import { ProjectState } from '../core/state';
import { MigrationProject } from './migrationProject';

/**
 * What Django's ProjectState knew just before a migration, for the lint rules: a field's
 * definition as the migration that last wrote it spelled it. Unknown state answers nothing, so
 * the rules fall back to what the file itself shows.
 */
export function lintStateOracle(project: MigrationProject, key: MigrationKey): MigrationStateOracle {
  let before: ProjectState | undefined | null = null;
  const state = () => (before === null ? (before = project.migrationStates().stateBefore(key)) : before);
  return {
    fieldBefore(app, model, field) {
      const known = state();
      if (!known || known.unknownApps.has(app)) return undefined;
      const written = known.getModel(app, model)?.getField(field);
      if (!written?.origin || written.unknown) return undefined;
      const operation = project.loaderResult().diskMigrations.get(written.origin.migration)?.parsed.operations[
        written.origin.operationIndex
      ];
      return operation && callAt(operation.call, written.origin.range);
    },
  };
}

/** The call inside `value` that spans exactly `range`. */
function callAt(value: PythonValue, range: SourceRange): PythonCall | undefined {
  if (value.kind === 'call') {
    if (sameRange(value.range, range)) return value;
    for (const inner of [...value.args, ...value.kwargs.map((keyword) => keyword.value)]) {
      const found = callAt(inner, range);
      if (found) return found;
    }
  }
  if (value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set') {
    for (const item of value.items) {
      const found = callAt(item, range);
      if (found) return found;
    }
  }
  if (value.kind === 'dict') {
    for (const entry of value.entries) {
      const found = callAt(entry.value, range);
      if (found) return found;
    }
  }
  return undefined;
}

function sameRange(a: SourceRange, b: SourceRange): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
