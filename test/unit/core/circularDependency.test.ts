import * as assert from 'node:assert/strict';
import { circularDependency } from '../../../server/src/core/checks/circularDependency';
import { buildGraph } from '../../../server/src/core/loader';
import { Migration } from '../../../server/src/core/migration';
import { migration } from './migrationBuilder';

/** `size` migrations of one app, each depending on the next, the last on the first. */
function cycle(size: number): Migration[] {
  const name = (index: number) => `${String(index % size).padStart(4, '0')}_step`;
  return Array.from({ length: size }, (_, index) => migration('shop', name(index), [['shop', name(index + 1)]]));
}

function problems(migrations: Migration[]) {
  const apps = new Set(migrations.map((m) => m.appLabel));
  const loaded = buildGraph({
    migrations,
    migratedApps: apps,
    unmigratedApps: new Set(),
    externalApps: new Set(),
    applied: new Map(),
    swappableSettings: new Map(),
  });
  return circularDependency(loaded);
}

describe('circularDependency', () => {
  it('names every member of a short cycle', () => {
    const found = problems(cycle(3));
    assert.equal(found.length, 3);
    assert.equal(
      found[0].message,
      'Circular dependency: shop.0000_step and shop.0001_step are both in the cycle shop.0000_step, shop.0001_step, shop.0002_step.',
    );
    assert.deepEqual(
      found.map((problem) => problem.related?.map((related) => related.message)),
      [['shop.0001_step'], ['shop.0002_step'], ['shop.0000_step']],
    );
  });

  it('keeps each message of a 4,000-migration cycle short: the output grows with the cycle, not its square', () => {
    const found = problems(cycle(4000));
    assert.equal(found.length, 4000);
    assert.match(found[0].message, /a cycle of 4000 migrations: shop\.0000_step, .*, shop\.0007_step and 3992 more\.$/);
    const sizes = found.map((problem) => JSON.stringify(problem).length);
    assert.ok(Math.max(...sizes) < 1000, `largest problem: ${Math.max(...sizes)} characters`);
  });
});
