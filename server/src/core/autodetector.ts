import { Deconstructed, deconstructedEqual, deconstructedRepr, hasUnknown } from './deconstructed';
import { djangoAtLeast, parseDjangoVersion } from './djangoVersion';
import { builtInFieldClass, deconstructField, DeconstructedField, RelationContext } from './fieldDeconstruct';
import { optimize, OptimizerField } from './optimizer';
import { PythonValue } from './pythonValue';
import { FieldState, ModelState, ProjectState } from './state';
import { fromWrittenValue } from './writtenValue';

/** One operation Django's MigrationAutodetector would generate, with what locates it in models.py. */
export interface DetectedOperation {
  /** Django's operation class: `AddField`, `CreateModel`, ... */
  readonly type: string;
  /** Django's `describe()`. */
  readonly description: string;
  /** Django's `migration_name_fragment`. */
  readonly fragment: string;
  readonly app: string;
  /** The model's name as the models write it. */
  readonly model: string;
  readonly field?: string;
  /** The Meta option the operation comes from (`ordering`, `unique_together`, `indexes`...). */
  readonly option?: string;
  /** A field or model that disappears while an identical one appears: Django asks about a rename. */
  readonly renameOf?: string;
  /** An added field that is neither nullable nor has a default: makemigrations stops and asks. */
  readonly needsDefault?: boolean;
  /** What the optimizer reads: a CreateModel's fields, the models a field or bases point at. */
  readonly fields?: readonly OptimizerField[];
  readonly relations?: readonly string[];
  readonly proxy?: boolean;
  /** The index or constraint an index operation names. */
  readonly index?: string;
}

/** The migration `makemigrations APP` would write for one app. */
export interface DetectedMigration {
  readonly app: string;
  readonly operations: readonly DetectedOperation[];
  /** `0004_book_isbn`; `auto_…` names carry the timestamp Django would use now. */
  readonly name: string;
}

export interface AutodetectorOptions {
  /** Apps to look at (`makemigrations APP...`). */
  readonly apps: ReadonlySet<string>;
  /** Values of swappable settings: `AUTH_USER_MODEL` -> `auth.User`. */
  readonly swappable: ReadonlyMap<string, string>;
  /** Per model key: names of class attributes on the models that may be fields we could not read. */
  readonly unknownFields?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Apps where a model may exist that the models reading missed. */
  readonly incompleteApps?: ReadonlySet<string>;
  /** The leaf migration name of each app that has migrations. */
  readonly leaves: ReadonlyMap<string, string>;
  /** `3.2` or later: how `Migration.suggest_name()` names a migration of several operations. */
  readonly djangoVersion?: string;
  /** Now, for `auto_YYYYMMDD_HHMM` names. */
  readonly now?: Date;
  /** The zone Django's `timezone.now()` reads the clock in: `UTC` with USE_TZ, else TIME_ZONE. */
  readonly timeZone?: string;
}

const ALTER_OPTION_KEYS = [
  'base_manager_name',
  'default_manager_name',
  'default_related_name',
  'get_latest_by',
  'managed',
  'ordering',
  'permissions',
  'default_permissions',
  'select_on_save',
  'verbose_name',
  'verbose_name_plural',
];
const EMPTY_STRINGS_NOT_ALLOWED = new Set([
  'AutoField',
  'BigAutoField',
  'SmallAutoField',
  'IntegerField',
  'BigIntegerField',
  'SmallIntegerField',
  'PositiveIntegerField',
  'PositiveSmallIntegerField',
  'PositiveBigIntegerField',
  'BooleanField',
  'NullBooleanField',
  'DateField',
  'DateTimeField',
  'TimeField',
  'DecimalField',
  'FloatField',
  'DurationField',
  'UUIDField',
  'GenericIPAddressField',
  'IPAddressField',
  'ForeignKey',
  'OneToOneField',
  'JSONField',
]);

type Outcome = 'equal' | 'different' | 'unknown';

/**
 * Field states are immutable and shared between the states of successive keystrokes: what they
 * deconstruct to, and how two compare, is remembered (per swappable settings, which the
 * deconstruction depends on).
 */
const DECONSTRUCTED = new WeakMap<ReadonlyMap<string, string>, WeakMap<FieldState, DeconstructedField>>();
const COMPARED = new WeakMap<FieldState, WeakMap<FieldState, Outcome>>();

/**
 * Django's MigrationAutodetector (django/db/migrations/autodetector.py) run non-interactively:
 * the differences between the state the migrations leave (`from`) and the models (`to`), as the
 * operations Django generates, in its order, named as `makemigrations` names the migration.
 * Whatever either side could not read is left out: unknown never becomes a change.
 */
export class MigrationAutodetector {
  private readonly context: RelationContext;
  private readonly generated = new Map<string, DetectedOperation[]>();
  /** Each operation's intra-app dependencies, as Django's `_auto_deps`. */
  private readonly dependencies = new Map<DetectedOperation, Dependency[]>();

  constructor(
    private readonly from: ProjectState,
    private readonly to: ProjectState,
    private readonly options: AutodetectorOptions,
  ) {
    const swappableByLabel = new Map<string, string>();
    for (const [setting, label] of options.swappable) swappableByLabel.set(label.toLowerCase(), setting);
    this.context = {
      swappable: swappableByLabel,
      relationLabel: (value) => {
        if (value.kind === 'str') return value.value;
        if (value.kind === 'ref' && value.path.startsWith('settings.')) return options.swappable.get(value.path.slice('settings.'.length));
        return undefined;
      },
    };
  }

  changes(): DetectedMigration[] {
    const keys = (state: ProjectState) =>
      [...state.models.values()].filter((m) => this.options.apps.has(m.appLabel) && !state.unknownApps.has(m.appLabel));
    const oldModels = keys(this.from);
    const newModels = keys(this.to);
    const kind = (m: ModelState) => (isTrue(m.options.get('proxy')) ? 'proxy' : isFalse(m.options.get('managed')) ? 'unmanaged' : 'model');
    const oldKeys = new Map(oldModels.map((m) => [m.key, m]));
    const newKeys = new Map(newModels.map((m) => [m.key, m]));
    const added = newModels.filter((m) => !oldKeys.has(m.key) && !m.isUnknown && !this.from.unknownApps.has(m.appLabel));
    const removed = oldModels.filter((m) => !newKeys.has(m.key) && !this.options.incompleteApps?.has(m.appLabel) && !m.isUnknown);
    const kept = newModels
      .filter((m) => oldKeys.has(m.key))
      .map((m) => ({ old: oldKeys.get(m.key)!, new: m }))
      .filter(({ old, new: model }) => !old.isUnknown && !model.isUnknown)
      .sort((a, b) => compareKeys(a.new.key, b.new.key));
    const keptConcrete = kept.filter(({ old, new: model }) => kind(old) === 'model' && kind(model) === 'model');

    // generate_deleted_models, generate_created_models (managed first, then unmanaged), proxies.
    for (const model of sortByKey(removed.filter((m) => kind(m) !== 'proxy'))) this.deleteModel(model);
    // sorted(key=swappable_first_key, reverse=True), each put first: unmanaged, then managed, ascending.
    const createdConcrete = [
      ...this.swappableFirst(added.filter((m) => kind(m) === 'model')).reverse(),
      ...this.swappableFirst(added.filter((m) => kind(m) === 'unmanaged')).reverse(),
    ];
    for (const model of createdConcrete) this.createModel(model, removed);
    for (const model of sortByKey(removed.filter((m) => kind(m) === 'proxy'))) this.deleteModel(model);
    for (const model of sortByKey(added.filter((m) => kind(m) === 'proxy'))) this.createModel(model, []);

    for (const pair of kept) this.alteredOptions(pair.old, pair.new);
    for (const pair of kept) this.alteredManagers(pair.old, pair.new);
    const indexChanges = keptConcrete.map((pair) => ({
      ...pair,
      indexes: this.listDiff(pair.old, pair.new, 'indexes'),
      constraints: this.listDiff(pair.old, pair.new, 'constraints'),
    }));
    for (const { new: model, constraints } of indexChanges) {
      for (const name of constraints.removed)
        this.add(
          model,
          'RemoveConstraint',
          `Remove constraint ${name} from model ${model.nameLower}`,
          `remove_${model.nameLower}_${name.toLowerCase()}`,
          { option: 'constraints', index: name },
        );
    }
    for (const { new: model, indexes } of indexChanges) {
      for (const name of indexes.removed)
        this.add(model, 'RemoveIndex', `Remove index ${name} from ${model.nameLower}`, `remove_${model.nameLower}_${name.toLowerCase()}`, {
          option: 'indexes',
          index: name,
        });
    }
    this.fields(keptConcrete);
    for (const pair of keptConcrete) this.alteredOrderWithRespectTo(pair.old, pair.new);
    for (const option of ['unique_together', 'index_together']) {
      for (const pair of keptConcrete) this.alteredTogether(pair.old, pair.new, option);
    }
    for (const { new: model, indexes } of indexChanges) {
      for (const index of indexes.added)
        this.add(model, 'AddIndex', indexDescription(index, model), `${model.nameLower}_${(callName(index) ?? '').toLowerCase()}`, {
          option: 'indexes',
          index: callName(index),
        });
    }
    for (const { new: model, constraints } of indexChanges) {
      for (const constraint of constraints.added) {
        const name = callName(constraint) ?? '';
        this.add(
          model,
          'AddConstraint',
          `Create constraint ${name} on model ${model.nameLower}`,
          `${model.nameLower}_${name.toLowerCase()}`,
          { option: 'constraints', index: name },
        );
      }
    }
    for (const pair of kept) this.alteredDbTable(pair.old, pair.new);

    // _sort_migrations, then _optimize_migrations with the optimizer of the project's Django.
    const version = parseDjangoVersion(this.options.djangoVersion ?? '3.2') ?? { major: 3, minor: 2 };
    const migrations: DetectedMigration[] = [];
    for (const app of [...this.generated.keys()].sort()) {
      const generated = this.generated.get(app)!;
      // 5.0 sorts with graphlib's TopologicalSorter, 3.2 and 4.x with stable_topological_sort().
      const sorted = djangoAtLeast(version, 5, 0)
        ? staticOrder(generated, this.dependencies)
        : stableTopologicalSort(generated, this.dependencies);
      const operations = optimize(sorted, app, version);
      migrations.push({ app, operations, name: this.migrationName(app, operations) });
    }
    return migrations;
  }

  /** Django's add_operation(); `beginning` puts it first, as generate_created_models does. */
  private add(
    model: ModelState,
    type: string,
    description: string,
    fragment: string,
    extra: Partial<DetectedOperation> = {},
    dependencies: Dependency[] = [],
    beginning = false,
  ): void {
    const list = this.generated.get(model.appLabel) ?? [];
    const operation: DetectedOperation = { type, description, fragment, app: model.appLabel, model: model.name, ...extra };
    if (beginning) list.unshift(operation);
    else list.push(operation);
    this.dependencies.set(operation, dependencies);
    this.generated.set(model.appLabel, list);
  }

  /** The model of the same app a relation field points at (`created` dependency of AddField, CreateModel). */
  private relationDependencies(model: ModelState, field: FieldState | undefined): Dependency[] {
    if (!field) return [];
    const prefix = `${model.appLabel.toLowerCase()}.`;
    return this.relationKeys(model, field)
      .filter((key) => key.startsWith(prefix))
      .map((key) => ({ model: key.slice(prefix.length), kind: 'created' }));
  }

  private deconstruct(field: FieldState): DeconstructedField {
    let memo = DECONSTRUCTED.get(this.options.swappable);
    if (!memo) DECONSTRUCTED.set(this.options.swappable, (memo = new WeakMap()));
    let found = memo.get(field);
    if (!found) memo.set(field, (found = this.deconstructNow(field)));
    return found;
  }

  private deconstructNow(field: FieldState): DeconstructedField {
    return deconstructField(
      {
        path: field.path,
        args: field.args.map(fromWrittenValue),
        kwargs: [...field.kwargs].map(([k, v]) => [k, fromWrittenValue(v)] as const),
      },
      this.context,
    );
  }

  /** Fields compared as deep_deconstruct() compares them. */
  compareFields(a: FieldState, b: FieldState): Outcome {
    if (a.unknown || b.unknown) return 'unknown';
    let memo = COMPARED.get(a);
    if (!memo) COMPARED.set(a, (memo = new WeakMap()));
    let outcome = memo.get(b);
    if (!outcome) memo.set(b, (outcome = this.compareNow(a, b)));
    return outcome;
  }

  private compareNow(a: FieldState, b: FieldState): Outcome {
    const x = this.deconstruct(a);
    const y = this.deconstruct(b);
    if (x.unknown || y.unknown) return 'unknown';
    return fieldsEqual(x, y) ? 'equal' : 'different';
  }

  private deleteModel(model: ModelState): void {
    // It waits for the removal or alteration of every field of its app that points at it.
    const dependencies: Dependency[] = [];
    for (const other of this.from.appModels(model.appLabel)) {
      for (const field of other.fields.values()) {
        if (this.relationDependencies(other, field).some((d) => d.model === model.nameLower)) {
          dependencies.push(
            { model: other.nameLower, field: field.name, kind: 'removed' },
            { model: other.nameLower, field: field.name, kind: 'altered' },
          );
        }
      }
    }
    this.add(model, 'DeleteModel', `Delete model ${model.name}`, `delete_${model.nameLower}`, {}, dependencies);
  }

  /**
   * generate_created_models(): the CreateModel without its relations, each relation an AddField
   * after it, then the indexes, constraints and *_together that may need them; the optimizer folds
   * back whatever nothing in between stops (circular relations stay AddFields, as in Django).
   */
  private createModel(model: ModelState, removed: readonly ModelState[]): void {
    const proxy = isTrue(model.options.get('proxy'));
    // generate_renamed_models: an identical model that disappears is a rename Django asks about.
    const fields = [...model.fields.values()];
    const renameOf = proxy
      ? undefined
      : removed.find((old) => old.appLabel === model.appLabel && sameFieldsIgnoringRelations(this, [...old.fields.values()], fields))?.name;
    const bases: Dependency[] = model.bases
      .filter((base) => base.kind === 'str' && base.value.split('.')[0] === model.appLabel)
      .map((base) => ({ model: (base as { value: string }).value.split('.')[1].toLowerCase(), kind: 'created' }));
    const related = proxy ? [] : fields.filter((field) => this.isRelated(field)).sort((a, b) => compareKeys(a.name, b.name));
    const baseKeys = model.bases.flatMap((base) => (base.kind === 'str' && base.value.includes('.') ? [base.value.toLowerCase()] : []));
    this.add(
      model,
      'CreateModel',
      `Create ${proxy ? 'proxy ' : ''}model ${model.name}`,
      model.nameLower,
      {
        ...(renameOf ? { renameOf } : {}),
        fields: fields
          .filter((field) => !related.includes(field))
          .map((field) => ({ name: field.name, relations: this.relationKeys(model, field) })),
        relations: baseKeys,
        ...(proxy ? { proxy } : {}),
      },
      bases,
      !proxy,
    );
    if (proxy || isFalse(model.options.get('managed'))) return;
    const created: Dependency = { model: model.nameLower, kind: 'created' };
    for (const field of related) this.addField(model, field.name, undefined, [created]);
    const orderWithRespectTo = this.option(model, 'order_with_respect_to');
    if (orderWithRespectTo?.kind === 'str')
      this.add(
        model,
        'AlterOrderWithRespectTo',
        `Set order_with_respect_to on ${model.nameLower} to ${orderWithRespectTo.value}`,
        `alter_${model.nameLower}_order_with_respect_to`,
        { option: 'order_with_respect_to' },
        [{ model: model.nameLower, field: orderWithRespectTo.value, kind: 'created' }, created],
      );
    const relatedDependencies: Dependency[] = [
      ...related.map((field) => ({ model: model.nameLower, field: field.name, kind: 'created' as const })),
      created,
    ];
    for (const index of listItems(model.options.get('indexes'))) {
      this.add(
        model,
        'AddIndex',
        indexDescription(index, model),
        `${model.nameLower}_${(callName(index) ?? '').toLowerCase()}`,
        { option: 'indexes', index: callName(index) },
        relatedDependencies,
      );
    }
    for (const constraint of listItems(model.options.get('constraints'))) {
      const name = callName(constraint) ?? '';
      this.add(
        model,
        'AddConstraint',
        `Create constraint ${name} on model ${model.nameLower}`,
        `${model.nameLower}_${name.toLowerCase()}`,
        { option: 'constraints', index: name },
        relatedDependencies,
      );
    }
    for (const option of ['unique_together', 'index_together']) {
      const together = normalizeTogether(this.option(model, option));
      if (together.kind !== 'set' || together.items.length === 0) continue;
      this.add(
        model,
        option === 'unique_together' ? 'AlterUniqueTogether' : 'AlterIndexTogether',
        `Alter ${option} for ${model.nameLower} (${together.items.length} constraint(s))`,
        `alter_${model.nameLower}_${option}`,
        { option },
        relatedDependencies,
      );
    }
  }

  /** A relation Django creates with an AddField of its own: not a primary key, not a parent link. */
  private isRelated(field: FieldState): boolean {
    if (field.unknown) return false;
    const found = this.deconstruct(field);
    if (found.unknown) return false;
    const kwargs = new Map(found.kwargs);
    if (!kwargs.has('to')) return false;
    return isManyToMany(field) || !(isTrueValue(kwargs.get('primary_key')) || isTrueValue(kwargs.get('parent_link')));
  }

  /** The models a field points at (`to`, `through`), as lowercase `app_label.model_name`. */
  private relationKeys(model: ModelState, field: FieldState): string[] {
    if (field.unknown) return [];
    const keys: string[] = [];
    for (const [name, value] of this.deconstruct(field).kwargs) {
      if (name !== 'to' && name !== 'through') continue;
      const label = value.kind === 'str' || value.kind === 'setting' ? value.value : undefined;
      if (label) keys.push((label.includes('.') ? label : `${model.appLabel}.${label}`).toLowerCase());
    }
    return keys;
  }

  /** swappable_first_key(): models a swappable setting names sort first. */
  private swappableFirst(models: readonly ModelState[]): ModelState[] {
    const key = (m: ModelState) => (this.context.swappable.has(`${m.appLabel}.${m.nameLower}`) ? `___${m.key}` : m.key);
    return [...models].sort((a, b) => compareKeys(key(a), key(b)));
  }

  private option(model: ModelState, name: string): Deconstructed | undefined {
    const value = model.options.get(name);
    return value === undefined ? undefined : fromWrittenValue(value);
  }

  private alteredOptions(old: ModelState, model: ModelState): void {
    let changed: string | undefined;
    for (const key of ALTER_OPTION_KEYS) {
      const a = this.option(old, key);
      const b = this.option(model, key);
      if ((a && hasUnknown(a)) || (b && hasUnknown(b))) return;
      if ((a === undefined) !== (b === undefined) || (a && b && !deconstructedEqual(a, b))) changed ??= key;
    }
    if (changed)
      this.add(model, 'AlterModelOptions', `Change Meta options on ${model.nameLower}`, `alter_${model.nameLower}_options`, {
        option: changed,
      });
  }

  private alteredManagers(old: ModelState, model: ModelState): void {
    const a = old.managers.map((m) => [m.name, fromWrittenValue(m.value)] as const);
    const b = model.managers.map((m) => [m.name, fromWrittenValue(m.value)] as const);
    if ([...a, ...b].some(([, v]) => hasUnknown(v))) return;
    const equal = a.length === b.length && a.every(([name, value], i) => name === b[i][0] && deconstructedEqual(value, b[i][1]));
    if (!equal) this.add(model, 'AlterModelManagers', `Change managers on ${model.nameLower}`, `alter_${model.nameLower}_managers`);
  }

  private listDiff(old: ModelState, model: ModelState, option: 'indexes' | 'constraints') {
    const a = listItems(old.options.get(option));
    const b = listItems(model.options.get(option));
    if ([...a, ...b].some(hasUnknown) || [...a, ...b].some((item) => callName(item) === undefined)) return { added: [], removed: [] };
    return {
      added: b.filter((item) => !a.some((other) => deconstructedEqual(item, other))),
      removed: a.filter((item) => !b.some((other) => deconstructedEqual(item, other))).map((item) => callName(item)!),
    };
  }

  /** generate_renamed_fields, generate_removed_fields, generate_added_fields, generate_altered_fields. */
  private fields(kept: readonly { old: ModelState; new: ModelState }[]): void {
    const removedFields: { model: ModelState; name: string }[] = [];
    const addedFields: { model: ModelState; name: string; renameOf?: string }[] = [];
    const altered: { model: ModelState; name: string; m2mSwitch: boolean }[] = [];
    for (const { old, new: model } of kept) {
      const unknownNames = this.options.unknownFields?.get(model.key) ?? new Set<string>();
      const removedHere = [...old.fields.keys()].filter((name) => !model.fields.has(name) && !unknownNames.has(name));
      for (const name of removedHere) removedFields.push({ model, name });
      for (const [name, field] of model.fields) {
        if (old.fields.has(name)) {
          const before = old.fields.get(name)!;
          const outcome = this.compareFields(before, field);
          if (outcome === 'different') altered.push({ model, name, m2mSwitch: isManyToMany(before) !== isManyToMany(field) });
        } else if (!field.unknown) {
          const renameOf = removedHere.find((gone) => this.compareFields(old.fields.get(gone)!, withName(field, gone)) === 'equal');
          addedFields.push({ model, name, ...(renameOf ? { renameOf } : {}) });
        }
      }
    }
    for (const { model, name } of sortFieldKeys(removedFields)) this.removeField(model, name);
    for (const { model, name, renameOf } of sortFieldKeys(addedFields)) this.addField(model, name, renameOf);
    for (const { model, name, m2mSwitch } of sortFieldKeys(altered)) {
      if (m2mSwitch) {
        this.removeField(model, name);
        this.addField(model, name);
      } else {
        this.add(
          model,
          'AlterField',
          `Alter field ${name} on ${model.nameLower}`,
          `alter_${model.nameLower}_${name.toLowerCase()}`,
          { field: name, relations: this.relationKeys(model, model.fields.get(name)!) },
          this.relationDependencies(model, model.fields.get(name)),
        );
      }
    }
  }

  private removeField(model: ModelState, name: string): void {
    this.add(model, 'RemoveField', `Remove field ${name} from ${model.nameLower}`, `remove_${model.nameLower}_${name.toLowerCase()}`, {
      field: name,
    });
  }

  private addField(model: ModelState, name: string, renameOf?: string, dependencies: Dependency[] = []): void {
    const field = this.deconstruct(model.fields.get(name)!);
    this.add(
      model,
      'AddField',
      `Add field ${name} to ${model.nameLower}`,
      `${model.nameLower}_${name.toLowerCase()}`,
      {
        field: name,
        ...(renameOf ? { renameOf } : {}),
        ...(needsDefault(field) ? { needsDefault: true } : {}),
        relations: this.relationKeys(model, model.fields.get(name)!),
      },
      [...this.relationDependencies(model, model.fields.get(name)), ...dependencies],
    );
  }

  private alteredOrderWithRespectTo(old: ModelState, model: ModelState): void {
    const a = this.option(old, 'order_with_respect_to');
    const b = this.option(model, 'order_with_respect_to');
    if ((a && hasUnknown(a)) || (b && hasUnknown(b))) return;
    if (sameOptional(a, b)) return;
    const text = b ? (b.kind === 'str' ? b.value : deconstructedRepr(b)) : 'None';
    this.add(
      model,
      'AlterOrderWithRespectTo',
      `Set order_with_respect_to on ${model.nameLower} to ${text}`,
      `alter_${model.nameLower}_order_with_respect_to`,
      { option: 'order_with_respect_to' },
    );
  }

  private alteredTogether(old: ModelState, model: ModelState, option: string): void {
    const a = normalizeTogether(this.option(old, option));
    const b = normalizeTogether(this.option(model, option));
    if (hasUnknown(a) || hasUnknown(b)) return;
    if (deconstructedEqual(a, b)) return;
    const count = b.kind === 'set' ? b.items.length : 0;
    this.add(
      model,
      option === 'unique_together' ? 'AlterUniqueTogether' : 'AlterIndexTogether',
      `Alter ${option} for ${model.nameLower} (${count} constraint(s))`,
      `alter_${model.nameLower}_${option}`,
      { option },
    );
  }

  private alteredDbTable(old: ModelState, model: ModelState): void {
    const a = this.option(old, 'db_table');
    const b = this.option(model, 'db_table');
    if ((a && hasUnknown(a)) || (b && hasUnknown(b)) || sameOptional(a, b)) return;
    const table = b && b.kind === 'str' ? b.value : '(default)';
    this.add(model, 'AlterModelTable', `Rename table for ${model.nameLower} to ${table}`, `alter_${model.nameLower}_table`, {
      option: 'db_table',
    });
  }

  /** Migration.suggest_name() and arrange_for_graph(): `0004_book_isbn`. */
  private migrationName(app: string, operations: readonly DetectedOperation[]): string {
    const leaf = this.options.leaves.get(app);
    const number = leaf === undefined ? 1 : Number(/^\d+/.exec(leaf)?.[0] ?? '0') + 1;
    const prefix = String(number).padStart(4, '0');
    if (leaf === undefined) return `${prefix}_initial`;
    const now = this.options.now ?? new Date();
    return `${prefix}_${suggestName(operations, this.options.djangoVersion ?? '3.2', now, this.options.timeZone).slice(0, 100)}`;
  }
}

/** Django 3.2 and 4.x `Migration.suggest_name()` for a migration that is not initial. */
export function suggestName(operations: readonly DetectedOperation[], djangoVersion: string, now: Date, timeZone = 'UTC'): string {
  const auto = `auto_${migrationTimestamp(now, timeZone)}`;
  const fragments = operations.map((o) => o.fragment);
  if (Number.parseFloat(djangoVersion) < 4) {
    if (operations.length === 1) return fragments[0];
    if (operations.length > 1 && operations.every((o) => o.type === 'CreateModel')) return [...fragments].sort().join('_');
    return auto;
  }
  if (fragments.length === 0 || fragments.some((f) => !f)) return auto;
  let name = fragments[0];
  for (const fragment of fragments.slice(1)) {
    const longer = `${name}_${fragment}`;
    if (longer.length > 52) return `${name}_and_more`;
    name = longer;
  }
  return name;
}

/** Django's get_migration_name_timestamp(): `YYYYMMDD_HHMM` in the zone timezone.now() uses. */
export function migrationTimestamp(now: Date, timeZone: string): string {
  let parts: Record<string, string>;
  try {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  } catch {
    return migrationTimestamp(now, 'UTC');
  }
  return `${parts.year}${parts.month}${parts.day}_${parts.hour}${parts.minute}`;
}

/** What an operation waits for in its app: a model created, a field removed or altered. */
interface Dependency {
  readonly model: string;
  readonly field?: string;
  readonly kind: 'created' | 'removed' | 'altered';
}

/** Django's check_dependency(): whether `operation` is what `dependency` waits for. */
function satisfies(operation: DetectedOperation, dependency: Dependency): boolean {
  const model = operation.model.toLowerCase();
  if (model !== dependency.model) return false;
  switch (dependency.kind) {
    case 'created':
      return dependency.field === undefined
        ? operation.type === 'CreateModel'
        : (operation.type === 'CreateModel' && (operation.fields ?? []).some((f) => f.name === dependency.field)) ||
            (operation.type === 'AddField' && operation.field === dependency.field);
    case 'removed':
      return dependency.field === undefined
        ? operation.type === 'DeleteModel'
        : operation.type === 'RemoveField' && operation.field === dependency.field;
    case 'altered':
      return operation.type === 'AlterField' && operation.field === dependency.field;
  }
}

/** Django's _sort_migrations: stable_topological_sort() in layers of operations whose dependencies came before. */
function stableTopologicalSort(
  operations: readonly DetectedOperation[],
  dependencies: ReadonlyMap<DetectedOperation, Dependency[]>,
): DetectedOperation[] {
  let todo = new Map(
    operations.map((operation) => [
      operation,
      new Set(operations.filter((other) => other !== operation && (dependencies.get(operation) ?? []).some((d) => satisfies(other, d)))),
    ]),
  );
  const result: DetectedOperation[] = [];
  while (todo.size > 0) {
    const layer = new Set([...todo].filter(([, waits]) => waits.size === 0).map(([operation]) => operation));
    // A cycle: Django raises; keep the order rather than lose operations.
    if (layer.size === 0) return [...result, ...operations.filter((o) => todo.has(o))];
    result.push(...operations.filter((o) => layer.has(o)));
    todo = new Map(
      [...todo]
        .filter(([operation]) => !layer.has(operation))
        .map(([operation, waits]) => [operation, new Set([...waits].filter((w) => !layer.has(w)))]),
    );
  }
  return result;
}

/**
 * Python's `graphlib.TopologicalSorter` fed as Django 5's _sort_migrations feeds it, read with
 * `static_order()`: each operation added, then its predecessors; ready nodes in the order the
 * sorter first saw them, successors released in the order they were added.
 */
function staticOrder(
  operations: readonly DetectedOperation[],
  dependencies: ReadonlyMap<DetectedOperation, Dependency[]>,
): DetectedOperation[] {
  interface NodeInfo {
    predecessors: number;
    readonly successors: DetectedOperation[];
  }
  const nodes = new Map<DetectedOperation, NodeInfo>();
  const info = (operation: DetectedOperation) => {
    let found = nodes.get(operation);
    if (!found) nodes.set(operation, (found = { predecessors: 0, successors: [] }));
    return found;
  };
  for (const operation of operations) {
    info(operation);
    for (const dependency of dependencies.get(operation) ?? []) {
      const predecessors = operations.filter((other) => other !== operation && satisfies(other, dependency));
      info(operation).predecessors += predecessors.length;
      for (const predecessor of predecessors) info(predecessor).successors.push(operation);
    }
  }
  let ready = [...nodes].filter(([, node]) => node.predecessors === 0).map(([operation]) => operation);
  const result: DetectedOperation[] = [];
  while (ready.length > 0) {
    const group = ready;
    ready = [];
    result.push(...group);
    for (const operation of group) {
      for (const successor of nodes.get(operation)!.successors) {
        const node = nodes.get(successor)!;
        if (--node.predecessors === 0) ready.push(successor);
      }
    }
  }
  // A cycle: Django raises; keep the order rather than lose operations.
  return result.length === operations.length ? result : [...result, ...operations.filter((o) => !result.includes(o))];
}

function fieldsEqual(a: DeconstructedField, b: DeconstructedField): boolean {
  if (a.path !== b.path || a.args.length !== b.args.length) return false;
  if (!a.args.every((arg, i) => deconstructedEqual(arg, b.args[i]))) return false;
  if (a.kwargs.length !== b.kwargs.length) return false;
  return a.kwargs.every(([k, v]) => {
    const other = b.kwargs.find(([name]) => name === k);
    return other !== undefined && deconstructedEqual(v, other[1]);
  });
}

function withName(field: FieldState, name: string): FieldState {
  return { ...field, name };
}

/** only_relation_agnostic_fields(): fields compared without their `to`. */
function sameFieldsIgnoringRelations(detector: MigrationAutodetector, a: readonly FieldState[], b: readonly FieldState[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  const strip = (field: FieldState): FieldState => {
    const kwargs = new Map(field.kwargs);
    kwargs.delete('to');
    return { ...field, kwargs };
  };
  return a.every((field, i) => field.name === b[i].name && detector.compareFields(strip(field), strip(b[i])) === 'equal');
}

/** _generate_added_field(): whether `makemigrations` asks for a default for this new field. */
function needsDefault(field: DeconstructedField): boolean {
  if (field.unknown) return false;
  const kw = new Map(field.kwargs);
  const name = builtInFieldClass(field.path);
  if (!name) return false;
  if (isTrueValue(kw.get('null')) || kw.has('default') || name === 'ManyToManyField') return false;
  const blank = isTrueValue(kw.get('blank'));
  if (blank && !EMPTY_STRINGS_NOT_ALLOWED.has(name)) return false;
  if (
    (name === 'DateField' || name === 'DateTimeField' || name === 'TimeField') &&
    (isTrueValue(kw.get('auto_now')) || isTrueValue(kw.get('auto_now_add')))
  )
    return false;
  if (name.endsWith('AutoField')) return false;
  return true;
}

function isManyToMany(field: FieldState): boolean {
  return builtInFieldClass(field.path) === 'ManyToManyField';
}

function isTrueValue(value: Deconstructed | undefined): boolean {
  return value?.kind === 'constant' && value.value === true;
}

function isTrue(value: PythonValue | undefined): boolean {
  return value?.kind === 'constant' && value.value === true;
}

function isFalse(value: PythonValue | undefined): boolean {
  return value?.kind === 'constant' && value.value === false;
}

function sameOptional(a: Deconstructed | undefined, b: Deconstructed | undefined): boolean {
  const none = (v: Deconstructed | undefined) => v === undefined || (v.kind === 'constant' && v.value === null);
  if (none(a) || none(b)) return none(a) && none(b);
  return deconstructedEqual(a!, b!);
}

function normalizeTogether(value: Deconstructed | undefined): Deconstructed {
  if (!value || (value.kind !== 'list' && value.kind !== 'tuple' && value.kind !== 'set') || value.items.length === 0) {
    return value && hasUnknown(value) ? value : { kind: 'set', items: [] };
  }
  const first = value.items[0];
  const groups = first.kind === 'list' || first.kind === 'tuple' ? value.items : [value];
  return {
    kind: 'set',
    items: groups.map((g): Deconstructed => (g.kind === 'list' || g.kind === 'tuple' ? { kind: 'tuple', items: g.items } : g)),
  };
}

function listItems(value: PythonValue | undefined): Deconstructed[] {
  const read = value === undefined ? undefined : fromWrittenValue(value);
  return read && (read.kind === 'list' || read.kind === 'tuple') ? [...read.items] : [];
}

function callName(value: Deconstructed): string | undefined {
  if (value.kind !== 'call') return undefined;
  const name = value.kwargs.find(([k]) => k === 'name')?.[1];
  return name?.kind === 'str' ? name.value : undefined;
}

function indexDescription(index: Deconstructed, model: ModelState): string {
  const fields = index.kind === 'call' ? index.kwargs.find(([k]) => k === 'fields')?.[1] : undefined;
  const names =
    fields && (fields.kind === 'list' || fields.kind === 'tuple')
      ? fields.items.map((f) => (f.kind === 'str' ? f.value : deconstructedRepr(f)))
      : [];
  return `Create index ${callName(index) ?? ''} on field(s) ${names.join(', ')} of model ${model.nameLower}`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortByKey(models: readonly ModelState[]): ModelState[] {
  return [...models].sort((a, b) => compareKeys(a.key, b.key));
}

function sortFieldKeys<T extends { model: ModelState; name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareKeys(a.model.key, b.model.key) || compareKeys(a.name, b.name));
}
