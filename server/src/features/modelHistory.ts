import { Location } from 'vscode-languageserver/node';
import { generatePlan } from '../core/makeState';
import { Migration, migrationKey } from '../core/migration';
import { HistoryEntry, modelHistory } from '../core/modelHistory';
import { ModelReference } from '../core/operations/operation';
import { callArgument, lastNamePart, PythonCall, PythonValue } from '../core/pythonValue';
import { containsPosition, SourcePosition, SourceRange } from '../core/sourceRange';
import { MigrationProject } from '../project/migrationProject';
import { pathToUri } from './fileUri';

/** A model, or a field of one, named at the cursor in a migration. */
export interface HistoryTarget {
  readonly app: string;
  readonly model: string;
  readonly field?: string;
  readonly operationIndex?: number;
  readonly range: SourceRange;
}

/** The model a model reference names, in the app it belongs to (swappable settings resolved). */
export function modelTarget(
  project: MigrationProject,
  migration: Migration,
  reference: ModelReference,
  app: string,
  position: SourcePosition,
): HistoryTarget | undefined {
  let [targetApp, model] = [app, reference.model];
  if (reference.setting) {
    const value = project.project.swappableSettings.get(reference.setting);
    if (!value) return undefined;
    [targetApp, model] = [value.slice(0, value.indexOf('.')), value.slice(value.indexOf('.') + 1)];
  }
  const operationIndex = migration.parsed.operations.findIndex((o) => containsPosition(o.call.range, position));
  return { app: targetApp, model, operationIndex: operationIndex < 0 ? undefined : operationIndex, range: reference.range };
}

const FIELD_NAME_ARGUMENTS: Readonly<Record<string, readonly [number, string][]>> = {
  AddField: [[1, 'name']],
  AlterField: [[1, 'name']],
  RemoveField: [[1, 'name']],
  RenameField: [
    [1, 'old_name'],
    [2, 'new_name'],
  ],
};

/** The field named at the cursor: a field operation's `name=` (or old/new name), or a CreateModel field. */
export function fieldTarget(migration: Migration, position: SourcePosition): HistoryTarget | undefined {
  let found: HistoryTarget | undefined;
  migration.parsed.operations.forEach((operation, operationIndex) => {
    if (found || !containsPosition(operation.call.range, position)) return;
    const visit = (call: PythonCall) => {
      const type = lastNamePart(call.callee);
      const model = callArgument(call, 0, type === 'CreateModel' ? 'name' : 'model_name');
      if (model?.kind !== 'str') return visitNested(call, type);
      const names: PythonValue[] = (FIELD_NAME_ARGUMENTS[type] ?? []).flatMap(
        ([position_, keyword]) => callArgument(call, position_, keyword) ?? [],
      );
      if (type === 'CreateModel') {
        const fields = callArgument(call, 1, 'fields');
        if (fields?.kind === 'list' || fields?.kind === 'tuple')
          for (const item of fields.items) if (item.kind === 'tuple' && item.items[0]) names.push(item.items[0]);
      }
      for (const name of names) {
        if (name.kind === 'str' && containsPosition(name.range, position)) {
          // A RenameField's old name is followed from before the operation.
          const before = type === 'RenameField' && name === callArgument(call, 1, 'old_name');
          found = {
            app: migration.appLabel,
            model: model.value,
            field: name.value,
            operationIndex: before ? operationIndex - 1 : operationIndex,
            range: name.range,
          };
        }
      }
    };
    const visitNested = (call: PythonCall, type: string) => {
      const nested =
        type === 'SeparateDatabaseAndState'
          ? callArgument(call, 1, 'state_operations')
          : type === 'RunSQL'
            ? callArgument(call, 2, 'state_operations')
            : undefined;
      if (nested?.kind === 'list' || nested?.kind === 'tuple') for (const item of nested.items) if (item.kind === 'call') visit(item);
    };
    visit(operation.call);
  });
  return found;
}

/** The history of the target over `migrate`'s full plan (every leaf), in plan order. */
export function historyOf(project: MigrationProject, migration: Migration, target: HistoryTarget): HistoryEntry[] {
  const { graph } = project.loaderResult();
  const plan = generatePlan(graph, graph.leafNodes(), true);
  const key = target.app === migration.appLabel ? migrationKey(migration.appLabel, migration.name) : undefined;
  // A reference into another app starts from the end of that app's plan up to this migration.
  const start = key ?? lastOfAppBefore(plan, target.app, migrationKey(migration.appLabel, migration.name));
  if (!start) return [];
  return modelHistory(plan, (k) => graph.nodes.get(k), {
    key: start,
    app: target.app,
    model: target.model,
    field: target.field,
    operationIndex: key ? target.operationIndex : undefined,
  });
}

function lastOfAppBefore(plan: readonly string[], app: string, key: string): string | undefined {
  const until = plan.indexOf(key);
  const candidates = (until < 0 ? plan : plan.slice(0, until)).filter((k) => k.startsWith(`${app}.`));
  return candidates[candidates.length - 1] ?? plan.filter((k) => k.startsWith(`${app}.`))[0];
}

const KIND_TEXT: Record<HistoryEntry['kind'], string> = { created: 'created', renamed: 'renamed', altered: 'altered', deleted: 'deleted' };

/** Markdown lines: each operation with its migration and whether that migration is applied. */
export function historyMarkdown(project: MigrationProject, entries: readonly HistoryEntry[], limit = 12): string[] {
  const applied = project.loaderResult().appliedMigrations;
  const shown = entries.length > limit ? entries.slice(entries.length - limit) : entries;
  const lines = shown.map((entry) => {
    const at = applied.has(entry.key) ? `applied${applied.get(entry.key) ? ` ${applied.get(entry.key)}` : ''}` : 'not applied';
    return `- ${KIND_TEXT[entry.kind]} in \`${entry.key}\`: ${entry.describe} (${at})`;
  });
  if (shown.length < entries.length) lines.unshift(`- ... ${entries.length - shown.length} earlier operations`);
  return lines;
}

export function historyLocations(entries: readonly HistoryEntry[]): Location[] {
  return entries.map((entry) => ({ uri: pathToUri(entry.migration.path), range: entry.call.range }));
}
