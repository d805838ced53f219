/** An edge from a parent to a child, by node id. */
export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
}

/** Ids are `app.name`: nodes of one app keep to each other's column. */
const appOf = (id: string): string => id.slice(0, Math.max(0, id.indexOf('.')));

export interface PlacedNode {
  readonly id: string;
  /** Row: the longest path from a root (parents above children). */
  readonly layer: number;
  /** Column within the row. */
  readonly lane: number;
}

export interface GraphLayout {
  readonly nodes: ReadonlyMap<string, PlacedNode>;
  readonly layers: number;
  readonly lanes: number;
}

/**
 * A layered layout for migration graphs, which are mostly chains: each node one row below its
 * lowest parent (longest path from the roots), and within a row ordered by where its parents
 * stand, so a chain stays in one column and branches (conflicts, cross-app dependencies) sit
 * side by side. A node without parents sits just above its first child. Linear in nodes and edges; nodes on a cycle go after the rest in id order.
 */
export function layoutGraph(ids: readonly string[], edges: readonly LayoutEdge[]): GraphLayout {
  const known = new Set(ids);
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  const children = new Map<string, string[]>(ids.map((id) => [id, []]));
  const waiting = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const edge of edges) {
    if (!known.has(edge.from) || !known.has(edge.to) || edge.from === edge.to) continue;
    parents.get(edge.to)!.push(edge.from);
    children.get(edge.from)!.push(edge.to);
    waiting.set(edge.to, waiting.get(edge.to)! + 1);
  }

  // Kahn's order, sorted at each step so the same graph always gives the same layout.
  const layer = new Map<string, number>();
  const order: string[] = [];
  let deepest = -1;
  let ready = ids.filter((id) => waiting.get(id) === 0).sort();
  while (ready.length > 0) {
    const next: string[] = [];
    for (const id of ready) {
      order.push(id);
      const row = parents.get(id)!.reduce((lowest, parent) => Math.max(lowest, layer.get(parent) ?? -1), -1) + 1;
      layer.set(id, row);
      deepest = Math.max(deepest, row);
      for (const child of children.get(id)!) {
        const left = waiting.get(child)! - 1;
        waiting.set(child, left);
        if (left === 0) next.push(child);
      }
    }
    ready = next.sort();
  }
  for (const id of [...ids].sort()) {
    if (layer.has(id)) continue;
    layer.set(id, ++deepest);
    order.push(id);
  }
  // A node without parents sits just above its first child: another app's migration that a
  // dependency reaches is drawn beside the chain it joins, not in the first row.
  for (const id of order) {
    if (parents.get(id)!.length > 0 || children.get(id)!.length === 0) continue;
    layer.set(id, children.get(id)!.reduce((highest, child) => Math.min(highest, layer.get(child)!), Number.POSITIVE_INFINITY) - 1);
  }

  // Rows top-down: each node where its parents stand on average, else after the row's others.
  const rows = new Map<number, string[]>();
  for (const id of order) {
    const row = layer.get(id)!;
    const list = rows.get(row);
    if (list) list.push(id);
    else rows.set(row, [id]);
  }
  const lane = new Map<string, number>();
  const placed = new Map<string, PlacedNode>();
  let lanes = 0;
  for (const row of [...rows.keys()].sort((a, b) => a - b)) {
    // Where a node's parents stand; a migration follows its own app's parent, so chains stay straight.
    const wish = (id: string): { column: number; ownApp: boolean } => {
      const above = parents.get(id)!.filter((parent) => lane.has(parent));
      const own = above.filter((parent) => appOf(parent) === appOf(id));
      const from = own.length > 0 ? own : above;
      const column = from.length === 0 ? Number.POSITIVE_INFINITY : from.reduce((sum, parent) => sum + lane.get(parent)!, 0) / from.length;
      return { column, ownApp: own.length > 0 };
    };
    const sorted = rows
      .get(row)!
      .map((id) => ({ id, ...wish(id) }))
      .sort((a, b) => a.column - b.column || Number(b.ownApp) - Number(a.ownApp) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // A node keeps the column it wishes for when free, so chains stay straight under branches.
    let next = 0;
    for (const { id, column: wanted } of sorted) {
      const column = Number.isFinite(wanted) ? Math.max(next, Math.floor(wanted)) : next;
      lane.set(id, column);
      placed.set(id, { id, layer: row, lane: column });
      next = column + 1;
    }
    lanes = Math.max(lanes, next);
  }
  return { nodes: placed, layers: rows.size === 0 ? 0 : deepest + 1, lanes };
}
