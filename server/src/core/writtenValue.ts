import { Deconstructed } from './deconstructed';
import { PythonValue } from './pythonValue';
import { qObject } from './qObject';
import { SourceRange } from './sourceRange';

const DELETION = /^(CASCADE|PROTECT|SET_NULL|SET_DEFAULT|SET|DO_NOTHING|RESTRICT)$/;
/** Submodules of django.db.models whose public names the package re-exports. */
const MODELS_SUBMODULE =
  /^django\.db\.models\.(?:fields\.related|fields\.files|fields\.json|fields\.proxy|fields|indexes|constraints|deletion|query_utils|expressions|enums|manager|base|aggregates)\.([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * One path per object: `django.db.models.fields.CharField` and `django.db.models.CharField` are
 * the same class, `models.CASCADE` is `django.db.models.deletion.CASCADE` (as the writer prints it).
 */
export function canonicalPath(path: string): string {
  if (path.startsWith('models.')) path = `django.db.${path}`;
  else if (path.startsWith('migrations.')) path = `django.db.${path}`;
  const name = MODELS_SUBMODULE.exec(path)?.[1] ?? /^django\.db\.models\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(path)?.[1];
  if (name === undefined) return path;
  return DELETION.test(name) ? `django.db.models.deletion.${name}` : `django.db.models.${name}`;
}

/** A deconstructed value as the migration writer would write it, placed at `range`. */
export function toWrittenValue(value: Deconstructed, range: SourceRange): PythonValue {
  switch (value.kind) {
    case 'str':
    case 'number':
    case 'constant':
      return { ...value, range } as PythonValue;
    case 'list':
    case 'tuple':
    case 'set':
      return { kind: value.kind, items: value.items.map((item) => toWrittenValue(item, range)), range };
    case 'dict':
      return {
        kind: 'dict',
        entries: value.entries.map(([k, v]) => ({ key: toWrittenValue(k, range), value: toWrittenValue(v, range) })),
        range,
      };
    case 'ref':
      return { kind: 'name', dotted: value.path, range };
    case 'setting':
      return { kind: 'name', dotted: `settings.${value.setting}`, range };
    case 'call':
      return {
        kind: 'call',
        callee: value.path,
        calleeRange: range,
        args: value.args.map((a) => toWrittenValue(a, range)),
        kwargs: value.kwargs.map(([name, v]) => ({ name, nameRange: range, value: toWrittenValue(v, range) })),
        range,
      };
    case 'unknown':
      return { kind: 'opaque', text: value.text, range };
  }
}

/**
 * A value as a migration file writes it, read back: names are import paths (`models.X` and
 * `settings.X` as the writer's own imports bind them), calls build what they name.
 */
export function fromWrittenValue(value: PythonValue): Deconstructed {
  switch (value.kind) {
    case 'str':
      return { kind: 'str', value: value.value };
    case 'number':
      return { kind: 'number', value: value.value, text: value.text };
    case 'constant':
      return { kind: 'constant', value: value.value };
    case 'list':
    case 'tuple':
    case 'set':
      return { kind: value.kind, items: value.items.map(fromWrittenValue) };
    case 'dict':
      return { kind: 'dict', entries: value.entries.map((e) => [fromWrittenValue(e.key), fromWrittenValue(e.value)] as const) };
    case 'name':
      return { kind: 'ref', path: canonicalPath(value.dotted) };
    case 'call': {
      const path = canonicalPath(value.callee);
      const args = value.args.map(fromWrittenValue);
      const kwargs = value.kwargs.map((k) => [k.name, fromWrittenValue(k.value)] as const);
      if (path === 'django.db.models.Q') return qObject(args, kwargs);
      return { kind: 'call', path, args, kwargs };
    }
    case 'opaque':
      return { kind: 'unknown', text: value.text };
  }
}
