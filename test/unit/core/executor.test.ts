import * as assert from 'node:assert/strict';
import { MigrationExecutor, MigrationTarget } from '../../../server/src/core/executor';
import { buildGraph } from '../../../server/src/core/loader';
import { migration } from './migrationBuilder';

// shop.0001 <- shop.0002 <- shop.0003, and blog.0001 depends on shop.0002.
const migrations = [
  migration('shop', '0001_initial'),
  migration('shop', '0002_order', [['shop', '0001_initial']]),
  migration('shop', '0003_total', [['shop', '0002_order']]),
  migration('blog', '0001_initial', [['shop', '0002_order']]),
];
const all = ['shop.0001_initial', 'shop.0002_order', 'shop.0003_total', 'blog.0001_initial'];

function plan(applied: string[], targets: (MigrationTarget | string)[], cleanStart = false): string[] {
  const loaded = buildGraph({
    migrations,
    migratedApps: new Set(['shop', 'blog']),
    unmigratedApps: new Set(),
    externalApps: new Set(),
    applied: new Map(applied.map((key) => [key, null])),
    swappableSettings: new Map(),
  });
  return new MigrationExecutor(loaded).migrationPlan(targets, { cleanStart }).map((step) => `${step.backwards ? '-' : '+'}${step.key}`);
}

describe('MigrationExecutor.migrationPlan (executor.migration_plan)', () => {
  // prettier-ignore
  const cases: [title: string, applied: string[], targets: (MigrationTarget | string)[], cleanStart: boolean, expected: string[]][] = [
    ['applies every leaf from an empty database', [], ['blog.0001_initial', 'shop.0003_total'], true, ['+shop.0001_initial', '+shop.0002_order', '+blog.0001_initial', '+shop.0003_total']],
    ['cleanStart ignores what is applied', all, [['shop', '0002_order']], true, ['+shop.0001_initial', '+shop.0002_order']],
    ['applies only what is missing', ['shop.0001_initial', 'shop.0002_order'], ['shop.0003_total'], false, ['+shop.0003_total']],
    ['unapplies through the children in the target\'s app', all, [['shop', '0001_initial']], false, ['-shop.0003_total', '-blog.0001_initial', '-shop.0002_order']],
    ['[app, null] unapplies the whole app and what depends on it', all, [['shop', null]], false, ['-shop.0003_total', '-blog.0001_initial', '-shop.0002_order', '-shop.0001_initial']],
    ['unapplies only what is applied', ['shop.0001_initial'], [['shop', null]], false, ['-shop.0001_initial']],
    ['an applied leaf is already there', all, ['shop.0003_total'], false, []],
    ['a target that is no node adds nothing', [], ['shop.0009_missing'], false, []],
  ];
  for (const [title, applied, targets, cleanStart, expected] of cases) {
    it(title, () => assert.deepEqual(plan(applied, targets, cleanStart), expected));
  }
});
