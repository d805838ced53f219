import { PythonCall } from './pythonValue';
import { SourceRange } from './sourceRange';

/** What a dependency tuple names, as written. Swappable ones are resolved by the loader. */
export type DependencyTarget =
  | { readonly kind: 'key'; readonly app: string; readonly name: string }
  /** `migrations.swappable_dependency(settings.X)`: `(label of settings.X, '__first__')`. */
  | { readonly kind: 'swappable'; readonly setting: string };

/** One entry of `dependencies`. */
export interface DependencyEntry {
  readonly target: DependencyTarget;
  /** The whole tuple or call. */
  readonly range: SourceRange;
  /** The app label string, when written as one. */
  readonly appRange?: SourceRange;
  /** The migration name string, when written as one. */
  readonly nameRange?: SourceRange;
}

/** One `(app_label, name)` entry of `replaces` or `run_before`. */
export interface MigrationKeyEntry {
  readonly app: string;
  readonly name: string;
  readonly range: SourceRange;
  readonly appRange: SourceRange;
  readonly nameRange: SourceRange;
}

/** One entry of `operations`: a call such as `migrations.AddField(...)`. */
export interface OperationEntry {
  /** Class name without its module: `AddField`, `RunPython`, or a custom operation's name. */
  readonly type: string;
  readonly call: PythonCall;
}

/** A construct whose value is only known by running Python; recorded, never interpreted. */
export interface DynamicConstruct {
  readonly range: SourceRange;
  readonly description: string;
}

export interface ImportEntry {
  /** Module imported from (`shop.models`) or imported (`import shop.models`). */
  readonly module: string;
  readonly names: readonly string[];
  /** The name each of `names` is bound to in the module (`Order` for `Order`, `O` for `Order as O`). */
  readonly boundNames?: readonly string[];
  readonly range: SourceRange;
}

/** Where Python or Django would fail to import the module, though tree-sitter read it. */
export interface ImportFailure {
  readonly code: 'syntax-error' | 'missing-migration-class';
  readonly range: SourceRange;
  /** Python's or Django's own words where they have them. */
  readonly message: string;
}

/** A name imported with `from module import name` that a RunPython function reads. */
export interface RunPythonImport {
  /** As written: `shop.models`, `..models`. */
  readonly module: string;
  readonly name: string;
  /** The import statement. */
  readonly range: SourceRange;
}

/** A module-level function, such as the `code` of a RunPython. */
export interface FunctionEntry {
  readonly name: string;
  readonly range: SourceRange;
  readonly nameRange: SourceRange;
  /** Names the body reads that it does not bind as parameters: globals, builtins, other functions. */
  readonly freeNames?: readonly string[];
}

/** Source range of each class attribute that was assigned, by Django's attribute name. */
export type MigrationAttribute = 'dependencies' | 'operations' | 'replaces' | 'run_before' | 'initial' | 'atomic';

/**
 * Everything a migration file says, read statically. Defaults are Django's: `initial` None,
 * `atomic` True, empty lists.
 */
export interface ParsedMigration {
  /** False when the module has no `Migration` class (Django: BadMigrationError). */
  readonly hasMigrationClass: boolean;
  readonly classRange?: SourceRange;
  readonly classNameRange?: SourceRange;
  readonly dependencies: readonly DependencyEntry[];
  readonly replaces: readonly MigrationKeyEntry[];
  readonly runBefore: readonly MigrationKeyEntry[];
  readonly initial: boolean | null;
  readonly atomic: boolean;
  readonly operations: readonly OperationEntry[];
  readonly attributeRanges: Readonly<Partial<Record<MigrationAttribute, SourceRange>>>;
  readonly dynamic: readonly DynamicConstruct[];
  readonly syntaxErrors: readonly SourceRange[];
  readonly importFailures: readonly ImportFailure[];
  readonly imports: readonly ImportEntry[];
  readonly functions: readonly FunctionEntry[];
  /** Imported names the RunPython functions read: the few the model-import check resolves. */
  readonly runPythonImports: readonly RunPythonImport[];
}

/** A migration on disk, as Django's loader keys it: `(app_label, name)`. */
export interface Migration {
  readonly appLabel: string;
  readonly name: string;
  /** Absolute file path. */
  readonly path: string;
  readonly parsed: ParsedMigration;
}

/** Django's `(app_label, migration_name)` key, as one string `app.name` (labels have no dot). */
export type MigrationKey = string;

export function migrationKey(app: string, name: string): MigrationKey {
  return `${app}.${name}`;
}

export function splitMigrationKey(key: MigrationKey): [app: string, name: string] {
  const dot = key.indexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
}
