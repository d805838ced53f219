import { MigrationKey } from '../migration';
import { FileTextEdit } from './referenceEdits';

/**
 * What one database alias holds, as read before planning: the recorded rows of
 * `django_migrations`, or why they could not be read.
 */
export type AliasRows =
  | { readonly alias: string; readonly status: 'ok'; readonly recorded: ReadonlySet<MigrationKey> }
  | { readonly alias: string; readonly status: 'unreadable'; readonly reason: string };

/** A `django_migrations` row whose name changes. */
export interface RowRename {
  readonly app: string;
  readonly from: string;
  readonly to: string;
}

/** Everything a refactoring changes: files, then the rows of each alias. */
export interface RefactoringPlan {
  readonly title: string;
  /** Edits to existing files, by their path before any rename. */
  readonly edits: readonly FileTextEdit[];
  readonly deletes: readonly string[];
  /** Files moved after their edits are applied. */
  readonly renames: readonly { readonly from: string; readonly to: string }[];
  /** Rows to rename, by alias; one transaction each. */
  readonly rows: readonly { readonly alias: string; readonly renames: readonly RowRename[] }[];
  /** The latest migration of each app whose latest migration the refactoring renames. */
  readonly leaves: readonly { readonly app: string; readonly name: string }[];
  /** What was found on each alias, one line each. */
  readonly report: readonly string[];
}

export type PlanResult =
  | { readonly ok: true; readonly plan: RefactoringPlan }
  | { readonly ok: false; readonly reasons: readonly string[]; readonly report: readonly string[] };

/** Paths a refactoring may change: the project's own files, never an installed package. */
export type EditablePath = (path: string) => boolean;
