import { bool, Deconstructed, deconstructedEqual, hasUnknown, ref, str } from './deconstructed';

/** A field as `Field.deconstruct()` returns it: import path, positional and keyword arguments. */
export interface DeconstructedField {
  readonly path: string;
  readonly args: readonly Deconstructed[];
  readonly kwargs: readonly (readonly [string, Deconstructed])[];
  /** Why the field cannot be known statically; such a field is never reported as changed. */
  readonly unknown?: string;
}

/** A field class call with names resolved: `models.CharField(max_length=10)`. */
export interface FieldCall {
  /** Import path of the class (`django.db.models.CharField`, `shop.fields.MoneyField`). */
  readonly path: string;
  readonly args: readonly Deconstructed[];
  readonly kwargs: readonly (readonly [string, Deconstructed])[];
}

/** What deconstructing a relation needs to know about the project. */
export interface RelationContext {
  /**
   * The label Django's deconstruct() starts from for a relation's `to`: `app.Model` for a model
   * class or a resolved string, `undefined` when it cannot be known.
   */
  relationLabel(to: Deconstructed): string | undefined;
  /** Lower-cased model label to the setting that swaps it (`auth.user` -> `AUTH_USER_MODEL`). */
  readonly swappable: ReadonlyMap<string, string>;
}

const MODELS = 'django.db.models.';

/** Field's own `__init__` parameters, in order: positional arguments bind to these. */
const FIELD_PARAMETERS = [
  'verbose_name',
  'name',
  'primary_key',
  'max_length',
  'unique',
  'blank',
  'null',
  'db_index',
  'rel',
  'default',
  'editable',
  'serialize',
  'unique_for_date',
  'unique_for_month',
  'unique_for_year',
  'choices',
  'help_text',
  'db_column',
  'db_tablespace',
  'auto_created',
  'validators',
  'error_messages',
];

/** Positional parameters of the built-in field classes whose `__init__` is not Field's. */
const POSITIONAL: Readonly<Record<string, readonly string[]>> = {
  DecimalField: ['verbose_name', 'name', 'max_digits', 'decimal_places'],
  DateField: ['verbose_name', 'name', 'auto_now', 'auto_now_add'],
  DateTimeField: ['verbose_name', 'name', 'auto_now', 'auto_now_add'],
  TimeField: ['verbose_name', 'name', 'auto_now', 'auto_now_add'],
  URLField: ['verbose_name', 'name'],
  UUIDField: ['verbose_name'],
  FilePathField: ['verbose_name', 'name', 'path', 'match', 'recursive', 'allow_files', 'allow_folders'],
  GenericIPAddressField: ['verbose_name', 'name', 'protocol', 'unpack_ipv4'],
  FileField: ['verbose_name', 'name', 'upload_to', 'storage'],
  ImageField: ['verbose_name', 'name', 'width_field', 'height_field'],
  JSONField: ['verbose_name', 'name', 'encoder', 'decoder'],
  ForeignKey: ['to', 'on_delete', 'related_name', 'related_query_name', 'limit_choices_to', 'parent_link', 'to_field', 'db_constraint'],
  OneToOneField: ['to', 'on_delete', 'to_field'],
  ManyToManyField: [
    'to',
    'related_name',
    'related_query_name',
    'limit_choices_to',
    'symmetrical',
    'through',
    'through_fields',
    'db_constraint',
    'db_table',
    'swappable',
  ],
};

/** Field's defaults: deconstruct() leaves out a keyword whose value is its default. */
const FIELD_DEFAULTS: readonly (readonly [string, Deconstructed | undefined])[] = [
  ['verbose_name', { kind: 'constant', value: null }],
  ['primary_key', bool(false)],
  ['max_length', { kind: 'constant', value: null }],
  ['unique', bool(false)],
  ['blank', bool(false)],
  ['null', bool(false)],
  ['db_index', bool(false)],
  ['default', undefined],
  ['editable', bool(true)],
  ['serialize', bool(true)],
  ['unique_for_date', { kind: 'constant', value: null }],
  ['unique_for_month', { kind: 'constant', value: null }],
  ['unique_for_year', { kind: 'constant', value: null }],
  ['choices', { kind: 'constant', value: null }],
  ['help_text', str('')],
  ['db_column', { kind: 'constant', value: null }],
  ['db_tablespace', { kind: 'constant', value: null }],
  ['auto_created', bool(false)],
  ['validators', { kind: 'list', items: [] }],
  ['error_messages', { kind: 'constant', value: null }],
];

/** Built-in field classes by the name Django's deconstruct() shortens their path to. */
const BUILT_IN = new Set([
  'AutoField',
  'BigAutoField',
  'SmallAutoField',
  'BigIntegerField',
  'BinaryField',
  'BooleanField',
  'CharField',
  'CommaSeparatedIntegerField',
  'DateField',
  'DateTimeField',
  'DecimalField',
  'DurationField',
  'EmailField',
  'FilePathField',
  'FloatField',
  'GenericIPAddressField',
  'IPAddressField',
  'IntegerField',
  'NullBooleanField',
  'PositiveBigIntegerField',
  'PositiveIntegerField',
  'PositiveSmallIntegerField',
  'SlugField',
  'SmallIntegerField',
  'TextField',
  'TimeField',
  'URLField',
  'UUIDField',
  'FileField',
  'ImageField',
  'JSONField',
  'ForeignKey',
  'OneToOneField',
  'ManyToManyField',
  'ForeignObject',
]);
const AUTO_FIELDS = new Set(['AutoField', 'BigAutoField', 'SmallAutoField']);
const SUBMODULES = ['fields.related', 'fields.files', 'fields.json', 'fields.proxy', 'fields'];

/**
 * The path Django's deconstruct() gives a field class: `django.db.models.fields.CharField` is
 * shortened to `django.db.models.CharField`.
 */
export function fieldClassPath(path: string): string {
  for (const submodule of SUBMODULES) {
    const prefix = `${MODELS}${submodule}.`;
    if (path.startsWith(prefix)) return MODELS + path.slice(prefix.length);
  }
  return path;
}

/** The built-in class name of a field path (`CharField`), or undefined for any other class. */
export function builtInFieldClass(path: string): string | undefined {
  const short = fieldClassPath(path);
  if (!short.startsWith(MODELS)) return undefined;
  const name = short.slice(MODELS.length);
  return BUILT_IN.has(name) ? name : undefined;
}

/**
 * What `Field.deconstruct()` returns for a field built by `call`, for Django's own field classes:
 * positional arguments bound to keywords, defaults dropped, relation targets resolved and
 * lower-cased, swappable targets as settings references. Other classes keep their arguments as
 * written, so they compare by path and literal arguments. `primaryKey`: the field is its model's
 * primary key, which Django's `Options.setup_pk()` marks `serialize=False`.
 */
export function deconstructField(call: FieldCall, context: RelationContext, primaryKey = false): DeconstructedField {
  const path = fieldClassPath(call.path);
  const name = builtInFieldClass(call.path);
  if (!name) {
    const unknown = call.args.some(hasUnknown) || call.kwargs.some(([, v]) => hasUnknown(v));
    const kwargs = primaryKey ? withKeyword(call.kwargs, 'serialize', bool(false)) : call.kwargs;
    return { path, args: call.args, kwargs, ...(unknown ? { unknown: 'an argument is not a literal' } : {}) };
  }
  const parameters = POSITIONAL[name] ?? FIELD_PARAMETERS;
  const given = new Map<string, Deconstructed>();
  if (call.args.length > parameters.length) return { path, args: call.args, kwargs: call.kwargs, unknown: 'too many positional arguments' };
  call.args.forEach((value, i) => given.set(parameters[i], value));
  for (const [key, value] of call.kwargs) given.set(key, value);
  const result = deconstructBuiltIn(name, given, context, primaryKey);
  const unknown = result.unknown ?? ([...result.kwargs.values()].some(hasUnknown) ? 'an argument cannot be read statically' : undefined);
  return {
    path,
    args: [],
    kwargs: [...result.kwargs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ...(unknown ? { unknown } : {}),
  };
}

function withKeyword(
  kwargs: readonly (readonly [string, Deconstructed])[],
  key: string,
  value: Deconstructed,
): (readonly [string, Deconstructed])[] {
  return [...kwargs.filter(([k]) => k !== key), [key, value]];
}

const isTrue = (v: Deconstructed | undefined): boolean => v?.kind === 'constant' && v.value === true;
const isFalse = (v: Deconstructed | undefined): boolean =>
  v === undefined ||
  (v.kind === 'constant' && (v.value === false || v.value === null)) ||
  (v.kind === 'number' && v.value === 0) ||
  (v.kind === 'str' && v.value === '');
const isNumber = (v: Deconstructed | undefined, n: number): boolean => v?.kind === 'number' && v.value === n;

function deconstructBuiltIn(
  name: string,
  given: Map<string, Deconstructed>,
  context: RelationContext,
  primaryKey: boolean,
): { kwargs: Map<string, Deconstructed>; unknown?: string } {
  // What each class's __init__ sets before Field.__init__ runs.
  const init = new Map(given);
  init.delete('name');
  if (AUTO_FIELDS.has(name)) init.set('blank', bool(true));
  if (name === 'NullBooleanField') {
    init.set('null', bool(true));
    init.set('blank', bool(true));
  }
  if (name === 'EmailField' && !init.has('max_length')) init.set('max_length', { kind: 'number', value: 254, text: '254' });
  if (name === 'URLField' && !init.has('max_length')) init.set('max_length', { kind: 'number', value: 200, text: '200' });
  if ((name === 'FilePathField' || name === 'FileField' || name === 'ImageField') && !init.has('max_length')) {
    init.set('max_length', { kind: 'number', value: 100, text: '100' });
  }
  if (name === 'SlugField') {
    if (!init.has('max_length')) init.set('max_length', { kind: 'number', value: 50, text: '50' });
    if (!init.has('db_index')) init.set('db_index', bool(true));
  }
  if (name === 'BinaryField' && !init.has('editable')) init.set('editable', bool(false));
  const auto = isTrue(init.get('auto_now')) || isTrue(init.get('auto_now_add'));
  if ((name === 'DateField' || name === 'DateTimeField' || name === 'TimeField') && auto) {
    init.set('editable', bool(false));
    init.set('blank', bool(true));
  }
  const relation = name === 'ForeignKey' || name === 'OneToOneField' || name === 'ManyToManyField' || name === 'ForeignObject';
  if (name === 'ForeignKey' || name === 'OneToOneField') {
    if (!init.has('db_index')) init.set('db_index', bool(true));
  }
  if (name === 'OneToOneField') init.set('unique', bool(true));
  if (name === 'ManyToManyField') {
    // ManyToManyField's __init__ forbids null and blank is not passed to Field as a default.
  }
  if (primaryKey) init.set('serialize', bool(false));

  // Field.deconstruct(): every Field keyword that differs from its default.
  const kwargs = new Map<string, Deconstructed>();
  for (const [key, fallback] of FIELD_DEFAULTS) {
    const value = init.get(key);
    if (value === undefined) continue;
    if (key === 'choices' && (value.kind === 'tuple' || value.kind === 'list')) {
      kwargs.set(key, { kind: 'list', items: value.items });
      continue;
    }
    if (key === 'default' || fallback === undefined || !sameAsDefault(key, value, fallback)) kwargs.set(key, value);
  }
  let unknown: string | undefined;

  // Each class's own deconstruct().
  switch (name) {
    case 'CharField':
    case 'TextField':
    case 'EmailField':
    case 'SlugField':
    case 'URLField':
    case 'CommaSeparatedIntegerField':
      copyIfSet(init, kwargs, 'db_collation', (v) => !isFalse(v));
      break;
    case 'DecimalField':
      copyIfSet(init, kwargs, 'max_digits', (v) => !(v.kind === 'constant' && v.value === null));
      copyIfSet(init, kwargs, 'decimal_places', (v) => !(v.kind === 'constant' && v.value === null));
      break;
    case 'DateField':
    case 'DateTimeField':
    case 'TimeField':
      if (isTrue(init.get('auto_now'))) kwargs.set('auto_now', bool(true));
      if (isTrue(init.get('auto_now_add'))) kwargs.set('auto_now_add', bool(true));
      if (auto) {
        kwargs.delete('editable');
        kwargs.delete('blank');
      }
      break;
    case 'FilePathField':
      copyIfSet(init, kwargs, 'path', (v) => !(v.kind === 'str' && v.value === ''));
      copyIfSet(init, kwargs, 'match', (v) => !(v.kind === 'constant' && v.value === null));
      copyIfSet(init, kwargs, 'recursive', (v) => !(v.kind === 'constant' && v.value === false));
      copyIfSet(init, kwargs, 'allow_files', (v) => !(v.kind === 'constant' && v.value === true));
      copyIfSet(init, kwargs, 'allow_folders', (v) => !(v.kind === 'constant' && v.value === false));
      if (isNumber(kwargs.get('max_length'), 100)) kwargs.delete('max_length');
      break;
    case 'IPAddressField':
    case 'UUIDField':
      kwargs.delete('max_length');
      break;
    case 'GenericIPAddressField':
      copyIfSet(init, kwargs, 'unpack_ipv4', (v) => !(v.kind === 'constant' && v.value === false));
      copyIfSet(init, kwargs, 'protocol', (v) => !(v.kind === 'str' && v.value === 'both'));
      kwargs.delete('max_length');
      break;
    case 'NullBooleanField':
      kwargs.delete('null');
      kwargs.delete('blank');
      break;
    case 'BinaryField':
      if (isTrue(init.get('editable'))) kwargs.set('editable', bool(true));
      else kwargs.delete('editable');
      break;
    case 'AutoField':
    case 'BigAutoField':
    case 'SmallAutoField':
      kwargs.delete('blank');
      kwargs.set('primary_key', bool(true));
      break;
    case 'FileField':
    case 'ImageField':
      if (isNumber(kwargs.get('max_length'), 100)) kwargs.delete('max_length');
      kwargs.set('upload_to', init.get('upload_to') ?? str(''));
      copyIfSet(init, kwargs, 'storage', (v) => !(v.kind === 'constant' && v.value === null));
      if (name === 'ImageField') {
        copyIfSet(init, kwargs, 'width_field', (v) => !isFalse(v));
        copyIfSet(init, kwargs, 'height_field', (v) => !isFalse(v));
      }
      break;
    case 'JSONField':
      copyIfSet(init, kwargs, 'encoder', (v) => !(v.kind === 'constant' && v.value === null));
      copyIfSet(init, kwargs, 'decoder', (v) => !(v.kind === 'constant' && v.value === null));
      break;
  }
  if (relation) unknown = deconstructRelation(name, init, kwargs, context);
  return { kwargs, ...(unknown ? { unknown } : {}) };
}

function sameAsDefault(key: string, value: Deconstructed, fallback: Deconstructed): boolean {
  // Field compares choices and validators with ==, every other keyword with `is`.
  if (key === 'choices' || key === 'validators') return deconstructedEqual(value, fallback);
  if (value.kind === 'constant' && fallback.kind === 'constant') return value.value === fallback.value;
  return value.kind === 'str' && fallback.kind === 'str' && value.value === fallback.value;
}

function copyIfSet(
  from: Map<string, Deconstructed>,
  to: Map<string, Deconstructed>,
  key: string,
  differs: (value: Deconstructed) => boolean,
): void {
  const value = from.get(key);
  if (value !== undefined && differs(value)) to.set(key, value);
}

/** RelatedField, ForeignObject, ForeignKey, OneToOneField and ManyToManyField's deconstruct(). */
function deconstructRelation(
  name: string,
  init: Map<string, Deconstructed>,
  kwargs: Map<string, Deconstructed>,
  context: RelationContext,
): string | undefined {
  const to = init.get('to');
  if (!to) return 'no related model';
  copyIfSet(init, kwargs, 'limit_choices_to', (v) => !isFalse(v) && !(v.kind === 'dict' && v.entries.length === 0));
  copyIfSet(init, kwargs, 'related_name', (v) => !(v.kind === 'constant' && v.value === null));
  copyIfSet(init, kwargs, 'related_query_name', (v) => !(v.kind === 'constant' && v.value === null));
  const label = context.relationLabel(to);
  if (label === undefined) return 'the related model cannot be resolved';
  const swappable = !(init.get('swappable')?.kind === 'constant' && (init.get('swappable') as { value: unknown }).value === false);
  if (name === 'ManyToManyField') {
    kwargs.delete('db_index');
    copyIfSet(init, kwargs, 'db_table', (v) => !(v.kind === 'constant' && v.value === null));
    copyIfSet(init, kwargs, 'db_constraint', (v) => !isTrue(v));
    const through = init.get('through');
    if (through && !(through.kind === 'constant' && through.value === null)) {
      const throughLabel = context.relationLabel(through);
      if (throughLabel === undefined) return 'the through model cannot be resolved';
      kwargs.set('through', str(throughLabel));
    }
    kwargs.set('to', toValue(label, context, swappable));
    return undefined;
  }
  const onDelete = init.get('on_delete');
  if (!onDelete) return 'no on_delete';
  kwargs.set('on_delete', onDelete.kind === 'ref' ? ref(onDeletePath(onDelete.path)) : onDelete);
  if (isTrue(init.get('parent_link'))) kwargs.set('parent_link', bool(true));
  const dot = label.indexOf('.');
  const lowered = dot < 0 ? label.toLowerCase() : `${label.slice(0, dot)}.${label.slice(dot + 1).toLowerCase()}`;
  kwargs.set('to', toValue(lowered, context, swappable));
  if (isTrue(kwargs.get('db_index')) || !init.has('db_index')) kwargs.delete('db_index');
  else kwargs.set('db_index', bool(false));
  copyIfSet(init, kwargs, 'db_constraint', (v) => !isTrue(v));
  copyIfSet(init, kwargs, 'to_field', (v) => !isFalse(v));
  if (name === 'OneToOneField') kwargs.delete('unique');
  return undefined;
}

function toValue(label: string, context: RelationContext, swappable: boolean): Deconstructed {
  const setting = swappable ? context.swappable.get(label.toLowerCase()) : undefined;
  return setting ? { kind: 'setting', setting, value: label } : str(label);
}

/** `models.CASCADE` and `django.db.models.deletion.CASCADE` are the same function. */
function onDeletePath(path: string): string {
  const last = path.slice(path.lastIndexOf('.') + 1);
  return path === `${MODELS}${last}` || path === `${MODELS}deletion.${last}` ? `${MODELS}deletion.${last}` : path;
}
