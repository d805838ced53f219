import * as assert from 'node:assert/strict';
import { buildGraph, detectConflicts, LoaderInput } from '../../../server/src/core/loader';
import { Migration } from '../../../server/src/core/migration';
import { migration } from './migrationBuilder';

function load(migrations: Migration[], extra: Partial<LoaderInput> = {}) {
  return buildGraph({
    migrations,
    migratedApps: new Set(migrations.map((m) => m.appLabel)),
    unmigratedApps: new Set(),
    externalApps: new Set(),
    applied: new Map(),
    swappableSettings: new Map([['AUTH_USER_MODEL', 'auth.User']]),
    ...extra,
  });
}

const squashed = () => [
  migration('shop', '0001_initial'),
  migration('shop', '0002_order', [['shop', '0001_initial']]),
  migration('shop', '0001_squashed_0002', [], {
    replaces: [
      ['shop', '0001_initial'],
      ['shop', '0002_order'],
    ],
  }),
  migration('blog', '0001_initial', [['shop', '0002_order']]),
];

describe('buildGraph (MigrationLoader.build_graph)', () => {
  it('uses a squash when none of what it replaces is applied', () => {
    const loaded = load(squashed());
    assert.deepEqual([...loaded.graph.nodes.keys()].sort(), ['blog.0001_initial', 'shop.0001_squashed_0002']);
    assert.deepEqual(loaded.graph.forwardsPlan('blog.0001_initial'), ['shop.0001_squashed_0002', 'blog.0001_initial']);
    assert.equal(loaded.appliedMigrations.has('shop.0001_squashed_0002'), false);
  });

  it('uses a squash and counts it applied when all it replaces is applied', () => {
    const applied = new Map([
      ['shop.0001_initial', '2024-01-01'],
      ['shop.0002_order', '2024-01-02'],
    ]);
    const loaded = load(squashed(), { applied });
    assert.equal(loaded.graph.nodes.has('shop.0001_squashed_0002'), true);
    assert.equal(loaded.appliedMigrations.get('shop.0001_squashed_0002'), '2024-01-02');
  });

  it('keeps the replaced migrations when only some are applied', () => {
    const loaded = load(squashed(), { applied: new Map([['shop.0001_initial', null]]) });
    assert.deepEqual([...loaded.graph.nodes.keys()].sort(), ['blog.0001_initial', 'shop.0001_initial', 'shop.0002_order']);
    assert.deepEqual([...loaded.partiallyAppliedSquashes], ['shop.0001_squashed_0002']);
    assert.deepEqual(loaded.errors, []);
  });

  it('resolves __first__ and __latest__ of other apps, ignores __first__ of its own', () => {
    const loaded = load([
      migration('shop', '0001_initial', [['shop', '__first__']]),
      migration('shop', '0002_more', [['shop', '0001_initial']]),
      migration('blog', '0001_initial', [['shop', '__first__']]),
      migration('blog', '0002_more', [
        ['blog', '0001_initial'],
        ['shop', '__latest__'],
      ]),
    ]);
    assert.deepEqual(loaded.errors, []);
    assert.deepEqual(loaded.graph.forwardsPlan('blog.0001_initial'), ['shop.0001_initial', 'blog.0001_initial']);
    assert.deepEqual(loaded.graph.forwardsPlan('blog.0002_more'), [
      'shop.0001_initial',
      'shop.0002_more',
      'blog.0001_initial',
      'blog.0002_more',
    ]);
  });

  it("reports Django's errors for unknown apps and missing nodes, and treats external apps as external", () => {
    const unknown = load([migration('shop', '0001_initial', [['ghost', '__first__']])]);
    assert.equal(unknown.errors[0].message, 'Dependency on unknown app: ghost');
    const missing = load([migration('shop', '0002', [['shop', '0001']])]);
    assert.equal(missing.errors[0].type, 'NodeNotFoundError');
    const external = load([migration('shop', '0001_initial', [['auth', '0012_alter_user'], { swappable: 'AUTH_USER_MODEL' }])], {
      externalApps: new Set(['auth']),
    });
    assert.deepEqual(external.errors, []);
    assert.deepEqual(
      external.dependencies.get('shop.0001_initial')!.map((d) => d.resolution.status),
      ['external', 'external'],
    );
  });

  it('adds run_before edges and detects conflicts on the replaced graph', () => {
    const loaded = load([
      migration('shop', '0001_initial', [], { runBefore: [['blog', '0001_initial']] }),
      migration('blog', '0001_initial'),
      migration('blog', '0002_a', [['blog', '0001_initial']]),
      migration('blog', '0002_b', [['blog', '0001_initial']]),
    ]);
    assert.deepEqual(loaded.graph.forwardsPlan('blog.0001_initial'), ['shop.0001_initial', 'blog.0001_initial']);
    assert.deepEqual([...detectConflicts(loaded.graph)], [['blog', ['0002_a', '0002_b']]]);
  });
});
