import * as assert from 'node:assert/strict';
import { MigrationGraph } from '../../../server/src/core/graph';
import { migration } from './migrationBuilder';

/** Cases from Django's tests/migrations/test_graph.py, with Django's expected values. */
function graphOf(nodes: string[], edges: [string, string][]): MigrationGraph {
  const graph = new MigrationGraph();
  for (const key of nodes) {
    const [app, name] = key.split('.');
    graph.addNode(key, migration(app, name));
  }
  for (const [child, parent] of edges) graph.addDependency(child, child, parent);
  return graph;
}

describe('MigrationGraph', () => {
  const simple = () =>
    graphOf(
      ['app_a.0001', 'app_a.0002', 'app_a.0003', 'app_a.0004', 'app_b.0001', 'app_b.0002'],
      [
        ['app_a.0004', 'app_a.0003'],
        ['app_a.0003', 'app_a.0002'],
        ['app_a.0002', 'app_a.0001'],
        ['app_a.0003', 'app_b.0002'],
        ['app_b.0002', 'app_b.0001'],
      ],
    );

  it('plans forwards and backwards in Django order', () => {
    const graph = simple();
    assert.deepEqual(graph.forwardsPlan('app_a.0001'), ['app_a.0001']);
    assert.deepEqual(graph.forwardsPlan('app_b.0002'), ['app_b.0001', 'app_b.0002']);
    assert.deepEqual(graph.forwardsPlan('app_a.0004'), [
      'app_b.0001',
      'app_b.0002',
      'app_a.0001',
      'app_a.0002',
      'app_a.0003',
      'app_a.0004',
    ]);
    assert.deepEqual(graph.backwardsPlan('app_b.0002'), ['app_a.0004', 'app_a.0003', 'app_b.0002']);
    assert.equal(graph.forwardsPlan('app_c.0001'), undefined);
  });

  it('finds roots and leaves per app', () => {
    const graph = simple();
    assert.deepEqual(graph.rootNodes(), ['app_a.0001', 'app_b.0001']);
    assert.deepEqual(graph.leafNodes(), ['app_a.0004', 'app_b.0002']);
    assert.deepEqual(graph.leafNodes('app_b'), ['app_b.0002']);
  });

  it('plans a complex graph as Django does (test_complex_graph)', () => {
    const graph = graphOf(
      ['app_a.0001', 'app_a.0002', 'app_a.0003', 'app_a.0004', 'app_b.0001', 'app_b.0002', 'app_c.0001', 'app_c.0002'],
      [
        ['app_a.0004', 'app_a.0003'],
        ['app_a.0003', 'app_a.0002'],
        ['app_a.0002', 'app_a.0001'],
        ['app_a.0003', 'app_b.0002'],
        ['app_b.0002', 'app_b.0001'],
        ['app_a.0004', 'app_c.0002'],
        ['app_c.0002', 'app_c.0001'],
        ['app_c.0001', 'app_b.0001'],
        ['app_c.0002', 'app_a.0002'],
      ],
    );
    assert.deepEqual(graph.forwardsPlan('app_a.0004'), [
      'app_b.0001',
      'app_c.0001',
      'app_a.0001',
      'app_a.0002',
      'app_c.0002',
      'app_b.0002',
      'app_a.0003',
      'app_a.0004',
    ]);
    assert.deepEqual(graph.backwardsPlan('app_b.0001'), [
      'app_a.0004',
      'app_c.0002',
      'app_c.0001',
      'app_a.0003',
      'app_b.0002',
      'app_b.0001',
    ]);
    assert.deepEqual(graph.rootNodes(), ['app_a.0001', 'app_b.0001', 'app_c.0001']);
    assert.deepEqual(graph.leafNodes(), ['app_a.0004', 'app_b.0002', 'app_c.0002']);
  });

  it('reports a cycle with the nodes in it', () => {
    const graph = graphOf(
      ['app_a.0001', 'app_a.0002', 'app_a.0003', 'app_b.0001', 'app_b.0002'],
      [
        ['app_a.0003', 'app_a.0002'],
        ['app_a.0002', 'app_a.0001'],
        ['app_a.0001', 'app_b.0002'],
        ['app_b.0002', 'app_b.0001'],
        ['app_b.0001', 'app_a.0003'],
      ],
    );
    const error = graph.ensureNotCyclic();
    assert.equal(error?.type, 'CircularDependencyError');
    assert.deepEqual([...error!.cycle].sort(), ['app_a.0001', 'app_a.0002', 'app_a.0003', 'app_b.0001', 'app_b.0002']);
    assert.equal(simple().ensureNotCyclic(), undefined);
  });

  it("adds dummy nodes for missing parents and reports them with Django's message", () => {
    const graph = graphOf(['app_a.0001'], []);
    graph.addDependency('app_a.0001', 'app_a.0001', 'app_b.0001');
    const error = graph.validateConsistency();
    assert.equal(error?.type, 'NodeNotFoundError');
    assert.equal(error?.node, 'app_b.0001');
    assert.equal(error?.message, "Migration app_a.0001 dependencies reference nonexistent parent node ('app_b', '0001')");
  });

  it('rewires dependencies onto a squash (remove_replaced_nodes)', () => {
    const graph = graphOf(
      ['app_a.0001', 'app_a.0002', 'app_b.0001', 'app_a.0001_squashed_0002'],
      [
        ['app_a.0002', 'app_a.0001'],
        ['app_b.0001', 'app_a.0002'],
      ],
    );
    graph.removeReplacedNodes('app_a.0001_squashed_0002', ['app_a.0001', 'app_a.0002']);
    assert.deepEqual([...graph.nodes.keys()].sort(), ['app_a.0001_squashed_0002', 'app_b.0001']);
    assert.deepEqual(graph.forwardsPlan('app_b.0001'), ['app_a.0001_squashed_0002', 'app_b.0001']);
  });

  it('falls back to the last replaced node (remove_replacement_node)', () => {
    const graph = graphOf(
      ['app_a.0001', 'app_a.0002', 'app_b.0001', 'app_a.0001_squashed_0002'],
      [
        ['app_a.0002', 'app_a.0001'],
        ['app_b.0001', 'app_a.0001_squashed_0002'],
      ],
    );
    graph.removeReplacementNode('app_a.0001_squashed_0002', ['app_a.0001', 'app_a.0002']);
    assert.deepEqual(graph.forwardsPlan('app_b.0001'), ['app_a.0001', 'app_a.0002', 'app_b.0001']);
    assert.equal(graph.removeReplacementNode('app_a.0009', [])?.type, 'NodeNotFoundError');
  });
});
