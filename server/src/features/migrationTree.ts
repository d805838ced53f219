import { djangoAtLeast, DjangoVersion, NEWEST_LTS } from '../core/djangoVersion';
import { MigrationGraph } from '../core/graph';
import { detectConflicts, LoaderResult } from '../core/loader';
import { MigrationKey, migrationKey, splitMigrationKey } from '../core/migration';
import { AppliedMigration } from '../db/recorder';
import { DjangoApp } from '../project/djangoProject';
import { AppMigrationState, MigrationNodeState, MigrationState } from '../../../protocol/index';
import { AppliedState, appliedState } from '../databases/appliedState';
import { showMigrationsOrder } from '../core/showMigrationsOrder';

export interface MigrationTreeInput {
  readonly alias: string;
  /** The loader's result with this database's applied migrations (squashes replaced as Django does). */
  readonly loaded: LoaderResult;
  /** The rows of this database's `django_migrations`, in the table's order; empty without a table. */
  readonly rows: readonly AppliedMigration[];
  /** The project's apps; those with a migrations package are Django's `migrated_apps`. */
  readonly apps: readonly DjangoApp[];
  /** Apps whose migrations were not read (`'*'`: any unknown app): their rows are shown as they are. */
  readonly externalApps: ReadonlySet<string>;
  /** The project's Django: which marks showmigrations gives (default: the newest LTS). */
  readonly djangoVersion?: DjangoVersion;
  /** What `alias`, `loaded` and `rows` say, when already computed. */
  readonly applied?: AppliedState;
}

/**
 * The mark `showmigrations` gives a listed migration. From Django 4.0 a squash counted as applied
 * only through the rows of what it replaces is `-`: "Run 'manage.py migrate' to finish recording."
 */
export function showmigrationsMark(
  node: { readonly applied: boolean; readonly recorded: boolean; readonly squashed: boolean },
  version: DjangoVersion,
): 'X' | '-' | ' ' {
  if (!node.applied) return ' ';
  return !node.recorded && node.squashed && djangoAtLeast(version, 4, 0) ? '-' : 'X';
}

export interface MigrationTree {
  /** Sorted by label, as showmigrations sorts them. */
  readonly apps: readonly AppMigrationState[];
  readonly unapplied: number;
  readonly consistencyError?: string;
}

/**
 * One database's migrations as `manage.py showmigrations` lists them, with the marks it gives
 * (`applied`: a squash counts only once everything it replaces is applied), and what it does not
 * show: the migrations a squash replaces (as its children), squashes Django cannot use because
 * only part of what they replace is applied, rows whose file is gone, conflicting leaves and
 * Django's `check_consistent_history` for each applied migration.
 */
export function buildMigrationTree(input: MigrationTreeInput): MigrationTree {
  const state = input.applied ?? appliedState(input.alias, input.loaded, input.rows);
  const { loaded, history } = state;
  const facts = graphFacts(loaded, input.apps);
  const recordedAt = state.recorded;
  const unappliedDependencies = new Map(history.inconsistent.map((entry) => [entry.migration, entry.unappliedDependencies]));

  const node = (key: MigrationKey, listed: boolean): MigrationNodeState => {
    const graphNode = loaded.graph.nodeMap.get(key);
    const [app, name] = graphNode ? [graphNode.app, graphNode.name] : splitMigrationKey(key);
    const applied = loaded.appliedMigrations.has(key);
    const squash = facts.replacedKeys.get(key);
    const missing = unappliedDependencies.get(key);
    const conflicting = facts.conflicting.has(key);
    const state: MigrationState = missing
      ? 'inconsistent'
      : conflicting
        ? 'conflicting'
        : squash
          ? 'squashed'
          : applied
            ? 'applied'
            : 'unapplied';
    const entry: Mutable<MigrationNodeState> = {
      app,
      name,
      state,
      applied,
      recorded: recordedAt.has(key),
      listed,
      dependents: facts.dependents.get(key) ?? 0,
    };
    const file = loaded.diskMigrations.get(key)?.path;
    if (file) entry.file = file;
    const appliedAt = recordedAt.get(key) ?? (applied ? loaded.appliedMigrations.get(key) : undefined);
    if (appliedAt != null) entry.appliedAt = appliedAt;
    if (squash) {
      const inGraph = loaded.graph.nodes.has(key);
      let appliedReplaced = 0;
      for (const replaced of squash) if (recordedAt.has(replaced)) appliedReplaced++;
      entry.squash = { replaces: squash.length, appliedReplaced, inGraph };
      if (showmigrationsMark({ applied, recorded: entry.recorded, squashed: true }, input.djangoVersion ?? NEWEST_LTS) === '-')
        entry.finishRecording = true;
      if (inGraph) entry.children = squash.map((replaced) => replacedNode(replaced, name));
    }
    if (conflicting) entry.conflicting = true;
    if (missing) entry.unappliedDependencies = missing;
    return entry;
  };

  const replacedNode = (key: MigrationKey, squashName: string): MigrationNodeState => {
    const [app, name] = splitMigrationKey(key);
    const appliedAt = recordedAt.get(key);
    const recorded = appliedAt !== undefined;
    const entry: Mutable<MigrationNodeState> = {
      app,
      name,
      state: 'replaced',
      applied: recorded,
      recorded,
      listed: false,
      dependents: facts.dependents.get(key) ?? 0,
      replacedBy: squashName,
    };
    const file = loaded.diskMigrations.get(key)?.path;
    if (file) entry.file = file;
    if (recorded && appliedAt !== null) entry.appliedAt = appliedAt;
    return entry;
  };

  const apps: AppMigrationState[] = [];
  const recordedByApp = groupByApp(recordedAt.keys(), false);
  for (const app of facts.migratedApps) {
    const listedKeys = facts.order.get(app) ?? [];
    const migrations = listedKeys.map((key) => node(key, true));
    for (const key of facts.unlisted.get(app) ?? []) {
      // A squash Django cannot use goes after the last of its replaced migrations that is listed.
      const replaced = facts.replacedKeys.get(key) ?? [];
      let after = -1;
      for (const target of replaced)
        after = Math.max(
          after,
          migrations.findIndex((entry) => migrationKey(entry.app, entry.name) === target),
        );
      const entry = node(key, false);
      if (after >= 0) migrations.splice(after + 1, 0, entry);
      else migrations.push(entry);
    }
    for (const key of recordedByApp.get(app) ?? []) {
      if (!state.withoutFile.has(key)) continue;
      migrations.push({
        app,
        name: splitMigrationKey(key)[1],
        state: 'missingFile',
        applied: true,
        recorded: true,
        appliedAt: recordedAt.get(key) ?? undefined,
        listed: false,
        dependents: 0,
      });
    }
    let listed = 0;
    let applied = 0;
    for (const entry of migrations) {
      if (!entry.listed) continue;
      listed++;
      if (entry.applied) applied++;
    }
    apps.push({ app, external: false, migrations, applied, unapplied: listed - applied });
  }

  // Rows of apps whose migrations were not read: shown as recorded, nothing known to be missing.
  for (const [app, keys] of recordedByApp) {
    if (facts.migratedAppSet.has(app) || !(input.externalApps.has(app) || input.externalApps.has('*'))) continue;
    const migrations = keys.map((key): MigrationNodeState => {
      const name = splitMigrationKey(key)[1];
      return {
        app,
        name,
        state: 'applied',
        applied: true,
        recorded: true,
        appliedAt: recordedAt.get(key) ?? undefined,
        listed: false,
        dependents: 0,
      };
    });
    apps.push({ app, external: true, migrations, applied: migrations.length, unapplied: 0 });
  }
  apps.sort((a, b) => (a.app < b.app ? -1 : a.app > b.app ? 1 : 0));

  return {
    apps,
    unapplied: apps.reduce((sum, app) => sum + app.unapplied, 0),
    ...(history.error ? { consistencyError: history.error } : {}),
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What the tree needs of a graph whatever is applied: computed once per graph (and set of apps). */
interface GraphFacts {
  readonly apps: readonly DjangoApp[];
  /** Django's `migrated_apps`, sorted. */
  readonly migratedApps: readonly string[];
  readonly migratedAppSet: ReadonlySet<string>;
  /** Each app's showmigrations list. */
  readonly order: ReadonlyMap<string, MigrationKey[]>;
  /** Each app's migrations on disk that are neither listed nor shown under their squash. */
  readonly unlisted: ReadonlyMap<string, MigrationKey[]>;
  readonly conflicting: ReadonlySet<MigrationKey>;
  readonly dependents: ReadonlyMap<MigrationKey, number>;
  /** Squash to the keys it replaces. */
  readonly replacedKeys: ReadonlyMap<MigrationKey, MigrationKey[]>;
  /** Replaced key to its squash. */
  readonly replacedBy: ReadonlyMap<MigrationKey, MigrationKey>;
}

/**
 * By graph: the graph is kept (and so are these) while a database's rows change without moving
 * a squash in or out of it (`replaceAppliedMigrations`).
 */
const factsByGraph = new WeakMap<MigrationGraph, GraphFacts>();

function graphFacts(loaded: LoaderResult, apps: readonly DjangoApp[]): GraphFacts {
  const cached = factsByGraph.get(loaded.graph);
  if (cached && cached.apps === apps) return cached;
  const migratedAppSet = new Set(apps.filter((app) => app.migrationsDirectory !== undefined).map((app) => app.label));
  for (const migration of loaded.diskMigrations.values()) migratedAppSet.add(migration.appLabel);
  const migratedApps = [...migratedAppSet].sort();
  const cyclic = loaded.errors.some((error) => error.type === 'CircularDependencyError');
  const order = showMigrationsOrder(loaded.graph, migratedApps, !cyclic);
  const conflicting = new Set([...detectConflicts(loaded.graph)].flatMap(([app, names]) => names.map((name) => migrationKey(app, name))));
  const replacedKeys = new Map<MigrationKey, MigrationKey[]>();
  const replacedBy = new Map<MigrationKey, MigrationKey>();
  for (const [squash, migration] of loaded.replacements) {
    const keys = migration.parsed.replaces.map((replaced) => migrationKey(replaced.app, replaced.name));
    replacedKeys.set(squash, keys);
    for (const key of keys) replacedBy.set(key, squash);
  }
  const listed = new Set([...order.values()].flat());
  const unlisted = new Map<string, MigrationKey[]>();
  for (const [app, keys] of groupByApp(loaded.diskMigrations.keys(), true)) {
    const squashShown = (key: MigrationKey) => {
      const squash = replacedBy.get(key);
      return squash !== undefined && loaded.graph.nodes.has(squash);
    };
    unlisted.set(
      app,
      keys.filter((key) => !listed.has(key) && !squashShown(key)),
    );
  }
  const facts: GraphFacts = {
    apps,
    migratedApps,
    migratedAppSet,
    order,
    unlisted,
    conflicting,
    dependents: countDependents(loaded, replacedBy),
    replacedKeys,
    replacedBy,
  };
  factsByGraph.set(loaded.graph, facts);
  return facts;
}

/**
 * How many migrations depend on each one: its `dependencies` children and its `run_before`
 * targets. A dependency on a migration a squash replaces counts for the squash too, when Django
 * uses the squash (it remaps the edge to it).
 */
function countDependents(loaded: LoaderResult, replacedBy: ReadonlyMap<MigrationKey, MigrationKey>): Map<MigrationKey, number> {
  const dependents = new Map<MigrationKey, Set<MigrationKey>>();
  const add = (parent: MigrationKey, child: MigrationKey) => {
    let set = dependents.get(parent);
    if (!set) dependents.set(parent, (set = new Set()));
    set.add(child);
    const squash = replacedBy.get(parent);
    if (
      squash !== undefined &&
      squash !== child &&
      loaded.graph.nodes.has(squash) &&
      !loaded.graph.nodes.has(parent) &&
      replacedBy.get(child) !== squash
    )
      add(squash, child);
  };
  for (const [key, resolved] of loaded.dependencies) {
    for (const dependency of resolved) {
      if (dependency.resolution.status !== 'edge') continue;
      if (dependency.attribute === 'dependencies') add(dependency.resolution.key, key);
      else add(key, dependency.resolution.key);
    }
  }
  return new Map([...dependents].map(([key, set]) => [key, set.size]));
}

/** Keys by app label, in the order given or sorted by name. */
function groupByApp(keys: Iterable<MigrationKey>, sort: boolean): Map<string, MigrationKey[]> {
  const byApp = new Map<string, MigrationKey[]>();
  for (const key of keys) {
    const app = splitMigrationKey(key)[0];
    const list = byApp.get(app);
    if (list) list.push(key);
    else byApp.set(app, [key]);
  }
  if (sort) for (const list of byApp.values()) list.sort();
  return byApp;
}
