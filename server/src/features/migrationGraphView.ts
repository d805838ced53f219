import { MigrationExecutor } from '../core/executor';
import { detectConflicts, LoaderResult } from '../core/loader';
import { MigrationKey, migrationKey, splitMigrationKey } from '../core/migration';
import { DjangoApp } from '../project/djangoProject';
import { IndexedTree } from './databaseTree';
import {
  MigrationGraphApp,
  MigrationGraphEdge,
  MigrationGraphNode,
  MigrationGraphNodeState,
  MigrationGraphPlanAnswer,
} from '../../../protocol/index';

export interface MigrationGraphInput {
  /** The loader's result with the alias's applied migrations (squashes replaced as Django does). */
  readonly loaded: LoaderResult;
  /** The alias's tree; undefined while its database cannot be read. */
  readonly tree: IndexedTree | undefined;
  readonly apps: readonly DjangoApp[];
  /** One app; undefined: every app of the project (installed packages left out). */
  readonly app?: string;
}

export interface MigrationGraphView {
  readonly apps: readonly MigrationGraphApp[];
  readonly nodes: readonly MigrationGraphNode[];
  readonly edges: readonly MigrationGraphEdge[];
}

/**
 * The graph view's nodes and edges: Django's graph of the chosen apps (after squash handling, as
 * `migrate` uses it), the migrations each squash replaces beside it, and the nodes of other apps
 * that a dependency crosses to, as `outside` nodes.
 */
export function migrationGraphView(input: MigrationGraphInput): MigrationGraphView {
  const { loaded, tree } = input;
  const graph = loaded.graph;
  const installed = new Set(input.apps.filter((app) => app.external).map((app) => app.label));
  const counts = new Map<string, number>();
  for (const key of graph.nodes.keys()) {
    const app = splitMigrationKey(key)[0];
    if (graph.nodes.get(key) !== null) counts.set(app, (counts.get(app) ?? 0) + 1);
  }
  const conflicts = detectConflicts(graph);
  const apps: MigrationGraphApp[] = [...counts.entries()]
    .map(([label, migrations]) => ({ label, migrations, conflicting: conflicts.has(label), installed: installed.has(label) }))
    .sort((a, b) => Number(a.installed) - Number(b.installed) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));

  const inScope = (app: string) => (input.app === undefined ? !installed.has(app) : app === input.app);
  const nodes = new Map<MigrationKey, MigrationGraphNode>();
  const edges: MigrationGraphEdge[] = [];
  const conflicting = new Set([...conflicts].flatMap(([app, names]) => names.map((name) => migrationKey(app, name))));

  const stateOf = (key: MigrationKey): { state: MigrationGraphNodeState; applied: boolean } => {
    const treeNode = tree?.byKey.get(key);
    if (treeNode) return { state: treeNode.state, applied: treeNode.applied };
    if (graph.nodes.get(key) === null) return { state: 'missing', applied: false };
    const applied = loaded.appliedMigrations.has(key);
    if (conflicting.has(key)) return { state: 'conflicting', applied };
    if (loaded.replacements.has(key)) return { state: 'squashed', applied };
    return { state: applied ? 'applied' : 'unapplied', applied };
  };
  const addNode = (key: MigrationKey, outside: boolean) => {
    if (nodes.has(key)) return;
    const [app, name] = splitMigrationKey(key);
    const { state, applied } = outside ? { state: 'outside' as const, applied: loaded.appliedMigrations.has(key) } : stateOf(key);
    const file = loaded.diskMigrations.get(key)?.path;
    nodes.set(key, { id: key, app, name, ...(file ? { file } : {}), state, applied });
  };

  for (const [key, node] of graph.nodeMap) {
    if (!inScope(node.app)) continue;
    addNode(key, false);
    for (const parent of node.parents) {
      if (!inScope(parent.app)) addNode(parent.key, true);
      edges.push({ from: parent.key, to: key, kind: 'dependency' });
    }
    for (const child of node.children) {
      if (inScope(child.app)) continue;
      addNode(child.key, true);
      edges.push({ from: key, to: child.key, kind: 'dependency' });
    }
  }

  // Squashes and what they replace: a replaced migration sits beside its squash, which Django
  // uses in its place (or the other way round, while only part of what it replaces is applied).
  for (const [squash, migration] of loaded.replacements) {
    if (!inScope(migration.appLabel)) continue;
    const replaced = migration.parsed.replaces.map((entry) => migrationKey(entry.app, entry.name));
    const squashInGraph = graph.nodes.has(squash);
    addNode(squash, false);
    for (const key of replaced) {
      if (!loaded.diskMigrations.has(key) && !graph.nodes.has(key)) continue;
      addNode(key, false);
      edges.push({ from: key, to: squash, kind: 'replaces' });
      if (squashInGraph) nodes.set(key, { ...nodes.get(key)!, state: 'replaced', replacedBy: squash });
    }
    nodes.set(squash, { ...nodes.get(squash)!, replaces: replaced });
  }
  // Dependencies among replaced migrations, which Django's graph no longer holds.
  for (const [key, node] of nodes) {
    if (node.replacedBy === undefined) continue;
    for (const dependency of loaded.dependencies.get(key) ?? []) {
      const resolution = dependency.resolution;
      if (resolution.status !== 'edge' || dependency.attribute !== 'dependencies' || !nodes.has(resolution.key)) continue;
      edges.push({ from: resolution.key, to: key, kind: 'dependency' });
    }
  }

  const unique = new Map(edges.map((edge) => [`${edge.from}>${edge.to}>${edge.kind}`, edge]));
  return { apps, nodes: [...nodes.values()], edges: [...unique.values()] };
}

/**
 * What `migrate app name` would apply or unapply from this alias's applied migrations: Django's
 * `migration_plan`. A replaced migration is reached through the squash Django uses instead.
 */
export function migrationGraphPlan(loaded: LoaderResult, app: string, name: string): MigrationGraphPlanAnswer {
  let target = migrationKey(app, name);
  if (!loaded.graph.nodes.has(target)) {
    for (const [squash, migration] of loaded.replacements) {
      if (loaded.graph.nodes.has(squash) && migration.parsed.replaces.some((entry) => migrationKey(entry.app, entry.name) === target))
        target = squash;
    }
  }
  const steps = new MigrationExecutor(loaded).migrationPlan([target]).map((step) => ({ id: step.key, backwards: step.backwards }));
  return { target, steps };
}
