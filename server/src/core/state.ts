import { MigrationKey } from './migration';
import { PythonValue } from './pythonValue';
import { SourceRange } from './sourceRange';

/**
 * Django's migration state (django/db/migrations/state.py): a ProjectState holding one
 * ModelState per model, as replaying operations leaves it. Values stay as the source wrote them
 * (core's PythonValue); nothing is evaluated or rendered into model classes.
 *
 * Model keys are Django's `(app_label, model_name_lower)`: lookups by model name are
 * case-insensitive, as Django lowercases them; a ModelState keeps its name as written.
 */

/** Where a piece of state was last written: the operation, in its migration file. */
export interface StateOrigin {
  readonly migration: MigrationKey;
  /** Index of the top-level operation in the migration's `operations`. */
  readonly operationIndex: number;
  /** The call that wrote it (for a field, the field's own call when there is one). */
  readonly range: SourceRange;
}

/**
 * A field as Django's `deconstruct()` describes it: `(path, args, kwargs)`. In a migration the
 * field call is written from that triple, so it is read back as written.
 */
export interface FieldState {
  readonly name: string;
  /** Import path of the field class, as deconstruct() gives it: `django.db.models.CharField`. */
  readonly path: string;
  readonly args: readonly PythonValue[];
  /** Keyword arguments in source order. */
  readonly kwargs: ReadonlyMap<string, PythonValue>;
  /**
   * Why the field could not be read statically (the value was not a call, a `**kwargs`...).
   * An unknown field is never compared: it neither differs from nor equals anything.
   */
  readonly unknown?: string;
  readonly origin?: StateOrigin;
}

/** One `(name, manager)` entry of a ModelState's managers: `('objects', models.Manager())`. */
export interface ManagerState {
  readonly name: string;
  readonly value: PythonValue;
}

/** Django's lowercased model key `app_label.model_name_lower` (labels have no dot). */
export type ModelKey = string;

export function modelKey(appLabel: string, modelName: string): ModelKey {
  return `${appLabel}.${modelName.toLowerCase()}`;
}

/**
 * Django's ModelState. `fields` and `options` keep Django's dict order. `options` always has
 * `indexes` and `constraints` (lists), as Django's constructor guarantees.
 */
export class ModelState {
  readonly appLabel: string;
  name: string;
  fields: Map<string, FieldState>;
  options: Map<string, PythonValue>;
  /** As written in CreateModel's `bases`: `'app.Model'` strings or dotted names; empty means `(models.Model,)`. */
  bases: PythonValue[];
  managers: ManagerState[];
  /**
   * Why this model's state is not fully known (an operation that could not be read statically
   * touched it). Empty when every operation on it was understood. Consumers must treat an
   * unknown model as "may differ in any way", never as a difference.
   */
  unknown: string[];
  /** The CreateModel (or RenameModel) operation that gave the model its current name. */
  origin?: StateOrigin;

  constructor(
    appLabel: string,
    name: string,
    fields: Iterable<FieldState> = [],
    options: Iterable<[string, PythonValue]> = [],
    bases: PythonValue[] = [],
    managers: ManagerState[] = [],
  ) {
    this.appLabel = appLabel;
    this.name = name;
    this.fields = new Map([...fields].map((field) => [field.name, field]));
    this.options = new Map(options);
    if (!this.options.has('indexes')) this.options.set('indexes', emptyList());
    if (!this.options.has('constraints')) this.options.set('constraints', emptyList());
    this.bases = bases;
    this.managers = managers;
    this.unknown = [];
  }

  get nameLower(): string {
    return this.name.toLowerCase();
  }

  get key(): ModelKey {
    return modelKey(this.appLabel, this.name);
  }

  get isUnknown(): boolean {
    return this.unknown.length > 0;
  }

  /** Django's ModelState.clone(): containers copied, field states shared (they are immutable). */
  clone(): ModelState {
    const copy = new ModelState(this.appLabel, this.name, [], this.options, [...this.bases], [...this.managers]);
    copy.fields = new Map(this.fields);
    copy.unknown = [...this.unknown];
    copy.origin = this.origin;
    return copy;
  }

  getField(name: string): FieldState | undefined {
    return this.fields.get(name);
  }

  /** Django's get_index_by_name / get_constraint_by_name: the `name=` of an index or constraint call. */
  getIndexByName(name: string): PythonValue | undefined {
    return optionItems(this.options.get('indexes')).find((index) => callName(index) === name);
  }

  getConstraintByName(name: string): PythonValue | undefined {
    return optionItems(this.options.get('constraints')).find((constraint) => callName(constraint) === name);
  }
}

/** Items of a list or tuple option value (indexes, constraints, ...). */
export function optionItems(value: PythonValue | undefined): readonly PythonValue[] {
  return value && (value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set') ? value.items : [];
}

/** The `name=` keyword of an Index or constraint call. */
export function callName(value: PythonValue): string | undefined {
  if (value.kind !== 'call') return undefined;
  const name = value.kwargs.find((k) => k.name === 'name')?.value;
  return name?.kind === 'str' ? name.value : undefined;
}

const NOWHERE: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function emptyList(): PythonValue {
  return { kind: 'list', items: [], range: NOWHERE };
}

/** Something Django would have raised while replaying (a model or field that is not there). */
export interface StateProblem {
  readonly migration: MigrationKey;
  readonly operationIndex: number;
  readonly range: SourceRange;
  readonly message: string;
}

/**
 * Django's ProjectState: every model of every migrated app, by lowercased key, in the order
 * they were added. Copy-on-write: `clone()` is cheap (one Map copy) and a ModelState is copied
 * the first time a clone changes it, so states kept for many migrations share what is equal.
 */
export class ProjectState {
  readonly models: Map<ModelKey, ModelState>;
  /** Models this state may change in place; the rest are shared with other states. */
  private readonly owned: Set<ModelState>;
  /**
   * Apps where an operation that could not be read at all ran (a custom operation with no model
   * argument): any of their models may differ from what this state says.
   */
  readonly unknownApps: Set<string>;
  readonly problems: StateProblem[];

  constructor(models: Iterable<ModelState> = []) {
    this.models = new Map();
    this.owned = new Set();
    this.unknownApps = new Set();
    this.problems = [];
    for (const model of models) this.addModel(model);
  }

  /** Django: add_model. Replaces a model with the same key, keeping its place as a dict does. */
  addModel(model: ModelState): void {
    this.models.set(model.key, model);
    this.owned.add(model);
  }

  /** Django: remove_model. */
  removeModel(appLabel: string, modelName: string): ModelState | undefined {
    const key = modelKey(appLabel, modelName);
    const model = this.models.get(key);
    this.models.delete(key);
    return model;
  }

  /** The model `(app_label, name)`, case-insensitively; read-only unless taken with `mutableModel`. */
  getModel(appLabel: string, modelName: string): ModelState | undefined {
    return this.models.get(modelKey(appLabel, modelName));
  }

  /** The model ready to be changed in place (copied first if another state shares it). */
  mutableModel(appLabel: string, modelName: string): ModelState | undefined {
    const key = modelKey(appLabel, modelName);
    const model = this.models.get(key);
    if (!model || this.owned.has(model)) return model;
    const copy = model.clone();
    this.models.set(key, copy);
    this.owned.add(copy);
    return copy;
  }

  /** Every model of one app, in state order. */
  appModels(appLabel: string): ModelState[] {
    return [...this.models.values()].filter((model) => model.appLabel === appLabel);
  }

  /** Django: ProjectState.clone(); O(number of models), sharing every ModelState until changed. */
  clone(): ProjectState {
    const copy = new ProjectState();
    for (const [key, model] of this.models) copy.models.set(key, model);
    for (const app of this.unknownApps) copy.unknownApps.add(app);
    copy.problems.push(...this.problems);
    return copy;
  }

  /** Whether what this state says about a model can be trusted. */
  isModelKnown(appLabel: string, modelName: string): boolean {
    if (this.unknownApps.has(appLabel)) return false;
    const model = this.getModel(appLabel, modelName);
    return model !== undefined && !model.isUnknown;
  }
}
