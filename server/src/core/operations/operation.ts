import { reprString } from '../exceptions';
import { PythonCall, PythonValue } from '../pythonValue';
import { SourceRange } from '../sourceRange';

/** A model an operation names, with where it is named. */
export interface ModelReference {
  /** App label when the reference says it (`'shop.Order'`), else the operation's own app. */
  readonly app?: string;
  /** Model name as written; Django compares model names case-insensitively. */
  readonly model: string;
  readonly range: SourceRange;
  /** True for the `name=` of a CreateModel: this is where the model is defined. */
  readonly defines: boolean;
  /** Swappable setting when written as `settings.AUTH_USER_MODEL`. */
  readonly setting?: string;
}

/**
 * What an operation means, read from its call: Django's `describe()`, `reversible`, and the
 * models it touches. One object per operation class, as in django/db/migrations/operations/.
 */
export interface OperationSemantics {
  /** Django's `Operation.describe()` text. */
  describe(call: PythonCall): string;
  /** Django's `Operation.reversible`. */
  reversible(call: PythonCall): boolean;
  /** Models named by the operation and by the fields it adds or alters. */
  references(call: PythonCall): ModelReference[];
  /** What undoing it loses, for operations whose reverse drops data or does not bring it back. */
  readonly reverseLoses?: string;
}

/** The Python `repr` Django's base `describe()` prints for constructor arguments. */
export function pythonRepr(value: PythonValue): string {
  switch (value.kind) {
    case 'str':
      return reprString(value.value);
    case 'number':
      return value.text;
    case 'constant':
      return value.value === null ? 'None' : value.value ? 'True' : 'False';
    case 'list':
      return `[${value.items.map(pythonRepr).join(', ')}]`;
    case 'tuple':
      return value.items.length === 1 ? `(${pythonRepr(value.items[0])},)` : `(${value.items.map(pythonRepr).join(', ')})`;
    case 'set':
      return `{${value.items.map(pythonRepr).join(', ')}}`;
    case 'dict':
      return `{${value.entries.map((e) => `${pythonRepr(e.key)}: ${pythonRepr(e.value)}`).join(', ')}}`;
    case 'name':
      return value.dotted;
    case 'call':
      return `${value.callee}(...)`;
    case 'opaque':
      return value.text;
  }
}
