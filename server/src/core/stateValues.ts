import { PythonCall, PythonKeyword, PythonValue } from './pythonValue';
import { SourceRange } from './sourceRange';
import type { FieldState } from './state';

/**
 * Values the state writes itself (a renamed `to`, a normalised `unique_together`), shaped like
 * the values read from source so that every consumer reads one kind of value. They carry the
 * range of the source they were derived from.
 */

export const NOWHERE: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function strValue(value: string, range: SourceRange): PythonValue {
  return { kind: 'str', value, range };
}

export function listValue(items: readonly PythonValue[], range: SourceRange): PythonValue {
  return { kind: 'list', items, range };
}

export function tupleValue(items: readonly PythonValue[], range: SourceRange): PythonValue {
  return { kind: 'tuple', items, range };
}

export function noneValue(range: SourceRange): PythonValue {
  return { kind: 'constant', value: null, range };
}

/** The strings of a list or tuple of strings (`None` items as null); undefined for anything else. */
export function stringItems(value: PythonValue | undefined): (string | null)[] | undefined {
  if (!value || (value.kind !== 'list' && value.kind !== 'tuple')) return undefined;
  const names: (string | null)[] = [];
  for (const item of value.items) {
    if (item.kind === 'str') names.push(item.value);
    else if (item.kind === 'constant' && item.value === null) names.push(null);
    else return undefined;
  }
  return names;
}

/** The call with keyword `name` set to `value` (replaced in place, else appended). */
export function withKeyword(call: PythonCall, name: string, value: PythonValue): PythonCall {
  const index = call.kwargs.findIndex((k) => k.name === name);
  const keyword: PythonKeyword = { name, nameRange: index < 0 ? value.range : call.kwargs[index].nameRange, value };
  const kwargs = index < 0 ? [...call.kwargs, keyword] : call.kwargs.map((k, i) => (i === index ? keyword : k));
  return { ...call, kwargs };
}

/** The field with keyword `name` set to `value` (replaced in place, else appended). */
export function withFieldKeyword(field: FieldState, name: string, value: PythonValue): FieldState {
  const kwargs = new Map(field.kwargs);
  kwargs.set(name, value);
  return { ...field, kwargs };
}

/** The field with its positional argument `index` replaced. */
export function withFieldArgument(field: FieldState, index: number, value: PythonValue): FieldState {
  const args = [...field.args];
  args[index] = value;
  return { ...field, args };
}

/** Django's `field.default = NOT_PROVIDED` (AddField/AlterField with `preserve_default=False`). */
export function withoutDefault(field: FieldState): FieldState {
  if (!field.kwargs.has('default')) return field;
  const kwargs = new Map(field.kwargs);
  kwargs.delete('default');
  return { ...field, kwargs };
}

export function stringKeyword(field: FieldState, name: string): string | undefined {
  const value = field.kwargs.get(name);
  return value?.kind === 'str' ? value.value : undefined;
}

/** Python truthiness of a literal; undefined when it cannot be told statically. */
export function truthy(value: PythonValue | undefined): boolean | undefined {
  if (!value) return false;
  switch (value.kind) {
    case 'constant':
      return value.value === true;
    case 'str':
      return value.value.length > 0;
    case 'number':
      return value.value !== 0;
    case 'list':
    case 'tuple':
    case 'set':
      return value.items.length > 0;
    case 'dict':
      return value.entries.length > 0;
    default:
      return undefined;
  }
}
