import * as assert from 'node:assert/strict';
import { layoutGraph, LayoutEdge } from '../../../client/src/graph/graphLayout';
import { graphNavigation } from '../../../client/src/graph/graphNavigation';

const chain = (app: string, count: number): { ids: string[]; edges: LayoutEdge[] } => {
  const ids = Array.from({ length: count }, (_, i) => `${app}.${String(i + 1).padStart(4, '0')}`);
  return { ids, edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })) };
};

const places = (ids: readonly string[], edges: readonly LayoutEdge[]) => {
  const layout = layoutGraph(ids, edges);
  return Object.fromEntries([...layout.nodes.values()].map((node) => [node.id, [node.layer, node.lane]]));
};

describe('the graph layout', () => {
  it('puts a chain in one column, parents above children', () => {
    const { ids, edges } = chain('shop', 4);
    assert.deepEqual(places([...ids].reverse(), edges), {
      'shop.0001': [0, 0],
      'shop.0002': [1, 0],
      'shop.0003': [2, 0],
      'shop.0004': [3, 0],
    });
    const layout = layoutGraph(ids, edges);
    assert.equal(layout.layers, 4);
    assert.equal(layout.lanes, 1);
  });

  it('puts conflicting leaves side by side and a merge below both', () => {
    const ids = ['s.0001', 's.0002_a', 's.0002_b', 's.0003_merge'];
    const edges = [
      { from: 's.0001', to: 's.0002_a' },
      { from: 's.0001', to: 's.0002_b' },
      { from: 's.0002_a', to: 's.0003_merge' },
      { from: 's.0002_b', to: 's.0003_merge' },
    ];
    assert.deepEqual(places(ids, edges), {
      's.0001': [0, 0],
      's.0002_a': [1, 0],
      's.0002_b': [1, 1],
      's.0003_merge': [2, 0],
    });
  });

  it('places a node one row below its deepest parent (longest path)', () => {
    const ids = ['a.1', 'a.2', 'a.3', 'b.1'];
    const edges = [
      { from: 'a.1', to: 'a.2' },
      { from: 'a.2', to: 'a.3' },
      { from: 'a.1', to: 'b.1' },
      { from: 'a.3', to: 'b.1' },
    ];
    assert.equal(layoutGraph(ids, edges).nodes.get('b.1')!.layer, 3);
  });

  it('keeps a chain straight under a cross-app dependency', () => {
    const a = chain('a', 3);
    const b = chain('b', 3);
    const edges = [...a.edges, ...b.edges, { from: 'a.0001', to: 'b.0002' }];
    const layout = places([...a.ids, ...b.ids], edges);
    assert.deepEqual(
      b.ids.map((id) => layout[id][1]),
      [1, 1, 1],
    );
    assert.deepEqual(
      a.ids.map((id) => layout[id][1]),
      [0, 0, 0],
    );
  });

  it("puts another app's migration just above the migration that depends on it", () => {
    const { ids, edges } = chain('a', 6);
    const layout = layoutGraph([...ids, 'b.0001'], [...edges, { from: 'b.0001', to: 'a.0005' }]);
    assert.deepEqual(layout.nodes.get('b.0001'), { id: 'b.0001', layer: 3, lane: 1 });
    assert.equal(layout.lanes, 2);
  });

  it("keeps an app's chain in its column beside another app's migrations that depend on it", () => {
    const { ids, edges } = chain('shop', 4);
    const layout = places(
      [...ids, 'orders.0001', 'accounts.0001'],
      [...edges, { from: 'shop.0002', to: 'orders.0001' }, { from: 'accounts.0001', to: 'shop.0003' }],
    );
    assert.deepEqual(
      ids.map((id) => layout[id][1]),
      [0, 0, 0, 0],
    );
    assert.deepEqual(layout['orders.0001'], [2, 1]);
    assert.deepEqual(layout['accounts.0001'], [1, 1]);
  });

  it('lays out a cycle and edges to unknown nodes without failing', () => {
    const layout = layoutGraph(
      ['c.1', 'c.2', 'c.3'],
      [
        { from: 'c.1', to: 'c.2' },
        { from: 'c.2', to: 'c.1' },
        { from: 'gone.1', to: 'c.3' },
      ],
    );
    assert.equal(layout.nodes.size, 3);
    assert.equal(layout.nodes.get('c.3')!.layer, 0);
    assert.notEqual(layout.nodes.get('c.1')!.layer, layout.nodes.get('c.2')!.layer);
  });

  it('lays out an app of 5,000 migrations with cross-app edges', () => {
    const a = chain('a', 5000);
    const b = chain('b', 100);
    const edges = [...a.edges, ...b.edges, ...b.ids.map((id, i) => ({ from: id, to: a.ids[i * 7 + 1] }))];
    const layout = layoutGraph([...a.ids, ...b.ids], edges);
    assert.equal(layout.nodes.size, 5100);
    assert.equal(layout.nodes.get('a.5000')!.layer, 4999);
  });
});

describe('the graph view keys', () => {
  it('move up to a parent, down to a child and sideways in the row', () => {
    const ids = ['s.0001', 's.0002_a', 's.0002_b', 's.0003'];
    const edges = [
      { from: 's.0001', to: 's.0002_a' },
      { from: 's.0001', to: 's.0002_b' },
      { from: 's.0002_b', to: 's.0003' },
    ];
    const keys = graphNavigation(layoutGraph(ids, edges), edges);
    assert.deepEqual(keys.get('s.0001'), { down: 's.0002_a' });
    assert.deepEqual(keys.get('s.0002_a'), { up: 's.0001', right: 's.0002_b' });
    assert.deepEqual(keys.get('s.0002_b'), { up: 's.0001', down: 's.0003', left: 's.0002_a' });
    assert.deepEqual(keys.get('s.0003'), { up: 's.0002_b' });
  });
});
