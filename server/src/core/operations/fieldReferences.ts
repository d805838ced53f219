import { callArgument, lastNamePart, PythonValue } from '../pythonValue';
import { ModelReference } from './operation';

const RELATED_FIELDS = new Set(['ForeignKey', 'OneToOneField', 'ManyToManyField', 'ForeignObject', 'ParentalKey']);

/**
 * Models a field definition points at: the `to` of a relation (`models.ForeignKey(to='shop.Order')`
 * or the first positional argument), and the `through` model of a many-to-many.
 */
export function fieldReferences(field: PythonValue | undefined): ModelReference[] {
  if (!field || field.kind !== 'call' || !RELATED_FIELDS.has(lastNamePart(field.callee))) return [];
  const found: ModelReference[] = [];
  const to = callArgument(field, 0, 'to');
  const reference = modelReference(to);
  if (reference) found.push(reference);
  const through = modelReference(field.kwargs.find((k) => k.name === 'through')?.value);
  if (through) found.push(through);
  return found;
}

/** `'app.Model'`, `'Model'` or `settings.AUTH_USER_MODEL` as a reference. */
export function modelReference(value: PythonValue | undefined): ModelReference | undefined {
  if (!value) return undefined;
  if (value.kind === 'str') {
    const dot = value.value.indexOf('.');
    return dot < 0
      ? { model: value.value, range: value.range, defines: false }
      : { app: value.value.slice(0, dot), model: value.value.slice(dot + 1), range: value.range, defines: false };
  }
  if (value.kind === 'name' && value.dotted.startsWith('settings.')) {
    return { model: '', setting: value.dotted.slice('settings.'.length), range: value.range, defines: false };
  }
  return undefined;
}
