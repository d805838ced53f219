import { compareNodes, MigrationGraph, Node } from './graph';
import { MigrationKey } from './migration';

/**
 * The order `manage.py showmigrations` lists each app's migrations in: for each leaf node of the
 * app (sorted), its forwards plan, keeping the app's nodes not shown yet.
 *
 * Django walks every plan through the whole graph, once per leaf of every app. The same list
 * comes out of one walk per app that shares its visited set between the app's leaves (a plan
 * contains all ancestors of its nodes, so a later plan only adds nodes the earlier ones lack)
 * and that skips nodes with no node of the app among their ancestors (they add nothing to the
 * app's list and only mark nodes that are skipped for the same reason). A cyclic graph has no
 * plans (Django raises CircularDependencyError first): its apps are listed by name.
 */
export function showMigrationsOrder(graph: MigrationGraph, apps: Iterable<string>, acyclic = true): Map<string, MigrationKey[]> {
  const wanted = [...new Set(apps)];
  const order = new Map<string, MigrationKey[]>();
  if (!acyclic) {
    for (const app of wanted)
      order.set(
        app,
        [...graph.nodes]
          .filter(([key, migration]) => migration && key.startsWith(`${app}.`))
          .map(([key]) => key)
          .sort(),
      );
    return order;
  }
  const leavesByApp = graph.leafNodesByApp();
  const ancestry = appAncestry(graph, wanted);
  for (const [index, app] of wanted.entries()) {
    const keep = (node: Node) => ancestry.has(node, index);
    const visited = new Set<Node>();
    const listed: MigrationKey[] = [];
    for (const leaf of leavesByApp.get(app) ?? []) {
      const start = graph.nodeMap.get(leaf);
      if (!start) continue;
      const stack: [Node, boolean][] = [[start, false]];
      while (stack.length > 0) {
        const [node, processed] = stack.pop()!;
        if (visited.has(node)) continue;
        if (processed) {
          visited.add(node);
          if (node.app === app && graph.nodes.get(node.key)) listed.push(node.key);
          continue;
        }
        stack.push([node, true]);
        const parents = [...node.parents].sort(compareNodes);
        for (const parent of parents) if (keep(parent)) stack.push([parent, false]);
      }
    }
    order.set(app, listed);
  }
  return order;
}

/** For every node, which of the wanted apps have a node among its ancestors (itself included). */
interface AppAncestry {
  has(node: Node, appIndex: number): boolean;
}

function appAncestry(graph: MigrationGraph, apps: readonly string[]): AppAncestry {
  const words = Math.max(1, Math.ceil(apps.length / 32));
  const appIndex = new Map(apps.map((app, index) => [app, index]));
  const masks = new Map<Node, Uint32Array>();
  // Parents before children: an iterative post-order walk over every node.
  for (const root of graph.nodeMap.values()) {
    if (masks.has(root)) continue;
    const stack: [Node, boolean][] = [[root, false]];
    while (stack.length > 0) {
      const [node, processed] = stack.pop()!;
      if (processed) {
        if (masks.has(node)) continue;
        const mask = new Uint32Array(words);
        const own = appIndex.get(node.app);
        if (own !== undefined) mask[own >>> 5] |= 1 << (own & 31);
        for (const parent of node.parents) {
          const inherited = masks.get(parent);
          if (inherited) for (let word = 0; word < words; word++) mask[word] |= inherited[word];
        }
        masks.set(node, mask);
        continue;
      }
      if (masks.has(node)) continue;
      stack.push([node, true]);
      for (const parent of node.parents) if (!masks.has(parent)) stack.push([parent, false]);
    }
  }
  return {
    has: (node, index) => ((masks.get(node)?.[index >>> 5] ?? 0xffffffff) & (1 << (index & 31))) !== 0,
  };
}
