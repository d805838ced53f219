import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { reviewUnapply } from '../../client/src/commands/unapplyPlan';
import { withReverseLosses } from '../../server/src/features/plannedOperations';
import { DjangoHelperProcess } from '../../server/src/django/djangoHelperProcess';
import { runManagePy } from '../support/runManagePy';
import { copyFixture, fixtureEnvironment, scratchDirectory } from './commandsProject';

describe("reviewing a backwards migrate with Django's own plan", function () {
  this.timeout(120_000);
  let scratch: ReturnType<typeof scratchDirectory>;
  let helper: DjangoHelperProcess;

  before(async function () {
    this.timeout(120_000);
    scratch = scratchDirectory('unapply-review');
    const root = copyFixture(path.join(scratch.dir, 'project'));
    const environment = fixtureEnvironment(root, `sqlite:///${scratch.dir}/db.sqlite3`);
    const migrated = await runManagePy(['migrate', '--noinput'], { trusted: true, environment });
    assert.equal(migrated.exitCode, 0, migrated.stderr);
    helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0 });
  });

  after(async () => {
    await helper?.dispose();
    scratch?.cleanup();
  });

  it('unapplies to the parent in the same app, or to zero for a first migration', async () => {
    assert.equal((await helper.plan({ unapply: ['orders', '0002_order_totals_view'] })).target, '0001_initial');
    assert.equal((await helper.plan({ unapply: ['orders', '0001_initial'] })).target, 'zero');
  });

  it('stops at an operation without a reverse and lists the columns dropped before it', async () => {
    const review = reviewUnapply(withReverseLosses(await helper.plan({ targets: [['orders', '0001_initial']] })));
    assert.deepEqual(review.unapplied, ['orders.0004_order_status', 'orders.0003_backfill_first_lines', 'orders.0002_order_totals_view']);
    assert.deepEqual(review.irreversible, ['orders.0003_backfill_first_lines: RunPython has no reverse']);
    assert.deepEqual(review.dataLoss, ['orders.0004_order_status: Add field status to order (undoing it drops the column and its values)']);
    assert.equal(review.blocked, true);
    assert.equal(review.message, "Cannot unapply 3 migrations on database 'default': an operation has no reverse.");
    assert.match(review.detail, /Irreversible: migrate stops with IrreversibleError at\n {2}orders\.0003_backfill_first_lines/);
  });

  it('to zero: tables dropped with their rows, raw SQL without a reverse', async () => {
    const review = reviewUnapply(withReverseLosses(await helper.plan({ targets: [['reviews', 'zero']] })), 'default');
    assert.deepEqual(review.unapplied, ['reviews.0003_default_review_text', 'reviews.0002_review_rating_index', 'reviews.0001_initial']);
    assert.deepEqual(review.irreversible, ['reviews.0003_default_review_text: RunSQL has no reverse']);
    assert.deepEqual(review.dataLoss, ['reviews.0001_initial: Create model Review (undoing it drops the table and all its rows)']);
  });

  it('has nothing to say about a forwards plan', async () => {
    const review = reviewUnapply(withReverseLosses(await helper.plan()));
    assert.deepEqual([review.unapplied, review.applied, review.blocked], [[], [], false]);
    assert.equal(review.message, "Nothing to unapply on database 'default'.");
  });

  it('a reversible chain asks to unapply, with the data it loses', async () => {
    const review = reviewUnapply(withReverseLosses(await helper.plan({ targets: [['catalog', '0001_initial']] })), 'replica');
    assert.equal(review.blocked, false);
    assert.equal(review.message, "Unapply 2 migrations on database 'replica'?");
    assert.deepEqual(review.unapplied, ['catalog.0003_product_sku', 'catalog.0002_seed_categories']);
  });
});
