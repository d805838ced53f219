import { MigrationGraphError } from './exceptions';
import { DummyNode, MigrationGraph, Node, nonexistentNodeMessage } from './graph';
import { DependencyResolution, LoaderInput, LoaderResult, ResolvedDependency } from './loader';
import { DependencyEntry, Migration, MigrationKey, migrationKey, splitMigrationKey } from './migration';
import { OverlayMap } from './overlayMap';

/** What resolving a dependency needs besides the graph: the loader's input without the migrations. */
export type DependencyContext = Pick<
  LoaderInput,
  'migratedApps' | 'unmigratedApps' | 'externalApps' | 'swappableSettings' | 'unreadMigrations'
>;

export interface DependencyEdit {
  readonly loaded: LoaderResult;
  /** Migrations whose resolved dependencies changed: the edited one, and those that became or stopped being the first to name a missing node. */
  readonly changedMigrations: ReadonlySet<MigrationKey>;
  /** Apps whose leaves or missing nodes may have changed, each to its leaves' names, sorted. */
  readonly changedApps: ReadonlyMap<string, string[]>;
  /** Apps with a missing node. */
  readonly missingNodeApps: ReadonlySet<string>;
  /** False when the graph had no cycle and still has none. */
  readonly cyclic: boolean;
}

/**
 * What `buildGraph` would give after one migration's `dependencies` changed, made by moving that
 * migration's edges rather than rebuilding the graph, in the cases where the result is provably
 * the same: the migration neither squashes nor is squashed, names no squash nor squashed
 * migration, has no `run_before` and is named by none, names no `__first__`/`__latest__` nor
 * swappable dependency, and no other app names its app by `__first__`/`__latest__` (whose
 * answer its edges could change). Undefined otherwise: the caller rebuilds.
 *
 * The bookkeeping Django's order gives a rebuild is kept: a missing node is created by the
 * first reference in the loader's order (same-app dependencies of every migration, then the
 * others), so its origin, its message, the order of the errors and which reference reads as
 * `missing` rather than `edge` follow that reference.
 */
export function replaceMigrationDependencies(
  loaded: LoaderResult,
  migration: Migration,
  context: DependencyContext,
): DependencyEdit | undefined {
  const key = migrationKey(migration.appLabel, migration.name);
  const app = migration.appLabel;
  const previous = loaded.diskMigrations.get(key);
  const node = loaded.graph.nodeMap.get(key);
  if (!previous || !node || !loaded.graph.nodes.get(key) || !migration.parsed.hasMigrationClass) return undefined;
  if (previous.parsed.replaces.length > 0 || migration.parsed.replaces.length > 0) return undefined;
  if (previous.parsed.runBefore.length > 0 || migration.parsed.runBefore.length > 0) return undefined;
  if (JSON.stringify(previous.parsed.classNameRange) !== JSON.stringify(migration.parsed.classNameRange)) return undefined;
  if (![...previous.parsed.dependencies, ...migration.parsed.dependencies].every(plainKey)) return undefined;
  const index = graphIndex(loaded, context);
  if (index.replaced.has(key) || index.runBeforeTargets.has(key) || index.namedByFirstOrLatest.has(app)) return undefined;

  const oldResolved = loaded.dependencies.get(key) ?? [];
  const resolved = resolve(migration, context);
  const targets = [...oldResolved, ...resolved].flatMap((dependency) => edgeTarget(dependency) ?? []);
  if (targets.some((target) => index.replaced.has(target) || loaded.replacements.has(target))) return undefined;

  const graph = new MigrationGraph(loaded.graph.nodeMap, loaded.graph.nodes);
  const changedApps = new Set([app, ...targets.map((target) => splitMigrationKey(target)[0])]);
  const affectedDummies = new Set<MigrationKey>();
  // The edited migration's parents are exactly its dependencies' targets (it is named by no run_before).
  for (const parent of node.parents) {
    parent.children.delete(node);
    if (parent instanceof DummyNode) {
      index.dummyReferences.get(parent.key)!.delete(key);
      affectedDummies.add(parent.key);
    }
  }
  node.parents.clear();
  const addedParents: Node[] = [];
  for (const dependency of resolved) {
    const target = edgeTarget(dependency);
    if (target === undefined) continue;
    let parent = graph.nodeMap.get(target);
    if (!parent) {
      parent = new DummyNode(target, key, nonexistentNodeMessage(key, target, 'parent'));
      graph.nodeMap.set(target, parent);
      graph.nodes.set(target, null);
      index.dummyReferences.set(target, new Set());
    }
    if (parent instanceof DummyNode) {
      index.dummyReferences.get(target)!.add(key);
      affectedDummies.add(target);
    }
    node.parents.add(parent);
    parent.children.add(node);
    addedParents.push(parent);
  }

  // Which reference to each missing node comes first, and so reads as `missing`.
  const changed = new Map<MigrationKey, ResolvedDependency[]>([[key, resolved]]);
  const resolvedOf = (referrer: MigrationKey) => changed.get(referrer) ?? loaded.dependencies.get(referrer) ?? [];
  let dummiesMoved = false;
  for (const dummyKey of affectedDummies) {
    const referrers = index.dummyReferences.get(dummyKey)!;
    const dummy = graph.nodeMap.get(dummyKey) as DummyNode;
    if (referrers.size === 0) {
      graph.nodeMap.delete(dummyKey);
      graph.nodes.delete(dummyKey);
      index.dummyReferences.delete(dummyKey);
      index.firstReference.delete(dummyKey);
      continue;
    }
    let first: { position: number[]; referrer: MigrationKey; dependency: ResolvedDependency } | undefined;
    for (const referrer of referrers) {
      resolvedOf(referrer).forEach((dependency, entryIndex) => {
        if (edgeTarget(dependency) !== dummyKey) return;
        const position = referencePosition(referrer, dependency, entryIndex, index.diskOrder);
        if (!first || comparePositions(position, first.position) < 0) first = { position, referrer, dependency };
      });
    }
    const { position, referrer, dependency } = first!;
    const before = index.firstReference.get(dummyKey);
    if (!before || comparePositions(before, position) !== 0) dummiesMoved = true;
    index.firstReference.set(dummyKey, position);
    dummy.origin = referrer;
    dummy.errorMessage = nonexistentNodeMessage(referrer, dummyKey, dependency.attribute === 'dependencies' ? 'parent' : 'child');
    for (const other of referrers) {
      const list = resolvedOf(other);
      const relabelled = list.map((entry): ResolvedDependency => {
        if (edgeTarget(entry) !== dummyKey) return entry;
        const status: 'missing' | 'edge' = entry === dependency ? 'missing' : 'edge';
        return entry.resolution.status === status ? entry : { ...entry, resolution: { status, key: dummyKey } };
      });
      if (relabelled.some((entry, i) => entry !== list[i])) changed.set(other, relabelled);
    }
  }

  // Dummy nodes follow the real ones, in the order of their first references, as a rebuild adds them.
  const dummies = [...index.firstReference].sort(([, a], [, b]) => comparePositions(a, b)).map(([dummyKey]) => dummyKey);
  if (dummiesMoved) {
    for (const dummyKey of dummies) {
      const dummy = graph.nodeMap.get(dummyKey)!;
      graph.nodeMap.delete(dummyKey);
      graph.nodes.delete(dummyKey);
      graph.nodeMap.set(dummyKey, dummy);
      graph.nodes.set(dummyKey, null);
    }
  }
  graph.nodes.set(key, migration);

  let dependencies = loaded.dependencies;
  for (const [changedKey, list] of changed) dependencies = OverlayMap.replace(dependencies, changedKey, list);

  const hadCycle = loaded.errors.some((error) => error.type === 'CircularDependencyError');
  const cyclic = hadCycle || closesCycle(node, addedParents);
  const cycle = cyclic ? graph.ensureNotCyclic() : undefined;
  const oldDummyErrors = new Map<MigrationKey, MigrationGraphError>();
  for (const error of loaded.errors) if (isDummyError(error)) oldDummyErrors.set(error.node, error);
  const errors: MigrationGraphError[] = loaded.errors.filter((error) => !isDummyError(error) && error.type !== 'CircularDependencyError');
  for (const dummyKey of dummies) {
    const dummy = graph.nodeMap.get(dummyKey) as DummyNode;
    errors.push(affectedDummies.has(dummyKey) ? dummy.error() : (oldDummyErrors.get(dummyKey) ?? dummy.error()));
  }
  if (cycle) errors.push(cycle);

  return {
    loaded: {
      ...loaded,
      graph,
      diskMigrations: OverlayMap.replace(loaded.diskMigrations, key, migration),
      dependencies,
      errors,
    },
    changedMigrations: new Set(changed.keys()),
    changedApps: new Map([...changedApps].map((changedApp) => [changedApp, appLeaves(changedApp, index, dummies, graph)])),
    missingNodeApps: new Set(dummies.map((dummyKey) => splitMigrationKey(dummyKey)[0])),
    cyclic: hadCycle || cycle !== undefined,
  };
}

/** A dependency on a named migration, neither swappable nor `__first__`/`__latest__`. */
function plainKey(entry: DependencyEntry): boolean {
  return entry.target.kind === 'key' && entry.target.name !== '__first__' && entry.target.name !== '__latest__';
}

/** The `buildGraph` resolutions of a migration's plain dependencies: its own app's first, then the others (`check_key`). */
function resolve(migration: Migration, context: DependencyContext): ResolvedDependency[] {
  const internal: ResolvedDependency[] = [];
  const external: ResolvedDependency[] = [];
  for (const entry of migration.parsed.dependencies) {
    if (entry.target.kind !== 'key') continue;
    const { app, name } = entry.target;
    const target = migrationKey(app, name);
    let resolution: DependencyResolution;
    if (context.unreadMigrations?.has(target)) resolution = { status: 'ignored' };
    else if (
      app !== migration.appLabel &&
      !context.migratedApps.has(app) &&
      !context.unmigratedApps.has(app) &&
      (context.externalApps.has(app) || context.externalApps.has('*'))
    ) {
      resolution = { status: 'external', app, name };
    }
    // `missing` or `edge` for a missing node is settled once every reference to it is known.
    else resolution = { status: 'edge', key: target };
    (app === migration.appLabel ? internal : external).push({ entry, attribute: 'dependencies', resolution });
  }
  return [...internal, ...external];
}

function edgeTarget({ resolution }: ResolvedDependency): MigrationKey | undefined {
  return resolution.status === 'edge' || resolution.status === 'missing' ? resolution.key : undefined;
}

/** Where the loader meets a reference: its pass (same-app dependencies first), the migration's place on disk, the entry's. */
function referencePosition(
  referrer: MigrationKey,
  dependency: ResolvedDependency,
  entryIndex: number,
  diskOrder: ReadonlyMap<MigrationKey, number>,
): number[] {
  const internal =
    dependency.attribute === 'dependencies' && splitMigrationKey(edgeTarget(dependency)!)[0] === splitMigrationKey(referrer)[0];
  return [internal ? 0 : 1, diskOrder.get(referrer)!, entryIndex];
}

function comparePositions(a: readonly number[], b: readonly number[]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function isDummyError(error: MigrationGraphError): error is MigrationGraphError & { type: 'NodeNotFoundError'; origin: MigrationKey } {
  return error.type === 'NodeNotFoundError' && error.origin !== undefined;
}

/** Django's `leaf_nodes(app)`, by name: the app's nodes, missing ones included, with no child in the app. */
function appLeaves(app: string, index: GraphIndex, dummies: readonly MigrationKey[], graph: MigrationGraph): string[] {
  const leaves: string[] = [];
  // The app's nodes: its migrations still in the graph (a squash may have taken some out), and its missing nodes.
  const keys = [...(index.appMigrations.get(app) ?? []).filter((key) => graph.nodes.get(key)), ...dummies];
  for (const key of keys) {
    const node = graph.nodeMap.get(key)!;
    if (node.app !== app) continue;
    let inApp = false;
    for (const child of node.children) {
      if (child.app === app) {
        inApp = true;
        break;
      }
    }
    if (!inApp) leaves.push(node.name);
  }
  return leaves.sort();
}

/** True when a new parent of `node` is among its descendants: the graph was acyclic, so only such an edge can close a cycle. */
function closesCycle(node: Node, parents: readonly Node[]): boolean {
  if (parents.length === 0) return false;
  const wanted = new Set(parents);
  if (wanted.has(node)) return true;
  const seen = new Set<Node>([node]);
  const stack: Node[] = [node];
  while (stack.length > 0) {
    for (const child of stack.pop()!.children) {
      if (wanted.has(child)) return true;
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  return false;
}

/** What a dependency edit consults about the rest of the project, made once per built graph. */
interface GraphIndex {
  readonly diskOrder: ReadonlyMap<MigrationKey, number>;
  /** Each app's migrations on disk, in order: an edit neither adds nor removes one. */
  readonly appMigrations: ReadonlyMap<string, readonly MigrationKey[]>;
  /** Keys some squash replaces. */
  readonly replaced: ReadonlySet<MigrationKey>;
  /** Keys some `run_before` names. */
  readonly runBeforeTargets: ReadonlySet<MigrationKey>;
  /** Apps another app names by `__first__` or `__latest__` (swappable dependencies included). */
  readonly namedByFirstOrLatest: ReadonlySet<string>;
  /** Each missing node, the migrations that name it, and where the first reference is. */
  readonly dummyReferences: Map<MigrationKey, Set<MigrationKey>>;
  readonly firstReference: Map<MigrationKey, number[]>;
}

/** By node map: a dependency edit keeps the node map (and updates the index with it). */
const indexes = new WeakMap<ReadonlyMap<MigrationKey, Node>, GraphIndex>();

/** Makes what a dependency edit consults ahead of the first edit, which then takes only its own time. */
export function prepareDependencyEdits(loaded: LoaderResult, context: DependencyContext): void {
  graphIndex(loaded, context);
}

function graphIndex(loaded: LoaderResult, context: DependencyContext): GraphIndex {
  const cached = indexes.get(loaded.graph.nodeMap);
  if (cached) return cached;
  const diskOrder = new Map<MigrationKey, number>();
  const replaced = new Set<MigrationKey>();
  for (const squash of loaded.replacements.values()) {
    for (const entry of squash.parsed.replaces) replaced.add(migrationKey(entry.app, entry.name));
  }
  const runBeforeTargets = new Set<MigrationKey>();
  const namedByFirstOrLatest = new Set<string>();
  const appMigrations = new Map<string, MigrationKey[]>();
  for (const [key, migration] of loaded.diskMigrations) {
    diskOrder.set(key, diskOrder.size);
    const inApp = appMigrations.get(migration.appLabel);
    if (inApp) inApp.push(key);
    else appMigrations.set(migration.appLabel, [key]);
    for (const entry of migration.parsed.runBefore) {
      runBeforeTargets.add(migrationKey(entry.app, entry.name));
      if (entry.name === '__first__' || entry.name === '__latest__') namedByFirstOrLatest.add(entry.app);
    }
    for (const { target } of migration.parsed.dependencies) {
      if (target.kind === 'swappable') {
        const model = context.swappableSettings.get(target.setting);
        if (model) namedByFirstOrLatest.add(model.split('.', 1)[0]);
      } else if (target.name === '__first__' || target.name === '__latest__') namedByFirstOrLatest.add(target.app);
    }
  }
  const dummyReferences = new Map<MigrationKey, Set<MigrationKey>>();
  const firstReference = new Map<MigrationKey, number[]>();
  for (const node of loaded.graph.nodeMap.values()) if (node instanceof DummyNode) dummyReferences.set(node.key, new Set());
  for (const [referrer, list] of dummyReferences.size > 0 ? loaded.dependencies : []) {
    list.forEach((dependency, entryIndex) => {
      const target = edgeTarget(dependency);
      const referrers = target === undefined ? undefined : dummyReferences.get(target);
      if (!referrers) return;
      referrers.add(referrer);
      const position = referencePosition(referrer, dependency, entryIndex, diskOrder);
      const first = firstReference.get(target!);
      if (!first || comparePositions(position, first) < 0) firstReference.set(target!, position);
    });
  }
  const index = { diskOrder, appMigrations, replaced, runBeforeTargets, namedByFirstOrLatest, dummyReferences, firstReference };
  indexes.set(loaded.graph.nodeMap, index);
  return index;
}
