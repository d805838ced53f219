import { PythonValue } from '../../pythonValue';
import { FieldCall } from '../fieldCall';

/** Whether two writings of a field are the same class with the same arguments, but for `keywords`. */
export function differsOnlyIn(before: FieldCall, after: FieldCall, keywords: readonly string[]): boolean {
  const others = (field: FieldCall) =>
    JSON.stringify([
      field.call.callee,
      field.call.args.map(shape),
      field.call.kwargs.filter((k) => !keywords.includes(k.name)).map((k) => [k.name, shape(k.value)]),
    ]);
  return before.className === after.className && others(before) === others(after);
}

/** A value without its source ranges, for comparing two writings of it. */
function shape(value: PythonValue): unknown {
  switch (value.kind) {
    case 'call':
      return [value.callee, value.args.map(shape), value.kwargs.map((k) => [k.name, shape(k.value)])];
    case 'list':
    case 'tuple':
    case 'set':
      return [value.kind, value.items.map(shape)];
    case 'dict':
      return ['dict', value.entries.map((entry) => [shape(entry.key), shape(entry.value)])];
    case 'name':
      return ['name', value.dotted];
    case 'opaque':
      return ['opaque', value.text];
    default:
      return [value.kind, value.value];
  }
}
