import { MigrationKey } from './migration';

/**
 * The errors Django's migration loader raises (django/db/migrations/exceptions.py). Core never
 * throws them at its callers: the loader catches them and reports them as values, because the
 * editor must keep working on a broken graph.
 */
export type MigrationGraphError = NodeNotFoundError | CircularDependencyError | UnknownAppError | BadMigrationError;

export interface NodeNotFoundError {
  readonly type: 'NodeNotFoundError';
  readonly message: string;
  /** The missing node. */
  readonly node: MigrationKey;
  /** The migration whose dependency names it. */
  readonly origin?: MigrationKey;
}

export interface CircularDependencyError {
  readonly type: 'CircularDependencyError';
  readonly message: string;
  /** The nodes of the cycle, in order. */
  readonly cycle: readonly MigrationKey[];
}

/** A migration module without a `Migration` class: Django's `load_disk` stops there. */
export interface BadMigrationError {
  readonly type: 'BadMigrationError';
  readonly message: string;
  readonly migration: MigrationKey;
}

/** Django raises a plain ValueError from `check_key` for these. */
export interface UnknownAppError {
  readonly type: 'ValueError';
  readonly message: string;
  readonly app: string;
  readonly origin: MigrationKey;
}

/** Python's `repr()` of a `(app_label, name)` tuple, as Django's messages print it. */
export function reprKey(app: string, name: string): string {
  return `(${reprString(app)}, ${reprString(name)})`;
}

/** Python's `repr()` of a str: single quotes unless the text has one and no double quote. */
export function reprString(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const escaped = value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}
