import { MigrationGraphError, NodeNotFoundError } from './exceptions';
import { DummyNode, MigrationGraph } from './graph';
import { DependencyEntry, Migration, MigrationKey, MigrationKeyEntry, migrationKey, splitMigrationKey } from './migration';
import { OverlayMap } from './overlayMap';

/** What the loader needs to know about the project besides its migration files. */
export interface LoaderInput {
  /** Every migration on disk, in INSTALLED_APPS order. */
  readonly migrations: Iterable<Migration>;
  /** Labels of apps that have a migrations package (Django: `migrated_apps`). */
  readonly migratedApps: ReadonlySet<string>;
  /** Labels of installed apps without one (Django: `unmigrated_apps`). */
  readonly unmigratedApps: ReadonlySet<string>;
  /**
   * Labels of apps whose migrations live outside what we could read (django.contrib without a
   * known Python environment, a third-party package): a dependency on them is external, not an
   * error. `'*'` makes every unknown app external (no settings, or INSTALLED_APPS not readable).
   */
  readonly externalApps: ReadonlySet<string>;
  /** Rows of `django_migrations`: key to applied time (ISO text), or an empty map. */
  readonly applied: ReadonlyMap<MigrationKey, string | null>;
  /** Values of swappable model settings, such as `AUTH_USER_MODEL` -> `accounts.User`. */
  readonly swappableSettings: ReadonlyMap<string, string>;
  /** False: keep squashed and replaced migrations side by side (Django: `replace_migrations`). */
  readonly replaceMigrations?: boolean;
  /**
   * Migrations on disk whose contents are unknown (their parse ran past the time limit): not in
   * `migrations`, and a dependency on one is passed over rather than reported missing.
   */
  readonly unreadMigrations?: ReadonlySet<MigrationKey>;
}

/** How the loader understood one `dependencies` entry or `run_before` entry. */
export type DependencyResolution =
  | { readonly status: 'edge'; readonly key: MigrationKey }
  /** A dependency on a node that does not exist: a dummy node, reported when validated. */
  | { readonly status: 'missing'; readonly key: MigrationKey }
  | { readonly status: 'external'; readonly app: string; readonly name: string }
  /** `__first__` of its own app, or `__first__`/`__latest__` of an app without migrations. */
  | { readonly status: 'ignored' }
  /** A swappable dependency whose setting has no value we could read. */
  | { readonly status: 'unresolved'; readonly setting: string }
  | { readonly status: 'error'; readonly error: MigrationGraphError };

export interface ResolvedDependency {
  readonly entry: DependencyEntry | MigrationKeyEntry;
  readonly attribute: 'dependencies' | 'run_before';
  readonly resolution: DependencyResolution;
}

export interface LoaderResult {
  readonly graph: MigrationGraph;
  readonly diskMigrations: ReadonlyMap<MigrationKey, Migration>;
  /** Squashed migrations: key to the migration that lists `replaces`. */
  readonly replacements: ReadonlyMap<MigrationKey, Migration>;
  /** Applied migrations after squash handling: a squash counts when all it replaces are applied. */
  readonly appliedMigrations: ReadonlyMap<MigrationKey, string | null>;
  /** Squashed migrations that could not be used because only some of what they replace is applied. */
  readonly partiallyAppliedSquashes: ReadonlySet<MigrationKey>;
  readonly dependencies: ReadonlyMap<MigrationKey, readonly ResolvedDependency[]>;
  /** What Django's `build_graph` would raise (the first one is what Django shows). */
  readonly errors: readonly MigrationGraphError[];
}

/**
 * Django's MigrationLoader.build_graph (django/db/migrations/loader.py): nodes, internal then
 * external dependencies, squash replacement by applied state, consistency, cycles. It collects
 * errors instead of raising them, so a broken project still yields a graph for the editor.
 */
export function buildGraph(input: LoaderInput): LoaderResult {
  const graph = new MigrationGraph();
  const diskMigrations = new Map<MigrationKey, Migration>();
  const replacements = new Map<MigrationKey, Migration>();
  const dependencies = new Map<MigrationKey, ResolvedDependency[]>();
  const errors: MigrationGraphError[] = [];

  for (const migration of input.migrations) {
    const key = migrationKey(migration.appLabel, migration.name);
    if (!migration.parsed.hasMigrationClass) {
      // Django raises in load_disk; the editor leaves the module out of the graph and goes on.
      errors.push({
        type: 'BadMigrationError',
        message: `Migration ${migration.name} in app ${migration.appLabel} has no Migration class`,
        migration: key,
      });
      continue;
    }
    diskMigrations.set(key, migration);
    graph.addNode(key, migration);
    if (migration.parsed.replaces.length > 0) replacements.set(key, migration);
    dependencies.set(key, []);
  }

  for (const [key, migration] of diskMigrations) addInternalDependencies(key, migration);
  for (const [key, migration] of diskMigrations) addExternalDependencies(key, migration);

  const appliedMigrations = new Map(input.applied);
  const partiallyAppliedSquashes = new Set<MigrationKey>();
  if (input.replaceMigrations !== false) {
    for (const [key, migration] of replacements) {
      const replaced = migration.parsed.replaces.map((r) => migrationKey(r.app, r.name));
      const appliedStatuses = replaced.map((target) => appliedMigrations.has(target));
      const allApplied = appliedStatuses.every(Boolean);
      // A squash counts as applied only when everything it replaces is.
      if (allApplied) appliedMigrations.set(key, latestAppliedTime(replaced, appliedMigrations));
      else appliedMigrations.delete(key);
      const error =
        allApplied || !appliedStatuses.some(Boolean)
          ? graph.removeReplacedNodes(key, replaced)
          : (partiallyAppliedSquashes.add(key), graph.removeReplacementNode(key, replaced));
      if (error) errors.push(error);
    }
  }

  for (const dummy of graph.dummyNodes()) errors.push(explainUnreplacedNode(dummy.error()));
  const cycle = graph.ensureNotCyclic();
  if (cycle) errors.push(cycle);

  return { graph, diskMigrations, replacements, appliedMigrations, partiallyAppliedSquashes, dependencies, errors };

  function addInternalDependencies(key: MigrationKey, migration: Migration): void {
    for (const entry of migration.parsed.dependencies) {
      const parent = resolveTarget(entry);
      if (!parent || parent.app !== migration.appLabel) continue;
      // Django ignores `__first__` references to the same app.
      if (parent.name === '__first__') {
        record(key, entry, 'dependencies', { status: 'ignored' });
        continue;
      }
      const parentKey = migrationKey(parent.app, parent.name);
      if (input.unreadMigrations?.has(parentKey)) record(key, entry, 'dependencies', { status: 'ignored' });
      else addEdge(key, entry, 'dependencies', key, parentKey);
    }
  }

  function addExternalDependencies(key: MigrationKey, migration: Migration): void {
    for (const entry of migration.parsed.dependencies) {
      const parent = resolveTarget(entry);
      if (!parent) {
        if (entry.target.kind === 'swappable') {
          record(key, entry, 'dependencies', { status: 'unresolved', setting: entry.target.setting });
        }
        continue;
      }
      if (parent.app === migration.appLabel) continue;
      const resolution = checkKey(parent.app, parent.name, migration.appLabel, key);
      if (resolution.status === 'edge') addEdge(key, entry, 'dependencies', key, resolution.key);
      else record(key, entry, 'dependencies', resolution);
    }
    for (const entry of migration.parsed.runBefore) {
      const resolution = checkKey(entry.app, entry.name, migration.appLabel, key);
      if (resolution.status === 'edge') addEdge(key, entry, 'run_before', resolution.key, key);
      else record(key, entry, 'run_before', resolution);
    }
  }

  function addEdge(
    key: MigrationKey,
    entry: DependencyEntry | MigrationKeyEntry,
    attribute: 'dependencies' | 'run_before',
    child: MigrationKey,
    parent: MigrationKey,
  ): void {
    const target = attribute === 'dependencies' ? parent : child;
    const existed = graph.nodes.has(target);
    graph.addDependency(key, child, parent);
    record(key, entry, attribute, existed ? { status: 'edge', key: target } : { status: 'missing', key: target });
  }

  function record(
    key: MigrationKey,
    entry: DependencyEntry | MigrationKeyEntry,
    attribute: 'dependencies' | 'run_before',
    resolution: DependencyResolution,
  ): void {
    dependencies.get(key)!.push({ entry, attribute, resolution });
  }

  /** The `(app, name)` a dependency entry names; swappable ones through their setting. */
  function resolveTarget(entry: DependencyEntry): { app: string; name: string } | undefined {
    const target = entry.target;
    if (target.kind === 'key') return target;
    const model = input.swappableSettings.get(target.setting);
    if (!model) return undefined;
    return { app: model.split('.', 1)[0], name: '__first__' };
  }

  /** Django's `check_key`: resolve `__first__` / `__latest__` and judge the app. */
  function checkKey(app: string, name: string, currentApp: string, origin: MigrationKey): DependencyResolution {
    const key = migrationKey(app, name);
    if (input.unreadMigrations?.has(key)) return { status: 'ignored' };
    if ((name !== '__first__' && name !== '__latest__') || graph.nodes.has(key)) {
      if (!input.migratedApps.has(app) && !input.unmigratedApps.has(app) && isExternal(app)) {
        return { status: 'external', app, name };
      }
      return { status: 'edge', key };
    }
    if (app === currentApp) return { status: 'ignored' };
    if (input.unmigratedApps.has(app)) return { status: 'ignored' };
    if (input.migratedApps.has(app)) {
      const found = name === '__first__' ? graph.rootNodes(app)[0] : graph.leafNodes(app)[0];
      if (found) return { status: 'edge', key: found };
      return valueError(app, `Dependency on app with no migrations: ${app}`, origin);
    }
    if (isExternal(app)) return { status: 'external', app, name };
    return valueError(app, `Dependency on unknown app: ${app}`, origin);
  }

  function isExternal(app: string): boolean {
    return input.externalApps.has(app) || input.externalApps.has('*');
  }

  function valueError(app: string, message: string, origin: MigrationKey): DependencyResolution {
    const error: MigrationGraphError = { type: 'ValueError', message, app, origin };
    errors.push(error);
    return { status: 'error', error };
  }

  /**
   * Django's clearer message for a node that a squash would have replaced, had the squash not
   * been partly applied (ticket #23556).
   */
  function explainUnreplacedNode(error: NodeNotFoundError): NodeNotFoundError {
    const candidates = [...replacements]
      .filter(([, migration]) => migration.parsed.replaces.some((r) => migrationKey(r.app, r.name) === error.node))
      .map(([key]) => key);
    if (candidates.length === 0 || candidates.some((candidate) => graph.nodes.has(candidate))) return error;
    const [app, name] = splitMigrationKey(error.node);
    return {
      ...error,
      message:
        `Migration ${error.origin} depends on nonexistent node ('${app}', '${name}'). ` +
        `Django tried to replace migration ${app}.${name} with any of [${candidates.join(', ')}] ` +
        `but wasn't able to because some of the replaced migrations are already applied.`,
    };
  }
}

function latestAppliedTime(keys: readonly MigrationKey[], applied: ReadonlyMap<MigrationKey, string | null>): string | null {
  let latest: string | null = null;
  for (const key of keys) {
    const time = applied.get(key) ?? null;
    if (time !== null && (latest === null || time > latest)) latest = time;
  }
  return latest;
}

/**
 * Django's `MigrationLoader.detect_conflicts`: apps with more than one leaf node, each with its
 * leaves sorted.
 */
export function detectConflicts(graph: MigrationGraph): Map<string, string[]> {
  const conflicts = new Map<string, string[]>();
  for (const [app, leaves] of graph.leafNodesByApp()) {
    if (leaves.length > 1) conflicts.set(app, leaves.map((key) => splitMigrationKey(key)[1]).sort());
  }
  return conflicts;
}

/**
 * The loader result with one migration's text replaced, without rebuilding the graph, when the
 * edit leaves everything the graph depends on as it was (dependencies, replaces, run_before):
 * the common case of typing inside operations. Undefined when the graph must be rebuilt.
 */
export function replaceMigrationSource(loaded: LoaderResult, migration: Migration): LoaderResult | undefined {
  const key = migrationKey(migration.appLabel, migration.name);
  const previous = loaded.diskMigrations.get(key);
  if (!previous || graphSignature(previous) !== graphSignature(migration)) return undefined;
  const diskMigrations = OverlayMap.replace(loaded.diskMigrations, key, migration);
  const replacements = loaded.replacements.has(key) ? OverlayMap.replace(loaded.replacements, key, migration) : loaded.replacements;
  if (loaded.graph.nodes.get(key)) loaded.graph.nodes.set(key, migration);
  // Same entries in the same order: only their source ranges can have moved.
  const entryFor = (entry: DependencyEntry | MigrationKeyEntry, attribute: 'dependencies' | 'run_before') => {
    const before: readonly (DependencyEntry | MigrationKeyEntry)[] =
      attribute === 'dependencies' ? previous.parsed.dependencies : previous.parsed.runBefore;
    const after: readonly (DependencyEntry | MigrationKeyEntry)[] =
      attribute === 'dependencies' ? migration.parsed.dependencies : migration.parsed.runBefore;
    return after[before.indexOf(entry)] ?? entry;
  };
  const dependencies = OverlayMap.replace(
    loaded.dependencies,
    key,
    (loaded.dependencies.get(key) ?? []).map((resolved) => ({ ...resolved, entry: entryFor(resolved.entry, resolved.attribute) })),
  );
  return { ...loaded, diskMigrations, replacements, dependencies };
}

/** What the graph reads from a migration, as one comparable string. */
function graphSignature(migration: Migration): string {
  const { dependencies, replaces, runBefore, hasMigrationClass } = migration.parsed;
  return JSON.stringify([
    hasMigrationClass,
    dependencies.map((d) => (d.target.kind === 'key' ? [d.target.app, d.target.name] : [d.target.setting])),
    replaces.map((r) => [r.app, r.name]),
    runBefore.map((r) => [r.app, r.name]),
  ]);
}

/**
 * The loader result for another set of applied migrations, without rebuilding the graph, when
 * every squash keeps its place in it: Django uses a squash unless only part of what it replaces
 * is applied, so the graph changes only when a squash becomes partly applied or stops being
 * so. Undefined when the graph must be rebuilt.
 */
export function replaceAppliedMigrations(
  loaded: LoaderResult,
  applied: ReadonlyMap<MigrationKey, string | null>,
): LoaderResult | undefined {
  const appliedMigrations = new Map(applied);
  for (const [key, migration] of loaded.replacements) {
    const replaced = migration.parsed.replaces.map((r) => migrationKey(r.app, r.name));
    const appliedCount = replaced.filter((target) => applied.has(target)).length;
    const partly = appliedCount > 0 && appliedCount < replaced.length;
    if (partly !== loaded.partiallyAppliedSquashes.has(key)) return undefined;
    if (appliedCount === replaced.length) appliedMigrations.set(key, latestAppliedTime(replaced, applied));
    else appliedMigrations.delete(key);
  }
  return { ...loaded, appliedMigrations };
}

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
