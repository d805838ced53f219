import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MigrationGraph } from '../../../server/src/core/graph';
import { replaceAppliedMigrations } from '../../../server/src/core/loader';
import { Migration, MigrationKey, migrationKey, splitMigrationKey } from '../../../server/src/core/migration';
import { MigrationProject } from '../../../server/src/project/migrationProject';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { showMigrationsOrder } from '../../../server/src/core/showMigrationsOrder';
import { writeSyntheticProject } from '../../../bench/syntheticProject';

/** Django's `show_list` word for word: every plan of every leaf of the app, through the whole graph. */
function djangoOrder(graph: MigrationGraph, app: string): MigrationKey[] {
  const shown: MigrationKey[] = [];
  for (const leaf of graph.leafNodes(app)) {
    for (const key of graph.forwardsPlan(leaf) ?? []) {
      if (!shown.includes(key) && splitMigrationKey(key)[0] === app) shown.push(key);
    }
  }
  return shown;
}

describe('showMigrationsOrder', function () {
  this.timeout(60_000);
  let root: string;
  let project: MigrationProject;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'django-migrations-order-'));
    // Cross-app dependencies every 3rd migration and squashes: plans that wander between apps.
    writeSyntheticProject(root, { apps: 12, migrationsPerApp: 25, crossAppEvery: 3, squashEvery: 4 });
    [project] = await loadProjects(root, { trusted: false });
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it("lists each app as Django's plans do, on a graph with cross-app dependencies", () => {
    const graph = project.loaderResult().graph;
    const apps = [...new Set([...graph.nodes.keys()].map((key) => splitMigrationKey(key)[0]))].sort();
    const order = showMigrationsOrder(graph, apps);
    for (const app of apps) assert.deepEqual(order.get(app), djangoOrder(graph, app), app);
  });

  it('follows plans that leave the app and come back, and skips apps that lead nowhere', () => {
    const graph = new MigrationGraph();
    const migration = (key: string) => ({ appLabel: splitMigrationKey(key)[0], name: splitMigrationKey(key)[1] }) as unknown as Migration;
    for (const key of ['a.0001', 'a.0002', 'a.0003', 'b.0001', 'c.0001', 'a.0004']) graph.addNode(key, migration(key));
    for (const [child, parent] of [
      ['a.0002', 'a.0001'],
      ['a.0003', 'a.0001'],
      ['b.0001', 'a.0003'],
      ['a.0004', 'a.0002'],
      ['a.0004', 'b.0001'],
      ['a.0004', 'c.0001'],
    ]) {
      graph.addDependency(child, child, parent);
    }
    const order = showMigrationsOrder(graph, ['a', 'b', 'c']);
    assert.deepEqual(order.get('a'), djangoOrder(graph, 'a'));
    assert.deepEqual(order.get('a'), ['a.0001', 'a.0003', 'a.0002', 'a.0004']);
    assert.deepEqual(order.get('b'), ['b.0001']);
  });

  it('gives the same loader result for other applied migrations when no squash moves, and none when one does', () => {
    const loaded = project.loaderResult();
    const [squash] = loaded.replacements.keys();
    const replaced = loaded.replacements.get(squash)!.parsed.replaces.map((r) => migrationKey(r.app, r.name));
    const all = new Map<MigrationKey, string | null>(replaced.map((key) => [key, '2024-05-01 10:00:00']));
    all.set(migrationKey('app01', '0001_initial'), '2024-05-02 10:00:00');
    const reused = replaceAppliedMigrations(loaded, all);
    assert.ok(reused, 'a squash fully applied stays in the graph');
    assert.equal(reused.graph, loaded.graph);
    assert.deepEqual([...reused.appliedMigrations].sort(), [...project.buildGraph(true, all).appliedMigrations].sort());
    assert.equal(
      replaceAppliedMigrations(loaded, new Map([[replaced[0], '2024-05-01 10:00:00']])),
      undefined,
      'partly applied: the graph changes',
    );
  });
});
