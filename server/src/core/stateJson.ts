import { djangoAtLeast, DjangoVersion } from './djangoVersion';
import { ImportEntry, Migration, MigrationKey } from './migration';
import { deconstructedPath, importedPath } from './operations/stateArguments';
import { PythonValue } from './pythonValue';
import { relationArgument, relationKind } from './relations';
import { FieldState, ModelState, ProjectState } from './state';

/** The `state --json` document; its shape is documented in docs/state-json.md. */
export interface StateJson {
  models: Record<string, ModelJson>;
}

export interface ModelJson {
  app_label: string;
  name: string;
  fields: [string, ValueJson][];
  options: Record<string, ValueJson>;
  bases: ValueJson[];
  managers: [string, ValueJson][];
  /** Only ours: why the state of this model is not fully known. Absent when it is. */
  unknown?: string[];
}

export type ValueJson =
  | string
  | number
  | boolean
  | null
  | ValueJson[]
  | { dict: Record<string, ValueJson> }
  | { call: string; args: ValueJson[]; kwargs: Record<string, ValueJson> }
  | { name: string }
  | { opaque: string };

/** How names in a value are read: the imports of the migration that wrote it. */
type ImportsOf = (migration: MigrationKey | undefined) => readonly ImportEntry[];

/** The conventional migration imports, for values whose migration is not known. */
const MIGRATION_IMPORTS: readonly ImportEntry[] = [
  { module: 'django.db', names: ['migrations', 'models'], range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
];

/** The state document for the models of `apps` (every app when absent). */
export function stateJson(
  state: ProjectState,
  migrations: ReadonlyMap<MigrationKey, Migration>,
  apps?: ReadonlySet<string>,
  /** The Django whose deconstruct() to mirror; without it, 3.2's. */
  djangoVersion?: DjangoVersion,
): StateJson {
  const importsOf: ImportsOf = (key) => (key && migrations.get(key)?.parsed.imports) || MIGRATION_IMPORTS;
  const models: Record<string, ModelJson> = {};
  for (const [key, model] of state.models) {
    if (apps && !apps.has(model.appLabel)) continue;
    models[key] = modelJson(model, state, importsOf, djangoVersion);
  }
  return { models };
}

function modelJson(model: ModelState, state: ProjectState, importsOf: ImportsOf, djangoVersion?: DjangoVersion): ModelJson {
  const imports = importsOf(model.origin?.migration);
  const value = (v: PythonValue) => valueJson(v, imports, state.swappableSettings);
  const json: ModelJson = {
    app_label: model.appLabel,
    name: model.name,
    fields: [...model.fields].map(([name, field]) => [name, fieldJson(field, state, importsOf(field.origin?.migration), djangoVersion)]),
    options: Object.fromEntries([...model.options].map(([key, option]) => [key, value(optionAsDjangoHasIt(key, option, djangoVersion))])),
    bases: model.bases.length === 0 ? [{ name: 'django.db.models.Model' }] : model.bases.map(value),
    managers: model.managers.map((manager) => [manager.name, value(manager.value)]),
  };
  const unknown = [
    ...model.unknown,
    ...(state.unknownApps.has(model.appLabel) ? [`app ${model.appLabel} has operations that cannot be read`] : []),
  ];
  if (unknown.length > 0) json.unknown = unknown;
  return json;
}

/**
 * A field as deconstruct() gives it. Related fields bind `to` and `on_delete` as keywords, and a
 * ForeignKey's `to` is `app_label.model_name` lowercased, as ForeignObject.deconstruct() writes it;
 * a ManyToManyField's too from Django 4.0 (3.2 keeps the label as written).
 */
export function fieldJson(
  field: FieldState,
  state: ProjectState,
  imports: readonly ImportEntry[],
  djangoVersion?: DjangoVersion,
): ValueJson {
  if (field.unknown) return { opaque: field.unknown };
  const value = (v: PythonValue) => valueJson(v, imports, state.swappableSettings);
  const kind = relationKind(field);
  const kwargs: Record<string, ValueJson> = {};
  for (const [name, argument] of field.kwargs) kwargs[name] = value(argument);
  let args = field.args;
  if (kind) {
    const bound =
      kind === 'manyToMany' ? ['to'] : kind === 'foreignKey' ? ['to', 'on_delete'] : ['to', 'on_delete', 'from_fields', 'to_fields'];
    for (const name of bound) {
      const argument = relationArgument(field, name);
      if (argument) kwargs[name] = value(argument);
    }
    args = args.slice(bound.length);
    const to = kwargs.to;
    const lowered = kind !== 'manyToMany' || (djangoVersion !== undefined && djangoAtLeast(djangoVersion, 4, 0));
    if (lowered && typeof to === 'string') {
      const dot = to.indexOf('.');
      kwargs.to = dot < 0 ? to.toLowerCase() : `${to.slice(0, dot)}.${to.slice(dot + 1).toLowerCase()}`;
    }
  }
  return { call: field.path, args: args.map(value), kwargs };
}

/**
 * From Django 5.1 a CheckConstraint keeps its `check` argument as `condition`, and deconstruct()
 * writes it so; migrations written before still say `check`.
 */
function optionAsDjangoHasIt(key: string, option: PythonValue, djangoVersion: DjangoVersion | undefined): PythonValue {
  if (key !== 'constraints' || !djangoVersion || !djangoAtLeast(djangoVersion, 5, 1)) return option;
  if (option.kind !== 'list' && option.kind !== 'tuple') return option;
  const items = option.items.map((item) =>
    item.kind === 'call' && item.callee.endsWith('CheckConstraint')
      ? { ...item, kwargs: item.kwargs.map((k) => (k.name === 'check' ? { ...k, name: 'condition' } : k)) }
      : item,
  );
  return { ...option, items };
}

/** Django re-exports these from django.db.models; deconstruct-written paths name the module. */
const MODELS_SUBMODULES =
  /^django\.db\.models\.(deletion|indexes|constraints|query_utils|expressions|enums|manager|aggregates)\.([A-Za-z_]+)$/;

function canonicalName(path: string): string {
  const match = MODELS_SUBMODULES.exec(path);
  return match ? `django.db.models.${match[2]}` : deconstructedPath(path);
}

export function valueJson(value: PythonValue, imports: readonly ImportEntry[], swappable: ReadonlyMap<string, string>): ValueJson {
  const recurse = (v: PythonValue) => valueJson(v, imports, swappable);
  switch (value.kind) {
    case 'str':
      return value.value;
    case 'number':
      return value.value;
    case 'constant':
      return value.value;
    case 'list':
    case 'tuple':
      return value.items.map(recurse);
    case 'set':
      return value.items.map(recurse).sort((a, b) => compareText(sortedJson(a), sortedJson(b)));
    case 'dict':
      return {
        dict: Object.fromEntries(value.entries.map((e) => [e.key.kind === 'str' ? e.key.value : String(recurse(e.key)), recurse(e.value)])),
      };
    case 'name': {
      if (value.dotted.startsWith('settings.')) {
        const setting = swappable.get(value.dotted.slice('settings.'.length));
        if (setting !== undefined) return setting;
      }
      return { name: canonicalName(importedPath(value.dotted, imports)) };
    }
    case 'call':
      // `set()`: the empty set Django keeps for a cleared unique_together or index_together.
      if ((value.callee === 'set' || value.callee === 'frozenset') && value.args.length === 0) return [];
      const call = canonicalName(importedPath(value.callee, imports));
      if (call === 'django.db.models.Q')
        return qJson(
          value.args.map(recurse),
          value.kwargs.map((k) => [k.name, recurse(k.value)]),
        );
      return {
        call,
        args: value.args.map(recurse),
        kwargs: Object.fromEntries(value.kwargs.map((k) => [k.name, recurse(k.value)])),
      };
    case 'opaque':
      return { opaque: value.text };
  }
}

/**
 * Q as Django 3.2's Q.deconstruct() gives it: keyword lookups become `(lookup, value)` children
 * after the positional ones, sorted by lookup; only a non-default connector and negation stay
 * keywords.
 */
function qJson(args: ValueJson[], keywords: [string, ValueJson][]): ValueJson {
  const kwargs: Record<string, ValueJson> = {};
  const children = [...args];
  for (const [name, value] of [...keywords].sort(([a], [b]) => compareText(a, b))) {
    if (name === '_connector') {
      if (value !== 'AND') kwargs._connector = value;
    } else if (name === '_negated') {
      if (value === true) kwargs._negated = true;
    } else {
      children.push([name, value]);
    }
  }
  return { call: 'django.db.models.Q', args: children, kwargs };
}

/** JSON text with sorted keys, as Python's `json.dumps(sort_keys=True)` orders set items. */
function sortedJson(value: ValueJson): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => compareText(a, b))) : v,
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
