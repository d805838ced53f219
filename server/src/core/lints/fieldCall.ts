import { callArgument, lastNamePart, PythonCall, PythonValue } from '../pythonValue';

/**
 * A field as an operation writes it (`models.CharField(max_length=20, null=True)`), read only
 * where it is a plain call: anything else is not linted.
 */
export interface FieldCall {
  readonly call: PythonCall;
  /** Class name without module: `CharField`, `ForeignKey`. */
  readonly className: string;
}

const RELATION_CLASSES = new Set(['ForeignKey', 'OneToOneField', 'ParentalKey']);
const NO_COLUMN_CLASSES = new Set(['ManyToManyField', 'GenericRelation', 'ParentalManyToManyField']);

export function fieldCallOf(value: PythonValue | undefined): FieldCall | undefined {
  if (value?.kind !== 'call') return undefined;
  return { call: value, className: lastNamePart(value.callee) };
}

/** A keyword argument; fields take everything after `verbose_name`/`to` as keywords in migrations. */
export function fieldKeyword(field: FieldCall, name: string): PythonValue | undefined {
  return field.call.kwargs.find((k) => k.name === name)?.value;
}

/** True, false, or undefined when the argument is written but not a literal. */
export function booleanKeyword(field: FieldCall, name: string, fallback: boolean): boolean | undefined {
  const value = fieldKeyword(field, name);
  if (value === undefined) return fallback;
  return value.kind === 'constant' && typeof value.value === 'boolean' ? value.value : undefined;
}

/** Fields that keep no column of their own (the M2M table is separate). */
export function hasColumn(field: FieldCall): boolean {
  return !NO_COLUMN_CLASSES.has(field.className);
}

export function isRelation(field: FieldCall): boolean {
  return RELATION_CLASSES.has(field.className);
}

/** Whether the field call passes `**kwargs` or other arguments we cannot read. */
export function isReadable(field: FieldCall): boolean {
  return !field.call.kwargs.some((k) => k.name.startsWith('*')) && !field.call.args.some((a) => a.kind === 'opaque');
}

/** The field argument of AddField / AlterField (position 2). */
export function operationField(call: PythonCall): FieldCall | undefined {
  const field = fieldCallOf(callArgument(call, 2, 'field'));
  return field && isReadable(field) ? field : undefined;
}

/** `null=True` written literally. */
export function isNullable(field: FieldCall): boolean | undefined {
  return booleanKeyword(field, 'null', false);
}
