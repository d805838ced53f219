import { MigrationKey } from './migration';
import { PythonValue } from './pythonValue';
import { getReferences, relationKind, relationNames, withRelationNames, withRelationTarget } from './relations';
import { SourceRange } from './sourceRange';
import { listValue, NOWHERE, stringItems, stringKeyword, strValue, withFieldKeyword, withKeyword, withoutDefault } from './stateValues';

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
  /** The CreateModel that made the model (and its table); kept across renames. */
  created?: StateOrigin;

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
    copy.created = this.created;
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

function emptyList(): PythonValue {
  return listValue([], NOWHERE);
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
  /** Values of swappable settings (`AUTH_USER_MODEL` -> `auth.User`), to follow `settings.X` relations. */
  readonly swappableSettings: ReadonlyMap<string, string>;

  constructor(models: Iterable<ModelState> = [], swappableSettings: ReadonlyMap<string, string> = new Map()) {
    this.swappableSettings = swappableSettings;
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
    const copy = new ProjectState([], this.swappableSettings);
    for (const [key, model] of this.models) copy.models.set(key, model);
    for (const app of this.unknownApps) copy.unknownApps.add(app);
    copy.problems.push(...this.problems);
    return copy;
  }

  /**
   * Django: rename_model. The renamed model takes the new key (at the end, as a dict
   * assignment does), every field pointing at the old model (`to` or `through`) is repointed to
   * `'app_label.NewName'`, then the old key is removed.
   */
  renameModel(appLabel: string, oldName: string, newName: string, origin?: StateOrigin): boolean {
    const old = this.getModel(appLabel, oldName);
    if (!old) return false;
    const renamed = old.clone();
    renamed.name = newName;
    if (origin) renamed.origin = origin;
    this.models.set(renamed.key, renamed);
    this.owned.add(renamed);
    const newRemoteModel = `${appLabel}.${newName}`;
    for (const { model, name, field, reference } of getReferences(this, [appLabel, oldName.toLowerCase()])) {
      let changed: FieldState = field;
      if (reference.to) changed = withRelationTarget(changed, 'to', newRemoteModel);
      if (reference.through) changed = withRelationTarget(changed, 'through', newRemoteModel);
      if (changed !== field) this.mutableModel(model.appLabel, model.name)!.fields.set(name, changed);
    }
    // As in Django, even when only the case changes (the new key is the old one).
    this.removeModel(appLabel, oldName);
    return true;
  }

  /**
   * Django: alter_model_options. Merges `options` over the model's; with `optionKeys`, each of
   * those keys that `options` does not set is removed (AlterModelOptions' ALTER_OPTION_KEYS).
   */
  alterModelOptions(
    appLabel: string,
    modelName: string,
    options: Iterable<[string, PythonValue]>,
    optionKeys: readonly string[] = [],
  ): boolean {
    const model = this.mutableModel(appLabel, modelName);
    if (!model) return false;
    const given = new Map(options);
    for (const [key, value] of given) model.options.set(key, value);
    for (const key of optionKeys) if (!given.has(key)) model.options.delete(key);
    return true;
  }

  /** Django: alter_model_managers. */
  alterModelManagers(appLabel: string, modelName: string, managers: ManagerState[]): boolean {
    const model = this.mutableModel(appLabel, modelName);
    if (!model) return false;
    model.managers = [...managers];
    return true;
  }

  /** Django: add_index / add_constraint (`_append_option`). */
  appendOption(appLabel: string, modelName: string, optionName: 'indexes' | 'constraints', value: PythonValue): boolean {
    const model = this.mutableModel(appLabel, modelName);
    if (!model) return false;
    const items = optionItems(model.options.get(optionName));
    model.options.set(optionName, listValue([...items, value], value.range));
    return true;
  }

  /** Django: remove_index / remove_constraint (`_remove_option`): every item with that name goes. */
  removeOption(appLabel: string, modelName: string, optionName: 'indexes' | 'constraints', name: string): boolean {
    const model = this.mutableModel(appLabel, modelName);
    if (!model) return false;
    const current = model.options.get(optionName);
    const kept = optionItems(current).filter((item) => callName(item) !== name);
    model.options.set(optionName, listValue(kept, current?.range ?? NOWHERE));
    return true;
  }

  /** Django: alter_constraint (`_alter_option`): the item with that name is replaced. */
  alterOption(appLabel: string, modelName: string, optionName: 'indexes' | 'constraints', name: string, value: PythonValue): boolean {
    const model = this.mutableModel(appLabel, modelName);
    if (!model) return false;
    const current = model.options.get(optionName);
    const items = optionItems(current).map((item) => (callName(item) === name ? value : item));
    model.options.set(optionName, listValue(items, current?.range ?? NOWHERE));
    return true;
  }

  /** Django: rename_index. The index keeps its place with its `name=` changed. */
  renameIndex(appLabel: string, modelName: string, oldIndexName: string, newIndexName: string, range: SourceRange): boolean {
    const model = this.mutableModel(appLabel, modelName);
    if (!model) return false;
    const current = model.options.get('indexes');
    const items = optionItems(current).map((item) =>
      item.kind === 'call' && callName(item) === oldIndexName ? withKeyword(item, 'name', strValue(newIndexName, range)) : item,
    );
    model.options.set('indexes', listValue(items, current?.range ?? NOWHERE));
    return true;
  }

  /** Django: remove_model_options. Drops the `index_together`-style entries equal to `value`. */
  removeModelOptions(appLabel: string, modelName: string, optionName: string, value: readonly string[]): boolean {
    const model = this.mutableModel(appLabel, modelName);
    if (!model) return false;
    const current = model.options.get(optionName);
    if (current && optionItems(current).length > 0) {
      const wanted = value.join('\u0000');
      const kept = optionItems(current).filter((item) => stringItems(item)?.join('\u0000') !== wanted);
      model.options.set(optionName, listValue(kept, current.range));
    }
    return true;
  }

  /** Django: add_field; without `preserveDefault` the state forgets the field's `default`. */
  addField(appLabel: string, modelName: string, field: FieldState, preserveDefault = true): boolean {
    const model = this.mutableModel(appLabel, modelName);
    if (!model) return false;
    model.fields.set(field.name, preserveDefault ? field : withoutDefault(field));
    return true;
  }

  /** Django: remove_field. */
  removeField(appLabel: string, modelName: string, name: string): boolean {
    const model = this.mutableModel(appLabel, modelName);
    if (!model || !model.fields.has(name)) return false;
    model.fields.delete(name);
    return true;
  }

  /** Django: alter_field. The field keeps its place (or is added at the end if it was missing). */
  alterField(appLabel: string, modelName: string, field: FieldState, preserveDefault = true): boolean {
    return this.addField(appLabel, modelName, field, preserveDefault);
  }

  /**
   * Django: rename_field. The field moves to the end under its new name (pop, then assign);
   * `from_fields` of the model's fields, `index_together`/`unique_together`, and the `to_field`
   * and `to_fields` of relations pointing at the field follow the new name.
   */
  renameField(appLabel: string, modelName: string, oldName: string, newName: string, range: SourceRange): boolean {
    const model = this.mutableModel(appLabel, modelName);
    const found = model?.fields.get(oldName);
    if (!model || !found) return false;
    model.fields.delete(oldName);
    model.fields.set(newName, { ...found, name: newName });
    const rename = (names: readonly (string | null)[]): (string | null)[] => names.map((n) => (n === oldName ? newName : n));
    for (const [name, field] of model.fields) {
      const fromFields = relationNames(field, 'from_fields');
      if (fromFields && fromFields.includes(oldName)) {
        model.fields.set(name, withRelationNames(field, 'from_fields', rename(fromFields), range));
      }
    }
    for (const option of ['index_together', 'unique_together']) {
      const value = model.options.get(option);
      if (!value) continue;
      const groups = optionItems(value).map((group) => {
        const names = stringItems(group);
        return names
          ? listValue(
              rename(names).map((n) => strValue(n ?? '', group.range)),
              group.range,
            )
          : group;
      });
      model.options.set(option, listValue(groups, value.range));
    }
    for (const reference of getReferences(this, [appLabel, modelName.toLowerCase()], [oldName, found])) {
      if (!reference.reference.to) continue;
      let changed = reference.field;
      if (stringKeyword(changed, 'to_field') === oldName) changed = withFieldKeyword(changed, 'to_field', strValue(newName, range));
      const toFields = reference.reference.to.toFields;
      if (toFields && relationKind(changed) === 'foreignObject') changed = withRelationNames(changed, 'to_fields', rename(toFields), range);
      if (changed !== reference.field) {
        this.mutableModel(reference.model.appLabel, reference.model.name)!.fields.set(reference.name, changed);
      }
    }
    return true;
  }

  /** Whether what this state says about a model can be trusted. */
  isModelKnown(appLabel: string, modelName: string): boolean {
    if (this.unknownApps.has(appLabel)) return false;
    const model = this.getModel(appLabel, modelName);
    return model !== undefined && !model.isUnknown;
  }
}
