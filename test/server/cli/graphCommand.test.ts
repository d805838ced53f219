import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { GraphJson } from '../../../server/src/cli/graphJson';
import { createMigrationsDatabase } from '../../db/sqliteFiles';
import {
  appFiles,
  copyFixture,
  fixturesDirectory,
  migrationPy,
  projectFolder,
  temporaryFolder,
  writeFiles,
} from '../../support/projectFolder';
import { djangoPython, runCli } from './cliProcess';

const fixture = (scenario: string) => path.join(fixturesDirectory, scenario);

const APPLIED_AT = '2024-05-01 10:00:00.000000';

const GRAPH_KEYS = ['nodes', 'graph', 'graph_replaced', 'applied', 'conflicts', 'plan_from_zero', 'errors'];
const NODE_KEYS = ['app', 'name', 'file', 'dependencies', 'replaces', 'run_before', 'initial', 'atomic', 'operations'];
const SHAPE_KEYS = ['nodes', 'edges', 'leaf_nodes', 'root_nodes'];

async function graphOf(args: string[]): Promise<GraphJson> {
  const result = await runCli(['graph', ...args, '--json']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as GraphJson;
}

describe('cli graph', function () {
  it('prints one object in the shape of docs/graph-json.md (linear)', async function () {
    const graph = await graphOf([fixture('linear')]);
    assert.deepEqual(Object.keys(graph), GRAPH_KEYS);
    for (const shape of [graph.graph, graph.graph_replaced]) assert.deepEqual(Object.keys(shape), SHAPE_KEYS);
    for (const node of graph.nodes) assert.deepEqual(Object.keys(node), NODE_KEYS);
    assert.deepEqual(graph.nodes[1], {
      app: 'shop',
      name: '0002_product_price',
      file: 'shop/migrations/0002_product_price.py',
      dependencies: [['shop', '0001_initial']],
      replaces: [],
      run_before: [],
      initial: null,
      atomic: true,
      operations: [{ type: 'AddField', describe: 'Add field price to product', reversible: true }],
    });
    const keys = ['shop.0001_initial', 'shop.0002_product_price', 'shop.0003_order'];
    assert.deepEqual(graph.graph, {
      nodes: keys,
      edges: [
        ['shop.0002_product_price', 'shop.0001_initial'],
        ['shop.0003_order', 'shop.0002_product_price'],
      ],
      leaf_nodes: { shop: ['0003_order'] },
      root_nodes: { shop: ['0001_initial'] },
    });
    assert.deepEqual(graph.graph_replaced, graph.graph);
    assert.deepEqual(graph.applied, []);
    assert.deepEqual(graph.conflicts, {});
    assert.deepEqual(
      graph.plan_from_zero,
      keys.map((key) => key.split('.')),
    );
    assert.deepEqual(graph.errors, []);
  });

  it('prints the plan from an empty database, one app.name a line, without --json (squashed)', async function () {
    const [text, json] = await Promise.all([runCli(['graph', fixture('squashed')]), graphOf([fixture('squashed')])]);
    assert.equal(text.code, 0);
    assert.equal(text.stdout, json.plan_from_zero.map(([app, name]) => `${app}.${name}\n`).join(''));
    assert.deepEqual(text.stdout.trimEnd().split('\n'), [
      'shop.0001_squashed_0003_product_sku',
      'reports.0001_initial',
      'reports.0002_salesreport_title',
      'shop.0004_order',
    ]);
  });

  it('prints one object per project, in an array, for a folder of several projects', async function () {
    const folder = temporaryFolder();
    copyFixture('linear', folder);
    copyFixture('conflict', folder);
    writeFiles(folder, appFiles('tags', { '0001_initial': migrationPy() }));
    const result = await runCli(['graph', folder, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const documents = JSON.parse(result.stdout) as GraphJson[];
    assert.ok(Array.isArray(documents));
    assert.deepEqual(
      documents.map((document) => document.nodes.map((node) => node.file)),
      [
        ['shop/migrations/0001_initial.py', 'shop/migrations/0002_product_price.py', 'shop/migrations/0002_product_sku.py'],
        ['shop/migrations/0001_initial.py', 'shop/migrations/0002_product_price.py', 'shop/migrations/0003_order.py'],
        ['tags/migrations/0001_initial.py'],
      ],
    );
    assert.deepEqual(documents[0].conflicts, { shop: ['0002_product_price', '0002_product_sku'] });
  });

  it('reports what Django raises, with the node of a NodeNotFoundError (missing_dependency)', async function () {
    const graph = await graphOf([fixture('missing_dependency')]);
    assert.deepEqual(graph.errors, [
      {
        type: 'NodeNotFoundError',
        message: "Migration shop.0003_order dependencies reference nonexistent parent node ('shop', '0002_product_price')",
        node: ['shop', '0002_product_price'],
      },
    ]);
    assert.deepEqual(graph.plan_from_zero, []);
    assert.ok(graph.graph.nodes.includes('shop.0002_product_price'), 'the dummy node is listed');
  });

  it('reports a migration module without a Migration class as BadMigrationError, as the loader raises', async function () {
    const folder = copyFixture('linear');
    writeFiles(folder, { 'shop/migrations/0004_helpers.py': 'def helper():\n    return 1\n' });
    const graph = await graphOf([folder]);
    assert.deepEqual(graph.errors, [{ type: 'BadMigrationError', message: 'Migration 0004_helpers in app shop has no Migration class' }]);
    assert.deepEqual(graph.plan_from_zero, []);
  });

  it('lists migration files with names that are not identifiers, not the ones Django skips (odd_file_names)', async function () {
    const graph = await graphOf([fixture('odd_file_names')]);
    assert.deepEqual(
      graph.nodes.map((node) => node.name),
      ['0001_initial', '0002_bin_capacity', '0003_add-cold-storage', '0004_bin_temperature'],
    );
  });

  describe('installed apps outside the project (swappable_contrib_auth)', function () {
    it('leaves them external without --python', async function () {
      const graph = await graphOf([fixture('swappable_contrib_auth')]);
      assert.deepEqual(graph.graph.nodes, ['blog.0001_initial', 'blog.0002_tag']);
      assert.deepEqual(graph.graph.edges, [['blog.0002_tag', 'blog.0001_initial']]);
      assert.deepEqual(graph.errors, []);
      assert.deepEqual(graph.nodes[0].dependencies, [['auth', '__first__']]);
    });

    it('reads them with --python: edges into them stay, their own keys are left out', async function () {
      const graph = await graphOf([fixture('swappable_contrib_auth'), '--python', djangoPython]);
      assert.deepEqual(graph.errors, []);
      assert.deepEqual(
        graph.nodes.map((node) => node.app),
        ['blog', 'blog'],
      );
      assert.deepEqual(graph.graph.nodes, ['blog.0001_initial', 'blog.0002_tag']);
      assert.deepEqual(graph.graph.edges, [
        ['blog.0001_initial', 'auth.0001_initial'],
        ['blog.0002_tag', 'blog.0001_initial'],
        ['blog.0002_tag', 'contenttypes.0002_remove_content_type_name'],
      ]);
      assert.deepEqual(graph.plan_from_zero, [
        ['blog', '0001_initial'],
        ['blog', '0002_tag'],
      ]);
    });
  });

  describe('--database-url', function () {
    const replaced = ['0001_initial', '0002_product_price', '0003_product_sku'];

    it('counts a squash applied when all it replaces are applied (squashed)', async function () {
      const database = createMigrationsDatabase(
        path.join(temporaryFolder(), 'db.sqlite3'),
        replaced.map((name) => ['shop', name, APPLIED_AT] as const),
      );
      assert.ok(path.isAbsolute(database));
      const graph = await graphOf([fixture('squashed'), '--database-url', `sqlite:///${database}`]);
      assert.deepEqual(graph.applied, [
        'shop.0001_initial',
        'shop.0001_squashed_0003_product_sku',
        'shop.0002_product_price',
        'shop.0003_product_sku',
      ]);
      assert.ok(graph.graph_replaced.nodes.includes('shop.0001_squashed_0003_product_sku'));
      assert.ok(!graph.graph_replaced.nodes.includes('shop.0002_product_price'));
      assert.ok(graph.graph.nodes.includes('shop.0002_product_price'), 'graph keeps squashed and replaced alike');
    });

    it('keeps the replaced migrations when only some are applied (squashed)', async function () {
      const database = createMigrationsDatabase(path.join(temporaryFolder(), 'db.sqlite3'), [['shop', '0001_initial', APPLIED_AT]]);
      const graph = await graphOf([fixture('squashed'), '--database-url', `sqlite:///${database}`]);
      assert.deepEqual(graph.applied, ['shop.0001_initial']);
      assert.ok(!graph.graph_replaced.nodes.includes('shop.0001_squashed_0003_product_sku'));
      assert.ok(replaced.every((name) => graph.graph_replaced.nodes.includes(`shop.${name}`)));
      assert.deepEqual(graph.errors, []);
    });

    it("reads the settings' database without the option, and none that is not there", async function () {
      const folder = copyFixture('squashed');
      createMigrationsDatabase(
        path.join(folder, 'db.sqlite3'),
        replaced.map((name) => ['shop', name, APPLIED_AT] as const),
      );
      const [own, missing] = await Promise.all([
        graphOf([folder]),
        graphOf([folder, '--database-url', `sqlite:///${path.join(folder, 'missing.sqlite3')}`]),
      ]);
      assert.ok(own.applied.includes('shop.0001_squashed_0003_product_sku'));
      assert.deepEqual(missing.applied, []);
    });
  });

  it('exits 1 when the folder holds no project, and 2 on a usage error', async function () {
    const [empty, usage] = await Promise.all([
      runCli(['graph', projectFolder({ 'README.md': '' })]),
      runCli(['graph', fixture('linear'), '--jsn']),
    ]);
    assert.equal(empty.code, 1);
    assert.equal(empty.stdout, '');
    assert.match(empty.stderr, /^graph: no Django project or migrations found in /);
    assert.equal(usage.code, 2);
    assert.equal(usage.stdout, '');
    assert.match(usage.stderr, /^graph: /);
  });
});
