import { Deconstructed } from '../core/deconstructed';
import { builtInFieldClass } from '../core/fieldDeconstruct';
import { PythonValue } from '../core/pythonValue';
import { FILE_START, SourceRange } from '../core/sourceRange';
import { FieldState, ModelState, ProjectState } from '../core/state';
import { canonicalPath, toWrittenValue } from '../core/writtenValue';
import { ClassStatement } from '../python/modelsModuleParser';
import { LoadedModule, ModuleScope, Resolution } from './moduleScope';

/** What one module contributes to the models reading. */
export interface ModuleModels {
  readonly models: readonly { readonly state: ModelState; readonly source: ModelSource; readonly unknownFields: ReadonlySet<string> }[];
  readonly incompleteApps: readonly string[];
  readonly notes: readonly ModelsNote[];
}

/** The models of several modules as one reading. */
export function mergeModuleModels(parts: readonly ModuleModels[]): ModelsReading {
  const state = new ProjectState();
  const sources = new Map<string, ModelSource>();
  const unknownFields = new Map<string, ReadonlySet<string>>();
  const incompleteApps = new Set<string>();
  const notes: ModelsNote[] = [];
  for (const part of parts) {
    for (const { state: model, source, unknownFields: unknown } of part.models) {
      state.addModel(model);
      sources.set(model.key, source);
      unknownFields.set(model.key, unknown);
    }
    for (const app of part.incompleteApps) incompleteApps.add(app);
    notes.push(...part.notes);
  }
  return { state, sources, unknownFields, incompleteApps, notes };
}

/** An installed app whose models are read. */
export interface ModelsApp {
  readonly label: string;
  /** The app's module (`AppConfig.name`). */
  readonly name: string;
  /** `AppConfig.default_auto_field` when its config sets it; null when it is not a literal. */
  readonly defaultAutoField?: string | null;
}

export interface ModelsSettings {
  /** DEFAULT_AUTO_FIELD; undefined when not set (Django 3.2's default is AutoField), null when not literal. */
  readonly defaultAutoField?: string | null;
  /** USE_TZ, when set to a literal (Django before 5.0 defaults to False). */
  readonly useTz?: boolean;
  /** TIME_ZONE, when set to a literal string (Django's default is America/Chicago). */
  readonly timeZone?: string;
}

/** Where a model and its parts are written, for diagnostics. */
export interface ModelSource {
  readonly app: string;
  readonly name: string;
  readonly file: string;
  readonly nameRange: SourceRange;
  readonly range: SourceRange;
  /** Field declarations by field name (inherited fields point into their base class). */
  readonly fields: ReadonlyMap<string, FieldSource>;
  /** Meta options by name, where the model's own Meta (or an inherited one) sets them. */
  readonly options: ReadonlyMap<string, { readonly file: string; readonly range: SourceRange }>;
}

/** Where a field is declared. */
export interface FieldSource {
  readonly file: string;
  /** The assignment statement. */
  readonly range: SourceRange;
  /** Just before the field call's closing parenthesis; absent for fields Django creates. */
  readonly argumentsEnd?: SourceRange['end'];
  readonly hasArguments: boolean;
}

/** Something about the models that could only be known by running Python. */
export interface ModelsNote {
  readonly file: string;
  readonly range: SourceRange;
  readonly message: string;
  /** The file's parse ran past the time limit: a warning, as for every such file. */
  readonly overTimeLimit?: boolean;
}

/** The models of the installed apps as Django's `ProjectState.from_apps()` would hold them. */
export interface ModelsReading {
  readonly state: ProjectState;
  readonly sources: ReadonlyMap<string, ModelSource>;
  /** Per app: attribute names on its models that may be fields we could not read, by model key. */
  readonly unknownFields: ReadonlyMap<string, ReadonlySet<string>>;
  /** Apps where a model may exist that we could not read: a deleted model is not reported there. */
  readonly incompleteApps: ReadonlySet<string>;
  readonly notes: readonly ModelsNote[];
}

const MODEL = 'django.db.models.Model';
const MANAGER = 'django.db.models.Manager';
const OPTION_NAMES = new Set([
  'verbose_name',
  'verbose_name_plural',
  'db_table',
  'ordering',
  'unique_together',
  'permissions',
  'get_latest_by',
  'order_with_respect_to',
  'db_tablespace',
  'abstract',
  'managed',
  'proxy',
  'swappable',
  'auto_created',
  'index_together',
  'default_permissions',
  'select_on_save',
  'default_related_name',
  'required_db_features',
  'required_db_vendor',
  'base_manager_name',
  'default_manager_name',
  'indexes',
  'constraints',
]);

/** A class after Django's ModelBase has run on it. */
interface ModelClass {
  readonly path: string;
  readonly module: LoadedModule;
  readonly statement: ClassStatement;
  readonly abstract: boolean;
  /** Fields in `_meta.local_fields` order, with where each was declared. */
  readonly fields: readonly DeclaredField[];
  /** What the Meta Django uses holds, with inheritance applied. */
  readonly meta: ReadonlyMap<string, { readonly value: Deconstructed; readonly file: string; readonly range: SourceRange }>;
  readonly concreteParents: readonly ModelClass[];
  /** Direct bases that are models, in order. */
  readonly modelBases: readonly ModelClass[];
  readonly managers: readonly DeclaredManager[] | undefined;
  readonly unknownAttributes: ReadonlySet<string>;
  readonly unknown?: string;
}

interface DeclaredField {
  readonly name: string;
  readonly argumentsEnd?: SourceRange['end'];
  readonly path: string;
  readonly args: readonly Deconstructed[];
  readonly kwargs: readonly (readonly [string, Deconstructed])[];
  readonly file: string;
  readonly range: SourceRange;
  readonly autoCreated?: boolean;
  /** Its class comes from a package that was not read: what it deconstructs to is unknown. */
  readonly external?: boolean;
}

interface DeclaredManager {
  readonly name: string;
  readonly value: Deconstructed;
  readonly useInMigrations: boolean;
}

type Classified = { kind: 'model'; model: ModelClass } | { kind: 'plain' } | { kind: 'unknown'; reason: string };

/**
 * Django's model metaclass, statically: which classes are models, what they inherit (abstract
 * bases, Meta, multi-table parents), and the ModelState `from_model()` would make of each.
 */
export class ModelsResolver {
  private readonly classified = new Map<string, Classified>();
  private readonly resolving = new Set<string>();

  constructor(
    private readonly scope: ModuleScope,
    private readonly apps: readonly ModelsApp[],
    private readonly settings: ModelsSettings,
    /** Values of swappable settings: `AUTH_USER_MODEL` -> `auth.User`. */
    private readonly swappable: ReadonlyMap<string, string>,
  ) {}

  /** Every model of the modules read, as the project state of the models. */
  read(modules: readonly LoadedModule[]): ModelsReading {
    return mergeModuleModels(modules.map((module) => this.readModule(module)));
  }

  /** The models one module defines, and what it leaves unknown about its app. */
  readModule(module: LoadedModule): ModuleModels {
    const incompleteApps = new Set<string>();
    const notes: ModelsNote[] = [];
    const models: ModuleModels['models'][number][] = [];
    const app = this.appOf(module.name);
    for (const statement of module.parsed.classes) {
      const path = `${module.name}.${statement.name}`;
      const found = this.classify(path, module, statement);
      if (found.kind === 'unknown') {
        if (app) incompleteApps.add(app.label);
        notes.push({
          file: module.file,
          range: statement.nameRange,
          message: `${statement.name} cannot be read statically (${found.reason}): its migration state is not checked.`,
        });
      }
      if (found.kind !== 'model') continue;
      if (found.model.unknown) {
        notes.push({
          file: module.file,
          range: statement.nameRange,
          message: `${statement.name} cannot be read statically (${found.model.unknown}): its migration state is not checked.`,
        });
      }
      if (found.model.abstract) continue;
      const label = stringOf(found.model.meta.get('app_label')?.value) ?? app?.label;
      if (label) models.push(this.modelEntry(found.model, label));
    }
    // A module with a syntax error may hide models that error recovery could not find; one past the
    // parse time limit hides them all.
    if (app && (module.parsed.syntaxErrors.length > 0 || module.parsed.overTimeLimit)) incompleteApps.add(app.label);
    if (module.parsed.overTimeLimit) {
      const message = `${module.parsed.overTimeLimit}: the models of this file are not read, so their migrations are not checked.`;
      notes.push({ file: module.file, range: FILE_START, message, overTimeLimit: true });
    }
    for (const name of module.parsed.dynamicNames) {
      if (app && /^[A-Z]/.test(name)) incompleteApps.add(app.label);
    }
    // A module-level `Book = factory(...)` may build a model.
    for (const [name, binding] of module.parsed.bindings) {
      if (app && binding.kind === 'value' && binding.value.kind === 'call' && /^[A-Z]/.test(name)) incompleteApps.add(app.label);
    }
    return { models, incompleteApps: [...incompleteApps], notes };
  }

  private modelEntry(model: ModelClass, app: string): ModuleModels['models'][number] {
    const state = this.modelState(model, app);
    if (model.unknown) state.unknown.push(model.unknown);
    const source: ModelSource = {
      app,
      name: model.statement.name,
      file: model.module.file,
      nameRange: model.statement.nameRange,
      range: model.statement.range,
      fields: new Map(
        model.fields.map((f) => [
          f.name,
          {
            file: f.file,
            range: f.range,
            hasArguments: f.args.length + f.kwargs.length > 0,
            ...(f.argumentsEnd ? { argumentsEnd: f.argumentsEnd } : {}),
          },
        ]),
      ),
      options: new Map([...model.meta].map(([k, v]) => [k, { file: v.file, range: v.range }])),
    };
    return { state, source, unknownFields: new Set(model.unknownAttributes) };
  }

  /** The installed app whose package contains a module (Django: get_containing_app_config). */
  private appOf(module: string): ModelsApp | undefined {
    let best: ModelsApp | undefined;
    for (const app of this.apps) {
      if ((module === app.name || module.startsWith(`${app.name}.`)) && (!best || app.name.length > best.name.length)) best = app;
    }
    return best;
  }

  private classify(path: string, module: LoadedModule, statement: ClassStatement): Classified {
    const known = this.classified.get(path);
    if (known) return known;
    if (this.resolving.has(path)) return { kind: 'unknown', reason: 'it inherits from itself' };
    this.resolving.add(path);
    const result = this.classifyClass(path, module, statement);
    this.resolving.delete(path);
    this.classified.set(path, result);
    return result;
  }

  private classifyBase(module: LoadedModule, base: PythonValue): Classified | 'model-root' {
    if (base.kind !== 'name') return { kind: 'unknown', reason: 'a base class that is not a name' };
    const resolved = this.scope.resolve(module, base.dotted);
    if (!resolved) return { kind: 'unknown', reason: `${base.dotted} cannot be resolved` };
    if (resolved.kind === 'class') return this.classify(resolved.path, resolved.module, resolved.statement);
    if (resolved.kind === 'value') return { kind: 'unknown', reason: `${base.dotted} is computed` };
    const path = canonicalPath(resolved.path);
    if (path === MODEL) return 'model-root';
    // Builtins and django.db.models' other classes (fields, managers, querysets) are not models.
    if (path === 'object' || !path.includes('.') || path.startsWith('django.db.models.')) return { kind: 'plain' };
    return { kind: 'unknown', reason: `${path} was not read` };
  }

  private classifyClass(path: string, module: LoadedModule, statement: ClassStatement): Classified {
    const bases = statement.bases.map((base) => this.classifyBase(module, base));
    const isModel = bases.some((b) => b === 'model-root' || b.kind === 'model');
    const unknownBase = bases.find((b): b is { kind: 'unknown'; reason: string } => b !== 'model-root' && b.kind === 'unknown');
    if (!isModel) return unknownBase ?? { kind: 'plain' };
    const modelBases = bases
      .filter((b): b is { kind: 'model'; model: ModelClass } => b !== 'model-root' && b.kind === 'model')
      .map((b) => b.model);
    let unknown = statement.dynamic ?? unknownBase?.reason ?? modelBases.find((b) => b.unknown)?.unknown;
    if (module.parsed.dynamicNames.has(statement.name)) unknown ??= 'the class is changed after its definition';

    const meta = this.readMeta(module, statement, modelBases);
    const abstract =
      meta.own.get('abstract')?.value.kind === 'constant' && (meta.own.get('abstract')!.value as { value: unknown }).value === true;
    const proxy = isTrueValue(meta.all.get('proxy')?.value);
    const unknownAttributes = new Set<string>();
    const own: DeclaredField[] = [];
    const managers: DeclaredManager[] = [];
    let managersKnown = true;
    for (const attribute of statement.attributes) {
      if (attribute.name === 'Meta') continue;
      const value = attribute.value;
      if (value.kind !== 'call') continue;
      const kind = this.attributeKind(module, value.callee);
      if (kind.kind === 'field') {
        own.push({
          name: attribute.name,
          path: kind.path,
          ...(kind.external ? { external: true } : {}),
          args: value.args.map((a) => this.scope.deconstruct(module, a)),
          kwargs: value.kwargs.map((k) => [k.name, this.scope.deconstruct(module, k.value)] as const),
          file: module.file,
          range: attribute.range,
          argumentsEnd: { line: value.range.end.line, character: Math.max(0, value.range.end.character - 1) },
        });
      } else if (kind.kind === 'manager') {
        managers.push({ name: attribute.name, value: this.scope.deconstruct(module, value), useInMigrations: kind.useInMigrations });
      } else if (kind.kind === 'unknown') {
        unknownAttributes.add(attribute.name);
        managersKnown = false;
      }
    }
    // Abstract bases' fields, unless overridden; mixins that are not models contribute nothing.
    const fields: DeclaredField[] = [];
    const concreteParents: ModelClass[] = [];
    const ownNames = new Set(statement.attributes.map((a) => a.name));
    for (const base of modelBases) {
      if (base.abstract) {
        for (const field of base.fields) {
          if (!ownNames.has(field.name) && !fields.some((f) => f.name === field.name)) fields.push(field);
        }
        for (const name of base.unknownAttributes) unknownAttributes.add(name);
        if (base.managers === undefined) managersKnown = false;
        else for (const manager of base.managers) if (!managers.some((m) => m.name === manager.name)) managers.push(manager);
      } else {
        concreteParents.push(base);
        // Managers are inherited from concrete parents as well (Options.managers walks the MRO).
        if (base.managers === undefined) managersKnown = false;
        else for (const manager of base.managers) if (!managers.some((m) => m.name === manager.name)) managers.push(manager);
      }
    }
    fields.push(...own);
    if (!abstract && !proxy) {
      for (const parent of concreteParents) {
        const parentLabel = this.modelLabel(parent);
        const declaredLink = fields.some((f) => f.kwargs.some(([k, v]) => k === 'parent_link' && isTrueValue(v)));
        if (!parentLabel || declaredLink) continue;
        fields.unshift({
          name: `${parent.statement.name.toLowerCase()}_ptr`,
          path: 'django.db.models.OneToOneField',
          args: [],
          kwargs: [
            ['auto_created', { kind: 'constant', value: true }],
            ['on_delete', { kind: 'ref', path: 'django.db.models.deletion.CASCADE' }],
            ['parent_link', { kind: 'constant', value: true }],
            ['primary_key', { kind: 'constant', value: true }],
            ['serialize', { kind: 'constant', value: false }],
            ['to', { kind: 'str', value: parentLabel }],
          ],
          file: module.file,
          range: statement.nameRange,
          autoCreated: true,
        });
      }
      const hasPrimaryKey = fields.some(
        (f) => f.kwargs.some(([k, v]) => k === 'primary_key' && isTrueValue(v)) || builtInFieldClass(f.path)?.endsWith('AutoField'),
      );
      if (!hasPrimaryKey && concreteParents.length === 0) {
        const autoField = this.autoFieldPath(module.name);
        if (autoField) {
          fields.unshift({
            name: 'id',
            path: autoField,
            args: [],
            kwargs: [
              ['auto_created', { kind: 'constant', value: true }],
              ['primary_key', { kind: 'constant', value: true }],
              ['serialize', { kind: 'constant', value: false }],
              ['verbose_name', { kind: 'str', value: 'ID' }],
            ],
            file: module.file,
            range: statement.nameRange,
            autoCreated: true,
          });
        } else unknownAttributes.add('id');
      }
    }
    return {
      kind: 'model',
      model: {
        path,
        module,
        statement,
        abstract,
        fields: proxy ? [] : fields,
        meta: meta.all,
        concreteParents,
        modelBases,
        managers: managersKnown ? managers : undefined,
        unknownAttributes,
        ...(unknown ? { unknown } : {}),
      },
    };
  }

  /** Whether a class attribute's call builds a field, a manager, or something we cannot tell. */
  private attributeKind(
    module: LoadedModule,
    callee: string,
  ):
    | { kind: 'field'; path: string; external?: boolean }
    | { kind: 'manager'; useInMigrations: boolean }
    | { kind: 'other' }
    | { kind: 'unknown' } {
    const resolved = this.scope.resolve(module, callee);
    if (!resolved || resolved.kind === 'value') return { kind: 'unknown' };
    const path = canonicalPath(resolved.path);
    if (builtInFieldClass(path)) return { kind: 'field', path };
    if (path === MANAGER) return { kind: 'manager', useInMigrations: false };
    if (resolved.kind === 'class') return this.classKind(resolved, 0);
    const last = path.slice(path.lastIndexOf('.') + 1);
    // A class from a package that was not read: named like a field, it is compared as one.
    if (/(Field|Key)$/.test(last)) return { kind: 'field', path, external: true };
    return { kind: 'unknown' };
  }

  private classKind(
    resolved: Extract<Resolution, { kind: 'class' }>,
    depth: number,
  ):
    | { kind: 'field'; path: string; external?: boolean }
    | { kind: 'manager'; useInMigrations: boolean }
    | { kind: 'other' }
    | { kind: 'unknown' } {
    if (depth > 16) return { kind: 'unknown' };
    for (const base of resolved.statement.bases) {
      if (base.kind !== 'name') return { kind: 'unknown' };
      const inner = this.scope.resolve(resolved.module, base.dotted);
      if (!inner || inner.kind === 'value') return { kind: 'unknown' };
      const path = canonicalPath(inner.path);
      if (builtInFieldClass(path) || path === 'django.db.models.Field')
        return { kind: 'field', path: resolved.path, ...customised(resolved.statement) };
      if (path === MANAGER || path === 'django.db.models.BaseManager') {
        const use = resolved.statement.attributes.find((a) => a.name === 'use_in_migrations');
        return { kind: 'manager', useInMigrations: use?.value.kind === 'constant' && use.value.value === true };
      }
      if (inner.kind === 'class') {
        const found = this.classKind(inner, depth + 1);
        if (found.kind === 'field')
          return {
            kind: 'field',
            path: resolved.path,
            ...(found.external || customised(resolved.statement).external ? { external: true } : {}),
          };
        if (found.kind === 'manager') {
          const own = resolved.statement.attributes.find((a) => a.name === 'use_in_migrations');
          return own ? { kind: 'manager', useInMigrations: own.value.kind === 'constant' && own.value.value === true } : found;
        }
        if (found.kind !== 'other') return found;
      }
    }
    return { kind: 'other' };
  }

  /** Meta as Django reads it: the class's own Meta (with its Python bases), else an abstract parent's. */
  private readMeta(module: LoadedModule, statement: ClassStatement, modelBases: readonly ModelClass[]) {
    const own = new Map<string, { value: Deconstructed; file: string; range: SourceRange }>();
    const all = new Map<string, { value: Deconstructed; file: string; range: SourceRange }>();
    const metaClass = statement.nested.filter((c) => c.name === 'Meta').pop();
    if (metaClass) {
      // `class Meta(Base.Meta)`: Python inheritance of the base's attributes.
      for (const base of metaClass.bases) {
        if (base.kind !== 'name' || !base.dotted.endsWith('.Meta')) continue;
        const owner = modelBases.find(
          (b) => base.dotted === `${b.statement.name}.Meta` || base.dotted.endsWith(`.${b.statement.name}.Meta`),
        );
        // Django set the abstract parent's Meta.abstract to False before the child saw it.
        if (owner) for (const [k, v] of owner.meta) all.set(k, k === 'abstract' ? { ...v, value: { kind: 'constant', value: false } } : v);
      }
      for (const attribute of metaClass.attributes) {
        if (!OPTION_NAMES.has(attribute.name) && attribute.name !== 'app_label') continue;
        const entry = { value: this.scope.deconstruct(module, attribute.value), file: module.file, range: attribute.range };
        own.set(attribute.name, entry);
        all.set(attribute.name, entry);
      }
      if (metaClass.bases.length > 0 && [...metaClass.bases].some((b) => b.kind !== 'name' || !b.dotted.endsWith('.Meta'))) {
        all.set('__unknown__', { value: { kind: 'unknown', text: 'Meta base' }, file: module.file, range: metaClass.nameRange });
      }
    } else {
      // `Meta` is found by Python's attribute lookup: the nearest abstract ancestor that kept one,
      // with its abstract flag already reset to False by Django.
      const inherited = inheritedMeta(modelBases);
      if (inherited) {
        for (const [k, v] of inherited.meta) all.set(k, v);
        const where = inherited.meta.get('abstract');
        all.set('abstract', {
          value: { kind: 'constant', value: false },
          file: where?.file ?? inherited.module.file,
          range: where?.range ?? inherited.statement.nameRange,
        });
      }
    }
    return { own, all };
  }

  private modelLabel(model: ModelClass): string | undefined {
    const app = stringOf(model.meta.get('app_label')?.value) ?? this.appOf(model.module.name)?.label;
    return app ? `${app}.${model.statement.name.toLowerCase()}` : undefined;
  }

  private modelName(model: ModelClass): string | undefined {
    const app = stringOf(model.meta.get('app_label')?.value) ?? this.appOf(model.module.name)?.label;
    return app ? `${app}.${model.statement.name}` : undefined;
  }

  /** Django 3.2: the app config's default_auto_field, else DEFAULT_AUTO_FIELD, else AutoField. */
  private autoFieldPath(module: string): string | undefined {
    const app = this.appOf(module);
    const configured = app?.defaultAutoField !== undefined ? app.defaultAutoField : this.settings.defaultAutoField;
    if (configured === null) return undefined;
    const path = canonicalPath(configured ?? 'django.db.models.AutoField');
    return builtInFieldClass(path) ? path : undefined;
  }

  private modelState(model: ModelClass, app: string): ModelState {
    const fields: FieldState[] = model.fields.map((field) => this.fieldState(model, field));
    const options: [string, PythonValue][] = [];
    for (const [name, { value, range }] of model.meta) {
      if (name === 'app_label' || name === '__unknown__') continue;
      options.push([name, toWrittenValue(this.optionValue(name, value), range)]);
    }
    const bases = model.concreteParents.map((parent) => this.modelLabel(parent)).filter((l): l is string => !!l);
    const state = new ModelState(
      app,
      model.statement.name,
      fields,
      options,
      bases.map((label) => toWrittenValue({ kind: 'str', value: label }, model.statement.nameRange)),
      this.managers(model),
    );
    if (model.meta.has('__unknown__')) state.unknown.push('its Meta inherits from a class that was not read');
    if (model.managers === undefined) state.unknown.push('a class attribute that may be a manager or a field');
    return state;
  }

  private managers(model: ModelClass): { name: string; value: PythonValue }[] {
    // ModelState.from_model(): managers used in migrations, and a custom default manager shimmed
    // as a plain Manager; a lone `objects = Manager()` is left out.
    const declared = model.managers ?? [];
    const kept = declared.filter((m, i) => m.useInMigrations || i === 0);
    const result = kept.map((m) => ({
      name: m.name,
      value: m.useInMigrations ? m.value : ({ kind: 'call', path: MANAGER, args: [], kwargs: [] } as Deconstructed),
    }));
    if (result.length === 1 && result[0].name === 'objects' && !kept[0].useInMigrations) return [];
    return result.map((m) => ({ name: m.name, value: toWrittenValue(m.value, model.statement.nameRange) }));
  }

  private optionValue(name: string, value: Deconstructed): Deconstructed {
    if (name === 'unique_together' || name === 'index_together') return normalizeTogether(value);
    if (name === 'indexes' || name === 'constraints') return normalizeIndexes(value);
    return value;
  }

  private fieldState(model: ModelClass, field: DeclaredField): FieldState {
    const kwargs = new Map<string, PythonValue>();
    let unknown: string | undefined = field.external ? `what ${field.path} deconstructs to is only known by running it` : undefined;
    for (const [name, value] of field.kwargs) {
      let written = value;
      if (name === 'to' || name === 'through') {
        const target = this.relationTarget(model, value);
        if (target === undefined) unknown ??= `the ${name} model cannot be resolved`;
        else written = target;
      }
      kwargs.set(name, toWrittenValue(written, field.range));
    }
    const args = [...field.args];
    const relationClass = builtInFieldClass(field.path);
    if (
      (relationClass === 'ForeignKey' || relationClass === 'OneToOneField' || relationClass === 'ManyToManyField') &&
      args.length > 0 &&
      !kwargs.has('to')
    ) {
      const target = this.relationTarget(model, args[0]);
      if (target === undefined) unknown ??= 'the related model cannot be resolved';
      else args[0] = target;
    }
    return {
      name: field.name,
      path: field.path,
      args: args.map((a) => toWrittenValue(a, field.range)),
      kwargs,
      ...(unknown ? { unknown } : {}),
    };
  }

  /** A relation's target as the model's label, the way Django resolves it when the models load. */
  private relationTarget(model: ModelClass, value: Deconstructed): Deconstructed | undefined {
    if (value.kind === 'str') {
      if (value.value === 'self') {
        const name = this.modelName(model);
        return name ? { kind: 'str', value: name } : undefined;
      }
      if (value.value.includes('.')) return value;
      const app = stringOf(model.meta.get('app_label')?.value) ?? this.appOf(model.module.name)?.label;
      return app ? { kind: 'str', value: `${app}.${value.value}` } : undefined;
    }
    if (value.kind === 'ref') {
      if (value.path === 'django.conf.settings.AUTH_USER_MODEL' || value.path.startsWith('django.conf.settings.')) {
        const setting = value.path.slice('django.conf.settings.'.length);
        return this.swappable.has(setting) ? { kind: 'ref', path: `settings.${setting}` } : undefined;
      }
      const target = this.scope.classAt(value.path);
      if (target?.kind !== 'class') return undefined;
      const found = this.classify(target.path, target.module, target.statement);
      if (found.kind !== 'model') return undefined;
      const name = this.modelName(found.model);
      return name ? { kind: 'str', value: name } : undefined;
    }
    return undefined;
  }
}

/** The class whose `Meta` attribute Python finds first among the bases (abstract models keep theirs). */
function inheritedMeta(bases: readonly ModelClass[], depth = 0): ModelClass | undefined {
  if (depth > 32) return undefined;
  for (const base of bases) {
    if (base.abstract && base.statement.nested.some((c) => c.name === 'Meta')) return base;
    const deeper = inheritedMeta(base.modelBases, depth + 1);
    if (deeper) return deeper;
  }
  return undefined;
}

/**
 * A field class that overrides `__init__` or `deconstruct` deconstructs in its own way, which
 * only running it shows: such a field is compared as unknown.
 */
function customised(statement: ClassStatement): { external?: true } {
  return statement.methods.some((m) => m === '__init__' || m === 'deconstruct') ? { external: true } : {};
}

function isTrueValue(value: Deconstructed | undefined): boolean {
  return value?.kind === 'constant' && value.value === true;
}

function stringOf(value: Deconstructed | undefined): string | undefined {
  return value?.kind === 'str' ? value.value : undefined;
}

/** Django's normalize_together(), as a set of tuples the way ModelState.from_model() keeps it. */
export function normalizeTogether(value: Deconstructed): Deconstructed {
  if (value.kind !== 'list' && value.kind !== 'tuple' && value.kind !== 'set') return value;
  if (value.items.length === 0) return { kind: 'set', items: [] };
  const first = value.items[0];
  const groups = first.kind === 'list' || first.kind === 'tuple' ? value.items : [value];
  return {
    kind: 'set',
    items: groups.map((g): Deconstructed => (g.kind === 'list' || g.kind === 'tuple' ? { kind: 'tuple', items: g.items } : g)),
  };
}

/** Index keeps `fields` as a list, UniqueConstraint as a tuple: what their deconstruct() returns. */
function normalizeIndexes(value: Deconstructed): Deconstructed {
  if (value.kind !== 'list' && value.kind !== 'tuple') return value;
  return {
    kind: 'list',
    items: value.items.map((item): Deconstructed => {
      if (item.kind !== 'call') return item;
      const sequence = item.path === 'django.db.models.UniqueConstraint' ? 'tuple' : 'list';
      return {
        ...item,
        kwargs: item.kwargs.map(([k, v]) =>
          (k === 'fields' || k === 'include' || k === 'opclasses') && (v.kind === 'list' || v.kind === 'tuple')
            ? ([k, { kind: sequence, items: v.items }] as const)
            : ([k, v] as const),
        ),
      };
    }),
  };
}
