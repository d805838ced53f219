import { DummyNode } from '../core/graph';
import { LoaderResult } from '../core/loader';
import { MigrationKey, migrationKey, splitMigrationKey } from '../core/migration';

/** An applied migration whose dependency is not applied. */
export interface InconsistentMigration {
  readonly migration: MigrationKey;
  /** Its dependencies that are not applied, sorted. */
  readonly unappliedDependencies: readonly MigrationKey[];
}

export interface ConsistentHistoryResult {
  readonly inconsistent: readonly InconsistentMigration[];
  /** What `migrate` raises (InconsistentMigrationHistory) for the first one; undefined when consistent. */
  readonly error?: string;
}

/**
 * Django's `MigrationLoader.check_consistent_history`: every recorded migration that is a node
 * of the graph must have its parents recorded too, except a squashed parent whose replaced
 * migrations are all recorded. Django stops at the first one, in the table's order; every one
 * is returned here, so each can be marked.
 *
 * @param recorded the `django_migrations` rows' keys, in the table's order
 */
export function checkConsistentHistory(loaded: LoaderResult, recorded: readonly MigrationKey[], alias: string): ConsistentHistoryResult {
  const applied = new Set(recorded);
  const squashApplied = new Map<MigrationKey, boolean>();
  const inconsistent: InconsistentMigration[] = [];
  for (const key of applied) {
    const node = loaded.graph.nodes.has(key) ? loaded.graph.nodeMap.get(key) : undefined;
    if (!node) continue;
    let missing: MigrationKey[] | undefined;
    for (const parent of node.parents) {
      // A dependency that does not exist is the loader's error, reported on its own.
      if (applied.has(parent.key) || parent instanceof DummyNode) continue;
      const squash = loaded.replacements.get(parent.key);
      if (squash) {
        let all = squashApplied.get(parent.key);
        if (all === undefined) {
          all = squash.parsed.replaces.every((replaced) => applied.has(migrationKey(replaced.app, replaced.name)));
          squashApplied.set(parent.key, all);
        }
        if (all) continue;
      }
      (missing ??= []).push(parent.key);
    }
    if (missing) inconsistent.push({ migration: key, unappliedDependencies: missing.sort() });
  }
  const first = inconsistent[0];
  if (!first) return { inconsistent };
  const [app, name] = splitMigrationKey(first.migration);
  const [parentApp, parentName] = splitMigrationKey(first.unappliedDependencies[0]);
  return {
    inconsistent,
    error: `Migration ${app}.${name} is applied before its dependency ${parentApp}.${parentName} on database '${alias}'.`,
  };
}
