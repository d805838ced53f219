import { lastNamePart, PythonValue } from './pythonValue';
import { SourceRange } from './sourceRange';
import type { FieldState, ModelState, ProjectState } from './state';
import { listValue, stringItems, strValue, truthy, withFieldArgument, withFieldKeyword } from './stateValues';

/**
 * How the state follows relations between models, as Django's migrations utils do
 * (`resolve_relation`, `field_references`, `get_references`), read from a field's arguments.
 */

/** Django's `(app_label, model_name_lower)`. */
export type ModelTuple = readonly [app: string, model: string];

type RelationKind = 'foreignKey' | 'foreignObject' | 'manyToMany';

/** Which of Django's related field classes a field behaves as, by its class or its arguments. */
export function relationKind(field: FieldState): RelationKind | undefined {
  switch (lastNamePart(field.path)) {
    case 'ForeignKey':
    case 'OneToOneField':
      return 'foreignKey';
    case 'ForeignObject':
      return 'foreignObject';
    case 'ManyToManyField':
      return 'manyToMany';
  }
  // A subclass (third-party or the project's) deconstructs with its parent's keywords.
  if (!field.kwargs.has('to')) return undefined;
  if (field.kwargs.has('to_fields')) return 'foreignObject';
  return field.kwargs.has('on_delete') ? 'foreignKey' : 'manyToMany';
}

/** Where a relation argument is written: its keyword, else its positional slot. */
const POSITIONS: Record<RelationKind, Partial<Record<string, number>>> = {
  foreignKey: { to: 0, on_delete: 1 },
  foreignObject: { to: 0, on_delete: 1, from_fields: 2, to_fields: 3 },
  manyToMany: { to: 0 },
};

export function relationArgument(field: FieldState, name: string): PythonValue | undefined {
  const kind = relationKind(field);
  if (!kind) return undefined;
  const keyword = field.kwargs.get(name);
  if (keyword) return keyword;
  const position = POSITIONS[kind][name];
  return position === undefined ? undefined : field.args[position];
}

/** The field with a relation argument replaced where it is written. */
export function withRelationArgument(field: FieldState, name: string, value: PythonValue): FieldState {
  const kind = relationKind(field);
  const position = kind && POSITIONS[kind][name];
  if (!field.kwargs.has(name) && position !== undefined && position < field.args.length) {
    return withFieldArgument(field, position, value);
  }
  return withFieldKeyword(field, name, value);
}

/** Django's RenameModel repointing `to` or `through` at `'app_label.NewName'`. */
export function withRelationTarget(field: FieldState, name: 'to' | 'through', model: string): FieldState {
  const current = relationArgument(field, name);
  return withRelationArgument(field, name, strValue(model, current?.range ?? field.origin?.range ?? NOWHERE_RANGE));
}

const NOWHERE_RANGE: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** `from_fields` or `to_fields` of a ForeignObject, as names. */
export function relationNames(field: FieldState, name: 'from_fields' | 'to_fields'): (string | null)[] | undefined {
  if (relationKind(field) !== 'foreignObject') return undefined;
  return stringItems(relationArgument(field, name));
}

export function withRelationNames(
  field: FieldState,
  name: 'from_fields' | 'to_fields',
  names: readonly (string | null)[],
  range: SourceRange,
): FieldState {
  const current = relationArgument(field, name);
  const items = names.map((n) => (n === null ? ({ kind: 'constant', value: null, range } as const) : strValue(n, range)));
  return withRelationArgument(field, name, listValue(items, current?.range ?? range));
}

/** Django's `field.to_fields`: `[to_field]` for a ForeignKey, the argument of a ForeignObject. */
function toFields(field: FieldState, kind: RelationKind): (string | null)[] | undefined {
  if (kind === 'manyToMany') return undefined;
  if (kind === 'foreignObject') return stringItems(relationArgument(field, 'to_fields'));
  const toField = field.kwargs.get('to_field');
  return [toField?.kind === 'str' ? toField.value : null];
}

/**
 * Django's `resolve_relation`: `'self'`, `'Model'` (in the field's own app), `'app.Model'`, or
 * a swappable setting (`settings.AUTH_USER_MODEL`) through the project's settings.
 */
export function resolveRelation(
  value: PythonValue | undefined,
  scope: ModelTuple,
  swappableSettings: ReadonlyMap<string, string>,
): ModelTuple | undefined {
  let text: string | undefined;
  if (value?.kind === 'str') text = value.value;
  else if (value?.kind === 'name' && value.dotted.startsWith('settings.')) {
    text = swappableSettings.get(value.dotted.slice('settings.'.length));
  }
  if (text === undefined) return undefined;
  if (text === 'self') return scope;
  const dot = text.indexOf('.');
  return dot < 0 ? [scope[0], text.toLowerCase()] : [text.slice(0, dot), text.slice(dot + 1).toLowerCase()];
}

export interface FieldReference {
  /** The field's `to` points at the model (and field); with Django's `to_fields`. */
  readonly to?: { readonly toFields: (string | null)[] | undefined };
  /** The field's `through` is the model (and field). */
  readonly through?: { readonly throughFields: (string | null)[] | undefined };
}

function isPrimaryKey(field: FieldState): boolean {
  return truthy(field.kwargs.get('primary_key')) === true;
}

const same = (a: ModelTuple | undefined, b: ModelTuple): boolean => a !== undefined && a[0] === b[0] && a[1] === b[1];

/** Django's `field_references`: how `field` (on `modelTuple`) refers to a model or one of its fields. */
export function fieldReferences(
  modelTuple: ModelTuple,
  field: FieldState,
  referenceModelTuple: ModelTuple,
  swappableSettings: ReadonlyMap<string, string>,
  referenceFieldName?: string,
  referenceField?: FieldState,
): FieldReference | undefined {
  const kind = relationKind(field);
  if (!kind) return undefined;
  let to: FieldReference['to'];
  let through: FieldReference['through'];
  if (same(resolveRelation(relationArgument(field, 'to'), modelTuple, swappableSettings), referenceModelTuple)) {
    const fields = toFields(field, kind);
    if (
      referenceFieldName === undefined ||
      fields === undefined ||
      (fields.includes(null) && (referenceField === undefined || isPrimaryKey(referenceField))) ||
      fields.includes(referenceFieldName)
    ) {
      to = { toFields: fields };
    }
  }
  const throughValue = kind === 'manyToMany' ? field.kwargs.get('through') : undefined;
  if (same(resolveRelation(throughValue, modelTuple, swappableSettings), referenceModelTuple)) {
    const throughFields = stringItems(field.kwargs.get('through_fields'));
    if (referenceFieldName === undefined || throughFields === undefined || throughFields.includes(referenceFieldName)) {
      through = { throughFields };
    }
  }
  return to || through ? { to, through } : undefined;
}

export interface StateReference {
  readonly model: ModelState;
  readonly name: string;
  readonly field: FieldState;
  readonly reference: FieldReference;
}

/** Django's `get_references`: every field of every model that refers to the model (or field). */
export function getReferences(
  state: ProjectState,
  modelTuple: ModelTuple,
  fieldTuple?: readonly [name: string, field: FieldState],
): StateReference[] {
  const found: StateReference[] = [];
  for (const model of state.models.values()) {
    const scope: ModelTuple = [model.appLabel, model.nameLower];
    for (const [name, field] of model.fields) {
      const reference = fieldReferences(scope, field, modelTuple, state.swappableSettings, fieldTuple?.[0], fieldTuple?.[1]);
      if (reference) found.push({ model, name, field, reference });
    }
  }
  return found;
}
