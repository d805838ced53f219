import * as assert from 'node:assert/strict';
import { planDisagreement } from '../../../server/src/features/planAgreement';
import { DatabaseSnapshot } from '../../../server/src/databases/databaseMonitor';

function snapshot(keys: string[], status: DatabaseSnapshot['status'] = 'ok'): DatabaseSnapshot {
  return {
    status,
    hasTable: true,
    rows: keys.map((key) => ({ app: key.split('.')[0], name: key.split('.')[1], applied: '2026-01-01 00:00:00' })),
    generation: 1,
    retrying: false,
  };
}

describe('a plan is trusted only when Django read what the tree shows', () => {
  it('agrees on the same rows, in any order', () => {
    assert.equal(planDisagreement('default', ['shop.0002_b', 'shop.0001_a'], snapshot(['shop.0001_a', 'shop.0002_b'])), undefined);
  });

  it('has nothing to compare while the tree cannot read the database', () => {
    assert.equal(planDisagreement('default', ['shop.0001_a'], undefined), undefined);
    assert.equal(planDisagreement('default', ['shop.0001_a'], snapshot([], 'pending')), undefined);
  });

  it('names what each side reads as applied', () => {
    const message = planDisagreement(
      'replica',
      ['shop.0001_a'],
      snapshot(['shop.0001_a', 'shop.0002_b', 'shop.0003_c', 'shop.0004_d', 'shop.0005_e']),
    );
    assert.equal(
      message,
      "Django and the tree read different applied migrations on database 'replica' (the tree shows shop.0002_b, shop.0003_c, shop.0004_d and 1 more as applied and Django does not). " +
        'Nothing was run: refresh the tree and try again; if they still differ, the settings Django uses point at another database than the tree reads.',
    );
    assert.match(
      planDisagreement('default', ['shop.0001_a', 'shop.0002_b'], snapshot(['shop.0001_a'])) ?? '',
      /\(Django reads shop\.0002_b as applied\)/,
    );
  });
});
