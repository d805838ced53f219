import { checkConsistentHistory, ConsistentHistoryResult, LoaderResult } from '../core/loader';
import { MigrationKey, migrationKey } from '../core/migration';
import { AppliedMigration } from '../db/recorder';

/**
 * What one database says of a project's migrations, as Django's loader sees it: the graph with
 * its applied migrations, the recorder's rows, `check_consistent_history` over them, and the rows
 * whose migration file is gone. The tree presenter and the database diagnostics both read it.
 */
export interface AppliedState {
  readonly alias: string;
  /** The loader's result with this database's applied migrations (squashes replaced as Django does). */
  readonly loaded: LoaderResult;
  /** The rows of `django_migrations`, in the table's order; empty without a table. */
  readonly rows: readonly AppliedMigration[];
  /** When each recorded migration was applied (the last row wins), in the order rows first name them. */
  readonly recorded: ReadonlyMap<MigrationKey, string | null>;
  readonly history: ConsistentHistoryResult;
  /** Recorded migrations with neither a file nor a squash on disk that replaces them: deleted or renamed. */
  readonly withoutFile: ReadonlySet<MigrationKey>;
}

export function appliedState(alias: string, loaded: LoaderResult, rows: readonly AppliedMigration[]): AppliedState {
  const recorded = new Map<MigrationKey, string | null>();
  const recordedKeys: MigrationKey[] = [];
  for (const row of rows) {
    const key = migrationKey(row.app, row.name);
    recorded.set(key, row.applied);
    recordedKeys.push(key);
  }
  const replaced = new Set<MigrationKey>();
  for (const squash of loaded.replacements.values())
    for (const entry of squash.parsed.replaces) replaced.add(migrationKey(entry.app, entry.name));
  const withoutFile = new Set([...recorded.keys()].filter((key) => !loaded.diskMigrations.has(key) && !replaced.has(key)));
  return { alias, loaded, rows, recorded, history: checkConsistentHistory(loaded, recordedKeys, alias), withoutFile };
}
