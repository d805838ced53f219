/**
 * A value as Django's `deconstruct()` hands it to the autodetector and the migration writer:
 * literals, containers, references to importable objects by path (`django.utils.timezone.now`),
 * `settings.AUTH_USER_MODEL` (SettingsReference), and objects that deconstruct themselves
 * (`Q(...)`, `Index(...)`, `Decimal('1.0')`) as calls. What cannot be known statically is
 * `unknown`, and an unknown value never compares equal or different: it stops the comparison.
 */
export type Deconstructed =
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'constant'; readonly value: boolean | null }
  | { readonly kind: 'list' | 'tuple' | 'set'; readonly items: readonly Deconstructed[] }
  | { readonly kind: 'dict'; readonly entries: readonly (readonly [Deconstructed, Deconstructed])[] }
  | { readonly kind: 'ref'; readonly path: string }
  | { readonly kind: 'setting'; readonly setting: string; readonly value: string }
  | {
      readonly kind: 'call';
      readonly path: string;
      readonly args: readonly Deconstructed[];
      readonly kwargs: readonly (readonly [string, Deconstructed])[];
    }
  | { readonly kind: 'unknown'; readonly text: string };

export const str = (value: string): Deconstructed => ({ kind: 'str', value });
export const bool = (value: boolean): Deconstructed => ({ kind: 'constant', value });
export const ref = (path: string): Deconstructed => ({ kind: 'ref', path });

/** Whether a value, or anything inside it, is unknown. */
export function hasUnknown(value: Deconstructed): boolean {
  switch (value.kind) {
    case 'unknown':
      return true;
    case 'list':
    case 'tuple':
    case 'set':
      return value.items.some(hasUnknown);
    case 'dict':
      return value.entries.some(([k, v]) => hasUnknown(k) || hasUnknown(v));
    case 'call':
      return value.args.some(hasUnknown) || value.kwargs.some(([, v]) => hasUnknown(v));
    default:
      return false;
  }
}

/** The text a SettingsReference compares as: the swapped-in model's label. */
function comparable(value: Deconstructed): Deconstructed {
  return value.kind === 'setting' ? { kind: 'str', value: value.value } : value;
}

/** Python's `==` on deconstructed values (True == 1, 1 == 1.0, sets and dicts unordered). */
export function deconstructedEqual(a: Deconstructed, b: Deconstructed): boolean {
  a = comparable(a);
  b = comparable(b);
  const number = (v: Deconstructed): number | undefined =>
    v.kind === 'number' ? v.value : v.kind === 'constant' && typeof v.value === 'boolean' ? Number(v.value) : undefined;
  const na = number(a);
  const nb = number(b);
  if (na !== undefined || nb !== undefined) return na === nb;
  switch (a.kind) {
    case 'str':
      return b.kind === 'str' && a.value === b.value;
    case 'constant':
      return b.kind === 'constant' && a.value === b.value;
    case 'list':
    case 'tuple':
      return b.kind === a.kind && a.items.length === b.items.length && a.items.every((item, i) => deconstructedEqual(item, b.items[i]));
    case 'set':
      return (
        b.kind === 'set' &&
        a.items.every((x) => b.items.some((y) => deconstructedEqual(x, y))) &&
        b.items.every((y) => a.items.some((x) => deconstructedEqual(x, y)))
      );
    case 'dict':
      return (
        b.kind === 'dict' &&
        a.entries.length === b.entries.length &&
        a.entries.every(([k, v]) => b.entries.some(([k2, v2]) => deconstructedEqual(k, k2) && deconstructedEqual(v, v2)))
      );
    case 'ref':
      return b.kind === 'ref' && a.path === b.path;
    case 'call':
      return (
        b.kind === 'call' &&
        a.path === b.path &&
        a.args.length === b.args.length &&
        a.args.every((arg, i) => deconstructedEqual(arg, b.args[i])) &&
        keywordsEqual(a.kwargs, b.kwargs)
      );
    default:
      return false;
  }
}

export function keywordsEqual(a: readonly (readonly [string, Deconstructed])[], b: readonly (readonly [string, Deconstructed])[]): boolean {
  if (a.length !== b.length) return false;
  return a.every(([name, value]) => {
    const other = b.find(([n]) => n === name);
    return other !== undefined && deconstructedEqual(value, other[1]);
  });
}

/** Python's `repr()`, as the migration writer and `describe()` print values. */
export function deconstructedRepr(value: Deconstructed): string {
  switch (value.kind) {
    case 'str':
      return pythonStringRepr(value.value);
    case 'number':
      return value.text;
    case 'constant':
      return value.value === null ? 'None' : value.value ? 'True' : 'False';
    case 'list':
      return `[${value.items.map(deconstructedRepr).join(', ')}]`;
    case 'tuple':
      return value.items.length === 1 ? `(${deconstructedRepr(value.items[0])},)` : `(${value.items.map(deconstructedRepr).join(', ')})`;
    case 'set':
      return value.items.length === 0 ? 'set()' : `{${value.items.map(deconstructedRepr).join(', ')}}`;
    case 'dict':
      return `{${value.entries.map(([k, v]) => `${deconstructedRepr(k)}: ${deconstructedRepr(v)}`).join(', ')}}`;
    case 'ref':
      return value.path;
    case 'setting':
      return `settings.${value.setting}`;
    case 'call': {
      const parts = [...value.args.map(deconstructedRepr), ...value.kwargs.map(([k, v]) => `${k}=${deconstructedRepr(v)}`)];
      return `${value.path}(${parts.join(', ')})`;
    }
    case 'unknown':
      return value.text;
  }
}

export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const char of text) {
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else out += char;
  }
  return quote + out + quote;
}
