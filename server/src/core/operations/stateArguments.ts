import { ImportEntry, MigrationKey } from '../migration';
import { callArgument, PythonCall, PythonValue } from '../pythonValue';
import { FieldState, ManagerState, ProjectState, StateOrigin } from '../state';
import { tupleValue } from '../stateValues';

/** What a state_forwards needs besides the operation: where it is, and the file's imports. */
export interface StateContext {
  readonly appLabel: string;
  readonly migration: MigrationKey;
  /** Index of the top-level operation (nested state operations share it). */
  readonly operationIndex: number;
  readonly imports: readonly ImportEntry[];
}

/** One operation's `state_forwards(app_label, state)`, read from its call. */
export type StateForwards = (call: PythonCall, state: ProjectState, context: StateContext) => void;

export function originOf(context: StateContext, call: PythonValue): StateOrigin {
  return { migration: context.migration, operationIndex: context.operationIndex, range: call.range };
}

/** A string argument, or undefined when it is missing or not a literal string. */
export function stringArgument(call: PythonCall, position: number, keyword: string): string | undefined {
  const value = callArgument(call, position, keyword);
  return value?.kind === 'str' ? value.value : undefined;
}

/** Python's `*args`/`**kwargs` in a call: its arguments cannot be bound statically. */
export function hasStarArguments(call: PythonCall): boolean {
  return call.args.some((arg) => arg.kind === 'opaque' && arg.text.startsWith('*'));
}

/**
 * The import path a dotted name refers to in the migration module: `models.CharField` after
 * `from django.db import models` is `django.db.models.CharField`. Names that no import binds
 * stay as written.
 */
export function importedPath(dotted: string, imports: readonly ImportEntry[]): string {
  const dot = dotted.indexOf('.');
  const head = dot < 0 ? dotted : dotted.slice(0, dot);
  for (let i = imports.length - 1; i >= 0; i--) {
    const entry = imports[i];
    if (entry.names.includes(head)) return `${entry.module}.${dotted}`;
    if (entry.names.length === 0 && (entry.module === head || entry.module.startsWith(`${head}.`))) return dotted;
  }
  return dotted;
}

/** Field.deconstruct() shortens the paths of Django's own field modules. */
const SHORTENED_MODULES: readonly [string, string][] = [
  ['django.db.models.fields.related.', 'django.db.models.'],
  ['django.db.models.fields.files.', 'django.db.models.'],
  ['django.db.models.fields.json.', 'django.db.models.'],
  ['django.db.models.fields.proxy.', 'django.db.models.'],
  ['django.db.models.fields.composite.', 'django.db.models.'],
  ['django.db.models.fields.generated.', 'django.db.models.'],
  ['django.db.models.fields.', 'django.db.models.'],
];

export function deconstructedPath(path: string): string {
  for (const [prefix, short] of SHORTENED_MODULES) {
    if (path.startsWith(prefix)) return short + path.slice(prefix.length);
  }
  // contrib.postgres fields deconstruct as `django.contrib.postgres.fields.ArrayField`.
  const postgres = /^django\.contrib\.postgres\.fields\.[a-z_]+\.([A-Za-z]+)$/.exec(path);
  return postgres ? `django.contrib.postgres.fields.${postgres[1]}` : path;
}

/**
 * A field as a FieldState: the call `models.CharField(max_length=10)` read as deconstruct's
 * `(path, args, kwargs)`. Anything else is an unknown field: kept by name, never guessed.
 */
export function readFieldState(name: string, value: PythonValue | undefined, context: StateContext): FieldState {
  // The same call, replayed again for another state, gives the same (immutable) FieldState.
  const known = value && fieldStates.get(value);
  if (known && known.name === name && known.origin?.migration === context.migration) return known;
  const field = fieldStateOf(name, value, context);
  if (value) fieldStates.set(value, field);
  return field;
}

const fieldStates = new WeakMap<PythonValue, FieldState>();

function fieldStateOf(name: string, value: PythonValue | undefined, context: StateContext): FieldState {
  const origin = value ? originOf(context, value) : undefined;
  if (value?.kind !== 'call') {
    return { name, path: '', args: [], kwargs: new Map(), unknown: `field ${name} is not a field call`, origin };
  }
  const path = deconstructedPath(importedPath(value.callee, context.imports));
  const kwargs = new Map(value.kwargs.map((k) => [k.name, k.value] as const));
  if (hasStarArguments(value))
    return { name, path, args: value.args, kwargs, unknown: `field ${name} is called with *args or **kwargs`, origin };
  const opaque = value.args.find(containsOpaque) ?? value.kwargs.find((k) => containsOpaque(k.value))?.value;
  if (opaque) return { name, path, args: value.args, kwargs, unknown: `field ${name} has an argument only Python can evaluate`, origin };
  return { name, path, args: value.args, kwargs, origin };
}

/** Whether a value holds something read as source text only (a lambda, an operator...). */
function containsOpaque(value: PythonValue): boolean {
  switch (value.kind) {
    case 'opaque':
      return true;
    case 'list':
    case 'tuple':
    case 'set':
      return value.items.some(containsOpaque);
    case 'dict':
      return value.entries.some((e) => containsOpaque(e.key) || containsOpaque(e.value));
    case 'call':
      return value.args.some(containsOpaque) || value.kwargs.some((k) => containsOpaque(k.value));
    default:
      return false;
  }
}

/** `[(name, value), ...]` pairs (CreateModel's fields and managers); undefined when unreadable. */
export function namedPairs(value: PythonValue | undefined): { name: string; value: PythonValue }[] | undefined {
  if (!value) return [];
  if (value.kind === 'constant' && value.value === null) return [];
  if (value.kind !== 'list' && value.kind !== 'tuple') return undefined;
  const pairs: { name: string; value: PythonValue }[] = [];
  for (const item of value.items) {
    if ((item.kind !== 'tuple' && item.kind !== 'list') || item.items.length !== 2 || item.items[0].kind !== 'str') {
      return undefined;
    }
    pairs.push({ name: item.items[0].value, value: item.items[1] });
  }
  return pairs;
}

export function readManagers(value: PythonValue | undefined): ManagerState[] | undefined {
  return namedPairs(value)?.map((pair) => ({ name: pair.name, value: pair.value }));
}

/** A dict with string keys as option entries; undefined when it cannot be read. */
export function readOptions(value: PythonValue | undefined): [string, PythonValue][] | undefined {
  if (!value || (value.kind === 'constant' && value.value === null)) return [];
  if (value.kind !== 'dict') return undefined;
  const entries: [string, PythonValue][] = [];
  for (const entry of value.entries) {
    if (entry.key.kind !== 'str') return undefined;
    entries.push([entry.key.value, entry.value]);
  }
  return entries;
}

/**
 * Django's `normalize_together`, then `set(...)` as AlterUniqueTogether/AlterIndexTogether store
 * it: a flat tuple of names is one group; duplicates go. A falsy value is kept as given.
 */
export function normalizeTogether(value: PythonValue): PythonValue {
  if (value.kind !== 'list' && value.kind !== 'tuple' && value.kind !== 'set') return value;
  if (value.items.length === 0) return value;
  const first = value.items[0];
  const nested = value.kind === 'set' || first.kind === 'tuple' || first.kind === 'list';
  const groups = nested ? value.items : [value];
  const seen = new Set<string>();
  const items: PythonValue[] = [];
  for (const group of groups) {
    const members = group.kind === 'tuple' || group.kind === 'list' ? group.items : [group];
    const key = JSON.stringify(members.map((m) => (m.kind === 'str' ? m.value : m.kind)));
    if (seen.has(key)) continue;
    seen.add(key);
    items.push(tupleValue(members, group.range));
  }
  return { kind: 'set', items, range: value.range };
}

/** Records what Django would raise when an operation names a model or field that is not there. */
export function reportMissing(state: ProjectState, context: StateContext, call: PythonCall, message: string): void {
  state.problems.push({ migration: context.migration, operationIndex: context.operationIndex, range: call.range, message });
}

/**
 * An operation that could not be read: the model it names becomes unknown, or, when not even
 * the model can be told, every model of the app.
 */
export function markUnknown(state: ProjectState, context: StateContext, modelName: string | undefined, reason: string): void {
  const model = modelName === undefined ? undefined : state.mutableModel(context.appLabel, modelName);
  if (model) model.unknown.push(`${reason} (${context.migration})`);
  else state.unknownApps.add(context.appLabel);
}
