import { Migration, MigrationKey } from './migration';
import { operationSemantics } from './operations/index';
import { stringArgument } from './operations/stateArguments';
import { callArgument, lastNamePart, PythonCall } from './pythonValue';

/** One operation in the life of a model or field, as the plan runs it. */
export interface HistoryEntry {
  readonly migration: Migration;
  readonly key: MigrationKey;
  readonly operationIndex: number;
  /** The operation call (a state operation nested in SeparateDatabaseAndState or RunSQL included). */
  readonly call: PythonCall;
  readonly kind: 'created' | 'renamed' | 'altered' | 'deleted';
  /** Django's describe() of the operation. */
  readonly describe: string;
}

/** Where to start following a model: a migration, and the model's name there. */
export interface HistoryStart {
  readonly key: MigrationKey;
  readonly app: string;
  readonly model: string;
  /** A field of the model, to follow that field instead of the whole model. */
  readonly field?: string;
  /** The operation the name is read in; without it, the end of the migration. */
  readonly operationIndex?: number;
}

interface PlannedOperation {
  readonly migration: Migration;
  readonly key: MigrationKey;
  readonly operationIndex: number;
  readonly call: PythonCall;
}

/** Every operation of the plan in order, state operations of the special ones in their place. */
function plannedOperations(
  plan: readonly MigrationKey[],
  migrations: (key: MigrationKey) => Migration | null | undefined,
): PlannedOperation[] {
  const found: PlannedOperation[] = [];
  for (const key of plan) {
    const migration = migrations(key);
    if (!migration) continue;
    migration.parsed.operations.forEach((operation, operationIndex) => {
      const visit = (call: PythonCall) => {
        const type = lastNamePart(call.callee);
        const nested =
          type === 'SeparateDatabaseAndState'
            ? callArgument(call, 1, 'state_operations')
            : type === 'RunSQL'
              ? callArgument(call, 2, 'state_operations')
              : undefined;
        if (nested?.kind === 'list' || nested?.kind === 'tuple') {
          for (const item of nested.items) if (item.kind === 'call') visit(item);
        } else {
          found.push({ migration, key, operationIndex, call });
        }
      };
      visit(operation.call);
    });
  }
  return found;
}

const lower = (name: string | undefined) => name?.toLowerCase();

/**
 * The operations of a plan that created, renamed, altered or deleted one model (or one field of
 * it), following renames both ways from `start`: as far back as the CreateModel (or AddField),
 * as far forward as the plan goes. Model names compare case-insensitively, as in Django.
 */
export function modelHistory(
  plan: readonly MigrationKey[],
  migrations: (key: MigrationKey) => Migration | null | undefined,
  start: HistoryStart,
): HistoryEntry[] {
  const operations = plannedOperations(plan, migrations);
  const first = operations.findIndex((o) => o.key === start.key);
  if (first < 0) return [];
  // The split point: after the operation the cursor is in (after the whole migration without one).
  let end = first;
  while (
    end < operations.length &&
    operations[end].key === start.key &&
    operations[end].operationIndex <= (start.operationIndex ?? Infinity)
  )
    end++;
  const entries: HistoryEntry[] = [];
  const entry = (o: PlannedOperation, kind: HistoryEntry['kind']): HistoryEntry => ({
    ...o,
    kind,
    describe: operationSemantics(lastNamePart(o.call.callee)).describe(o.call),
  });

  // Backwards from the end of the start migration: names as they were before each operation.
  let model = start.model.toLowerCase();
  let field = start.field;
  for (let i = end - 1; i >= 0; i--) {
    const o = operations[i];
    if (o.migration.appLabel !== start.app) continue;
    const kind = touches(o.call, model, field, 'backwards');
    if (!kind) continue;
    entries.unshift(entry(o, kind.kind));
    if (kind.model) model = kind.model;
    if (kind.field !== undefined) field = kind.field;
    if (kind.kind === 'created') break;
  }
  // Forwards after it.
  model = start.model.toLowerCase();
  field = start.field;
  for (let i = end; i < operations.length; i++) {
    const o = operations[i];
    if (o.migration.appLabel !== start.app) continue;
    const kind = touches(o.call, model, field, 'forwards');
    if (!kind) continue;
    entries.push(entry(o, kind.kind));
    if (kind.model) model = kind.model;
    if (kind.field !== undefined) field = kind.field;
    if (kind.kind === 'deleted') break;
  }
  return entries;
}

interface Touch {
  readonly kind: HistoryEntry['kind'];
  /** The model's name on the other side of a RenameModel. */
  readonly model?: string;
  /** The field's name on the other side of a RenameField. */
  readonly field?: string;
}

function touches(call: PythonCall, model: string, field: string | undefined, direction: 'backwards' | 'forwards'): Touch | undefined {
  const type = lastNamePart(call.callee);
  if (type === 'RenameModel') {
    const [oldName, newName] = [lower(stringArgument(call, 0, 'old_name')), lower(stringArgument(call, 1, 'new_name'))];
    const [from, to] = direction === 'backwards' ? [newName, oldName] : [oldName, newName];
    return from === model && to ? { kind: 'renamed', model: to } : undefined;
  }
  const named = lower(stringArgument(call, 0, 'name'));
  const modelName = lower(stringArgument(call, 0, 'model_name'));
  if (type === 'CreateModel') {
    if (named !== model) return undefined;
    if (field === undefined) return { kind: 'created' };
    const fields = callArgument(call, 1, 'fields');
    const listed =
      (fields?.kind === 'list' || fields?.kind === 'tuple') &&
      fields.items.some((f) => f.kind === 'tuple' && f.items[0]?.kind === 'str' && f.items[0].value === field);
    return listed ? { kind: 'created' } : undefined;
  }
  if (type === 'DeleteModel') return named === model ? { kind: 'deleted' } : undefined;
  if (field === undefined) {
    if (named === model || modelName === model) return { kind: 'altered' };
    return undefined;
  }
  if (modelName !== model) return undefined;
  if (type === 'RenameField') {
    const [oldName, newName] = [stringArgument(call, 1, 'old_name'), stringArgument(call, 2, 'new_name')];
    const [from, to] = direction === 'backwards' ? [newName, oldName] : [oldName, newName];
    return from === field && to !== undefined ? { kind: 'renamed', field: to } : undefined;
  }
  if (stringArgument(call, 1, 'name') !== field) return undefined;
  if (type === 'AddField') return { kind: 'created' };
  if (type === 'RemoveField') return { kind: 'deleted' };
  return type === 'AlterField' ? { kind: 'altered' } : undefined;
}
