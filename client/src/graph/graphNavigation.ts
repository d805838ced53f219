import { GraphLayout, LayoutEdge } from './graphLayout';

/** Where each arrow key goes from a node: up to a parent, down to a child, sideways in its row. */
export interface NodeNeighbours {
  readonly up?: string;
  readonly down?: string;
  readonly left?: string;
  readonly right?: string;
}

/**
 * The arrow keys of the graph view: up and down follow edges (to the parent or child nearest
 * in column), left and right move to the next node of the row.
 */
export function graphNavigation(layout: GraphLayout, edges: readonly LayoutEdge[]): Map<string, NodeNeighbours> {
  const nearest = (from: string, candidates: readonly string[]): string | undefined => {
    const lane = layout.nodes.get(from)!.lane;
    let best: string | undefined;
    for (const candidate of candidates) {
      const distance = Math.abs(layout.nodes.get(candidate)!.lane - lane);
      if (best === undefined || distance < Math.abs(layout.nodes.get(best)!.lane - lane) || (distance === 0 && candidate < best))
        best = candidate;
    }
    return best;
  };
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const edge of edges) {
    if (!layout.nodes.has(edge.from) || !layout.nodes.has(edge.to)) continue;
    (parents.get(edge.to) ?? parents.set(edge.to, []).get(edge.to)!).push(edge.from);
    (children.get(edge.from) ?? children.set(edge.from, []).get(edge.from)!).push(edge.to);
  }
  const rows = new Map<number, string[]>();
  for (const node of layout.nodes.values()) (rows.get(node.layer) ?? rows.set(node.layer, []).get(node.layer)!).push(node.id);
  for (const row of rows.values()) row.sort((a, b) => layout.nodes.get(a)!.lane - layout.nodes.get(b)!.lane);

  const result = new Map<string, NodeNeighbours>();
  for (const node of layout.nodes.values()) {
    const row = rows.get(node.layer)!;
    const index = row.indexOf(node.id);
    const up = nearest(node.id, parents.get(node.id) ?? []);
    const down = nearest(node.id, children.get(node.id) ?? []);
    result.set(node.id, {
      ...(up ? { up } : {}),
      ...(down ? { down } : {}),
      ...(index > 0 ? { left: row[index - 1] } : {}),
      ...(index < row.length - 1 ? { right: row[index + 1] } : {}),
    });
  }
  return result;
}
