import * as assert from 'node:assert/strict';
import type { GraphJson } from '../../server/src/cli/graphJson';
import { djangoAtLeast } from '../support/testDjango';
import { DjangoProject } from './djangoProject';

/** One database state of a fixture project, made with real Django. */
export interface DatabaseState {
  readonly name: string;
  /** Brings the fresh copy's database to this state; absent: no database file at all. */
  readonly prepare?: (project: DjangoProject) => Promise<void>;
  /** What Django's own dump must show: the behaviour the scenario exists for. */
  readonly expect: (django: GraphJson) => void;
}

/** A fixture project of test/fixtures/ and the database states it is checked in. */
export interface FidelityScenario {
  readonly fixture: string;
  readonly shows: string;
  /** Installs django.contrib apps, whose migrations only the project's Python can show. */
  readonly contribApps?: boolean;
  /** Written by this Django release's makemigrations: older releases cannot import it. */
  readonly since?: readonly [number, number];
  readonly states: readonly DatabaseState[];
}

const noDatabase = 'no database';

function node(django: GraphJson, key: string) {
  const found = django.nodes.find((candidate) => `${candidate.app}.${candidate.name}` === key);
  assert.ok(found, `Django sees no migration ${key}`);
  return found;
}

function hasEdges(shape: GraphJson['graph'], edges: [string, string][]): void {
  for (const edge of edges)
    assert.ok(
      shape.edges.some(([child, parent]) => child === edge[0] && parent === edge[1]),
      `no edge ${edge.join(' -> ')}`,
    );
}

function valid(django: GraphJson): void {
  assert.deepEqual(django.errors, []);
}

const allScenarios: readonly FidelityScenario[] = [
  {
    fixture: 'linear',
    shows: 'one app, each migration depending on the previous one',
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          assert.deepEqual(django.graph_replaced.leaf_nodes, { shop: ['0003_order'] });
          assert.deepEqual(django.applied, []);
          assert.deepEqual(django.plan_from_zero, [
            ['shop', '0001_initial'],
            ['shop', '0002_product_price'],
            ['shop', '0003_order'],
          ]);
        },
      },
      {
        name: 'migrated to 0002',
        prepare: async (project) => void (await project.manage('migrate', 'shop', '0002')),
        expect: (django) => assert.deepEqual(django.applied, ['shop.0001_initial', 'shop.0002_product_price']),
      },
      {
        name: 'fully migrated',
        prepare: async (project) => void (await project.manage('migrate')),
        expect: (django) => assert.deepEqual(django.applied, ['shop.0001_initial', 'shop.0002_product_price', 'shop.0003_order']),
      },
      {
        name: 'migrated back to zero',
        prepare: async (project) => {
          await project.manage('migrate');
          await project.manage('migrate', 'shop', 'zero');
        },
        expect: (django) => assert.deepEqual(django.applied, []),
      },
    ],
  },
  {
    fixture: 'cross_app_foreign_keys',
    shows: 'foreign keys between two apps, in both directions',
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          hasEdges(django.graph_replaced, [
            ['orders.0001_initial', 'catalog.0001_initial'],
            ['catalog.0003_product_featured_order', 'orders.0002_order_category'],
          ]);
          assert.deepEqual(django.plan_from_zero, [
            ['catalog', '0001_initial'],
            ['orders', '0001_initial'],
            ['catalog', '0002_auto_20261121_1403'],
            ['orders', '0002_order_category'],
            ['catalog', '0003_product_featured_order'],
          ]);
        },
      },
      {
        name: 'orders migrated to 0001',
        prepare: async (project) => void (await project.manage('migrate', 'orders', '0001')),
        expect: (django) => assert.deepEqual(django.applied, ['catalog.0001_initial', 'orders.0001_initial']),
      },
    ],
  },
  {
    fixture: 'first_latest',
    shows: "'__first__' and '__latest__' dependencies, and one on an app without migrations",
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          assert.deepEqual(node(django, 'orders.0001_initial').dependencies, [
            ['catalog', '__first__'],
            ['notes', '__first__'],
          ]);
          const edges = django.graph_replaced.edges.filter(([child]) => child.startsWith('orders.'));
          assert.deepEqual(edges, [
            ['orders.0001_initial', 'catalog.0001_initial'],
            ['orders.0002_order_category', 'catalog.0003_product_sku'],
            ['orders.0002_order_category', 'orders.0001_initial'],
          ]);
        },
      },
      {
        name: 'orders migrated to 0001',
        prepare: async (project) => void (await project.manage('migrate', 'orders', '0001')),
        expect: (django) => assert.deepEqual(django.applied, ['catalog.0001_initial', 'orders.0001_initial']),
      },
    ],
  },
  {
    fixture: 'swappable_custom_user',
    shows: 'swappable_dependency(settings.AUTH_USER_MODEL) resolved to a project app',
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          assert.deepEqual(node(django, 'blog.0001_initial').dependencies, [['accounts', '__first__']]);
          hasEdges(django.graph_replaced, [['blog.0001_initial', 'accounts.0001_initial']]);
        },
      },
      {
        name: 'blog migrated',
        prepare: async (project) => void (await project.manage('migrate', 'blog')),
        expect: (django) => assert.deepEqual(django.applied, ['accounts.0001_initial', 'blog.0001_initial']),
      },
    ],
  },
  {
    fixture: 'swappable_contrib_auth',
    shows: 'dependencies on django.contrib.auth (swappable) and contenttypes',
    contribApps: true,
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          assert.deepEqual(node(django, 'blog.0001_initial').dependencies, [['auth', '__first__']]);
          assert.deepEqual(django.graph_replaced.nodes, ['blog.0001_initial', 'blog.0002_tag']);
          hasEdges(django.graph_replaced, [
            ['blog.0001_initial', 'auth.0001_initial'],
            ['blog.0002_tag', 'contenttypes.0002_remove_content_type_name'],
          ]);
        },
      },
      {
        name: 'fully migrated',
        prepare: async (project) => void (await project.manage('migrate')),
        expect: (django) => assert.deepEqual(django.applied, ['blog.0001_initial', 'blog.0002_tag']),
      },
    ],
  },
  {
    fixture: 'run_before',
    shows: 'run_before putting another app first',
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          assert.deepEqual(node(django, 'reporting.0001_initial').run_before, [['inventory', '0002_item_stock']]);
          hasEdges(django.graph_replaced, [['inventory.0002_item_stock', 'reporting.0001_initial']]);
          assert.deepEqual(django.plan_from_zero, [
            ['reporting', '0001_initial'],
            ['inventory', '0001_initial'],
            ['inventory', '0002_item_stock'],
          ]);
        },
      },
      {
        name: 'inventory migrated',
        prepare: async (project) => void (await project.manage('migrate', 'inventory')),
        expect: (django) =>
          assert.deepEqual(django.applied, ['inventory.0001_initial', 'inventory.0002_item_stock', 'reporting.0001_initial']),
      },
    ],
  },
  {
    fixture: 'squashed',
    shows: 'a squash beside the migrations it replaces, and dependencies on both',
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          assert.equal(django.graph.nodes.length, 7);
          assert.deepEqual(django.graph_replaced.nodes, [
            'reports.0001_initial',
            'reports.0002_salesreport_title',
            'shop.0001_squashed_0003_product_sku',
            'shop.0004_order',
          ]);
          hasEdges(django.graph_replaced, [
            ['reports.0001_initial', 'shop.0001_squashed_0003_product_sku'],
            ['shop.0004_order', 'shop.0001_squashed_0003_product_sku'],
          ]);
        },
      },
      {
        name: 'fully migrated',
        prepare: async (project) => void (await project.manage('migrate')),
        expect: (django) => {
          assert.ok(django.applied.includes('shop.0001_squashed_0003_product_sku'));
          assert.ok(django.applied.includes('shop.0002_product_price'));
          assert.ok(!django.graph_replaced.nodes.includes('shop.0002_product_price'));
        },
      },
      {
        name: 'replaced migrations applied before the squash existed',
        prepare: (project) =>
          project.recordApplied([
            ['shop', '0001_initial'],
            ['shop', '0002_product_price'],
            ['reports', '0001_initial'],
            ['shop', '0003_product_sku'],
          ]),
        expect: (django) => {
          // No row for the squash: the loader marks it applied because all it replaces are.
          assert.deepEqual(django.applied, [
            'reports.0001_initial',
            'shop.0001_initial',
            'shop.0001_squashed_0003_product_sku',
            'shop.0002_product_price',
            'shop.0003_product_sku',
          ]);
          assert.deepEqual(django.graph_replaced.leaf_nodes.shop, ['0004_order']);
          assert.ok(!django.graph_replaced.nodes.includes('shop.0001_initial'));
        },
      },
      {
        name: 'squash partly applied',
        prepare: (project) =>
          project.recordApplied([
            ['shop', '0001_initial'],
            ['shop', '0002_product_price'],
            ['reports', '0001_initial'],
          ]),
        expect: (django) => {
          valid(django);
          assert.deepEqual(django.graph_replaced.nodes, [
            'reports.0001_initial',
            'reports.0002_salesreport_title',
            'shop.0001_initial',
            'shop.0002_product_price',
            'shop.0003_product_sku',
            'shop.0004_order',
          ]);
          // The dependency on the squash is re-pointed to the last migration it replaces.
          hasEdges(django.graph_replaced, [
            ['reports.0002_salesreport_title', 'shop.0003_product_sku'],
            ['reports.0001_initial', 'shop.0002_product_price'],
          ]);
          assert.equal(django.plan_from_zero[0].join('.'), 'shop.0001_squashed_0003_product_sku');
        },
      },
    ],
  },
  {
    fixture: 'squash_replaced_deleted',
    shows: "a squash whose replaced files were deleted while 'replaces' still lists them",
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          // Without squash handling the deleted parent of 0004 stays a dummy node.
          assert.ok(django.graph.nodes.includes('shop.0003_product_sku'));
          assert.deepEqual(django.graph_replaced.nodes, ['shop.0001_squashed_0003_product_sku', 'shop.0004_order']);
          assert.deepEqual(django.graph_replaced.edges, [['shop.0004_order', 'shop.0001_squashed_0003_product_sku']]);
        },
      },
      {
        name: 'replaced migrations applied',
        prepare: (project) =>
          project.recordApplied([
            ['shop', '0001_initial'],
            ['shop', '0002_product_price'],
            ['shop', '0003_product_sku'],
          ]),
        expect: (django) => {
          valid(django);
          assert.ok(django.applied.includes('shop.0001_squashed_0003_product_sku'));
        },
      },
      {
        name: 'squash partly applied',
        prepare: (project) =>
          project.recordApplied([
            ['shop', '0001_initial'],
            ['shop', '0002_product_price'],
          ]),
        expect: (django) => {
          assert.equal(django.errors.length, 1);
          assert.equal(django.errors[0].type, 'NodeNotFoundError');
          assert.deepEqual(django.errors[0].node, ['shop', '0003_product_sku']);
          assert.match(django.errors[0].message, /Django tried to replace migration shop\.0003_product_sku/);
          assert.deepEqual(django.plan_from_zero, [
            ['shop', '0001_squashed_0003_product_sku'],
            ['shop', '0004_order'],
          ]);
        },
      },
    ],
  },
  {
    fixture: 'conflict',
    shows: 'two leaf migrations in one app',
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          assert.deepEqual(django.conflicts, { shop: ['0002_product_price', '0002_product_sku'] });
        },
      },
      {
        name: 'one branch applied',
        prepare: (project) =>
          project.recordApplied([
            ['shop', '0001_initial'],
            ['shop', '0002_product_price'],
          ]),
        expect: (django) => {
          assert.deepEqual(django.applied, ['shop.0001_initial', 'shop.0002_product_price']);
          assert.deepEqual(django.conflicts, { shop: ['0002_product_price', '0002_product_sku'] });
        },
      },
    ],
  },
  {
    fixture: 'missing_dependency',
    shows: 'a dependency on a migration that no longer exists',
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          assert.equal(django.errors[0]?.type, 'NodeNotFoundError');
          assert.deepEqual(django.errors[0].node, ['shop', '0002_product_price']);
          assert.ok(django.graph_replaced.nodes.includes('shop.0002_product_price'), 'the dummy node stays in the graph');
          assert.deepEqual(django.plan_from_zero, []);
        },
      },
    ],
  },
  {
    fixture: 'dependency_on_unknown_app',
    shows: "a '__first__' dependency on an app no longer installed",
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          assert.deepEqual(django.errors, [{ type: 'ValueError', message: 'Dependency on unknown app: notes' }]);
          assert.deepEqual(django.graph_replaced.edges, [['orders.0002_order_quantity', 'orders.0001_initial']]);
        },
      },
    ],
  },
  {
    fixture: 'cycle',
    shows: 'two apps depending on each other in a circle',
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          assert.equal(django.errors[0]?.type, 'CircularDependencyError');
          assert.deepEqual(django.errors[0].message.split(', ').sort(), ['authors.0002_author_favourite_book', 'books.0001_initial']);
          assert.deepEqual(django.plan_from_zero, []);
        },
      },
    ],
  },
  {
    fixture: 'run_python_run_sql',
    shows: 'RunPython and RunSQL with and without reverse, and a non-atomic migration',
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          const seed = node(django, 'ledger.0002_seed_accounts');
          assert.deepEqual(
            seed.operations.map((operation) => [operation.type, operation.reversible]),
            [
              ['RunPython', true],
              ['RunPython', true],
              ['RunPython', false],
            ],
          );
          const index = node(django, 'ledger.0003_balance_index');
          assert.equal(index.atomic, false);
          assert.deepEqual(
            index.operations.map((operation) => [operation.type, operation.describe, operation.reversible]),
            [
              ['RunSQL', 'Raw SQL operation', true],
              ['RunSQL', 'Raw SQL operation', true],
              ['RunSQL', 'Raw SQL operation', false],
            ],
          );
        },
      },
      {
        name: 'fully migrated',
        prepare: async (project) => void (await project.manage('migrate')),
        expect: (django) =>
          assert.deepEqual(django.applied, ['ledger.0001_initial', 'ledger.0002_seed_accounts', 'ledger.0003_balance_index']),
      },
    ],
  },
  {
    fixture: 'app_labels',
    shows: 'an AppConfig label unlike its folder, and two apps in folders both named core',
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          assert.deepEqual(
            django.nodes.map((migration) => [`${migration.app}.${migration.name}`, migration.file]),
            [
              ['billing_core.0001_initial', 'billing/core/migrations/0001_initial.py'],
              ['shipping_core.0001_initial', 'shipping/core/migrations/0001_initial.py'],
              ['shop.0001_initial', 'store/migrations/0001_initial.py'],
              ['shop.0002_product_weight', 'store/migrations/0002_product_weight.py'],
            ],
          );
        },
      },
      {
        name: 'shipping_core migrated',
        prepare: async (project) => void (await project.manage('migrate', 'shipping_core')),
        expect: (django) =>
          assert.deepEqual(django.applied, ['billing_core.0001_initial', 'shipping_core.0001_initial', 'shop.0001_initial']),
      },
    ],
  },
  {
    fixture: 'migration_modules',
    shows: "MIGRATION_MODULES moving one app's migrations and disabling another's",
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          assert.deepEqual(
            django.nodes.map((migration) => migration.file),
            ['crm/migrations/0001_initial.py', 'db_migrations/legacy/0001_initial.py', 'db_migrations/legacy/0002_customer_email.py'],
          );
        },
      },
      {
        name: 'fully migrated',
        prepare: async (project) => void (await project.manage('migrate')),
        expect: (django) => assert.deepEqual(django.applied, ['crm.0001_initial', 'legacy.0001_initial', 'legacy.0002_customer_email']),
      },
    ],
  },
  {
    fixture: 'odd_file_names',
    shows: 'a migration name that is not an identifier, and files the loader skips',
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          assert.deepEqual(
            django.nodes.map((migration) => migration.name),
            ['0001_initial', '0002_bin_capacity', '0003_add-cold-storage', '0004_bin_temperature'],
          );
          assert.deepEqual(django.conflicts, {});
        },
      },
      {
        name: 'faked up to 0003_add-cold-storage',
        prepare: async (project) => void (await project.manage('migrate', '--fake', 'warehouse', '0003_add-cold-storage')),
        expect: (django) =>
          assert.deepEqual(django.applied, ['warehouse.0001_initial', 'warehouse.0002_bin_capacity', 'warehouse.0003_add-cold-storage']),
      },
    ],
  },
  {
    fixture: 'newer_django_operations',
    shows: "operations only Django 5.2's makemigrations writes, and its squash of them",
    since: [5, 2],
    states: [
      {
        name: noDatabase,
        expect: (django) => {
          valid(django);
          assert.deepEqual(
            node(django, 'library.0002_lending').operations.map((operation) => operation.type),
            ['AlterModelTableComment', 'RenameIndex', 'AddField', 'AlterConstraint'],
          );
          assert.deepEqual(django.plan_from_zero, [['library', '0001_squashed_0003_title_lower_index']]);
        },
      },
      {
        // Recorded, not run: Django 5.2.18 cannot apply its own squash on SQLite (the squashed
        // CreateModel keeps the old index name for RenameIndex: "no such index").
        name: 'replaced migrations applied',
        prepare: (project) =>
          project.recordApplied([
            ['library', '0001_initial'],
            ['library', '0002_lending'],
            ['library', '0003_title_lower_index'],
          ]),
        expect: (django) => assert.ok(django.applied.includes('library.0001_squashed_0003_title_lower_index')),
      },
      {
        name: 'squash partly applied',
        prepare: (project) =>
          project.recordApplied([
            ['library', '0001_initial'],
            ['library', '0002_lending'],
          ]),
        expect: (django) => assert.ok(django.graph_replaced.nodes.includes('library.0003_title_lower_index')),
      },
    ],
  },
];

/** The scenarios the selected Django can load: fixtures written by a newer Django need it. */
export const fidelityScenarios: readonly FidelityScenario[] = allScenarios.filter(
  (scenario) => !scenario.since || djangoAtLeast(scenario.since[0], scenario.since[1]),
);
