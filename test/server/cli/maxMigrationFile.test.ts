import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { copyFixture } from '../../support/projectFolder';
import { runCli } from './cliProcess';

/** The max_migration.txt guard: `check` reports a stale one, and the refactorings keep it in step. */
describe('cli: max_migration.txt', function () {
  this.timeout(60_000);

  it('check reports a max_migration.txt that does not name the latest migration, and accepts one that does', async function () {
    const project = copyFixture('linear');
    const file = path.join(project, 'shop', 'migrations', 'max_migration.txt');
    writeFileSync(file, '0002_product_price\n');
    const stale = await runCli(['check', project, '--format', 'json']);
    assert.equal(stale.code, 1, stale.stderr);
    assert.deepEqual(
      (JSON.parse(stale.stdout) as { file: string; code: string; message: string }[]).map((p) => [p.file, p.code, p.message]),
      [
        [
          'shop/migrations/max_migration.txt',
          'stale-max-migration',
          "max_migration.txt names '0002_product_price', but the latest migration of 'shop' is 0003_order: write '0003_order' in it",
        ],
      ],
    );
    writeFileSync(file, '0003_order\n');
    const fresh = await runCli(['check', project]);
    assert.equal(fresh.code, 0, fresh.stdout);
  });

  it('rename, rebase and finish-squash write the new latest migration into it', async function () {
    const linear = copyFixture('linear');
    const linearFile = path.join(linear, 'shop', 'migrations', 'max_migration.txt');
    writeFileSync(linearFile, '0003_order\n');
    const renamed = await runCli(['rename', 'shop', '0003_order', '0003_orders', '--apply', '--dir', linear]);
    assert.equal(renamed.code, 0, renamed.stdout + renamed.stderr);
    assert.equal(readFileSync(linearFile, 'utf8'), '0003_orders\n');
    // Renaming a migration that is not the latest leaves the file as it is.
    assert.equal((await runCli(['rename', 'shop', '0001_initial', '0001_start', '--apply', '--dir', linear])).code, 0);
    assert.equal(readFileSync(linearFile, 'utf8'), '0003_orders\n');
    assert.equal((await runCli(['check', linear])).code, 0);

    const conflict = copyFixture('conflict');
    const conflictFile = path.join(conflict, 'shop', 'migrations', 'max_migration.txt');
    writeFileSync(conflictFile, '0002_product_price\n');
    const rebased = await runCli(['rebase', 'shop', '--onto', '0002_product_price', '--apply', '--dir', conflict]);
    assert.equal(rebased.code, 0, rebased.stdout + rebased.stderr);
    assert.equal(readFileSync(conflictFile, 'utf8'), '0003_product_sku\n');
    assert.equal((await runCli(['check', conflict])).code, 0);

    // A finished squash that ends its app is named, not the replaced migration it deleted.
    const squashed = copyFixture('squashed');
    rmSync(path.join(squashed, 'shop', 'migrations', '0004_order.py'));
    const squashedFile = path.join(squashed, 'shop', 'migrations', 'max_migration.txt');
    writeFileSync(squashedFile, '0003_product_sku\n');
    // Django's graph already has the squash in place of what it replaces.
    assert.match((await runCli(['check', squashed])).stdout, /stale-max-migration/);
    const finished = await runCli(['finish-squash', 'shop', '0001_squashed_0003_product_sku', '--apply', '--dir', squashed]);
    assert.equal(finished.code, 0, finished.stdout + finished.stderr);
    assert.equal(readFileSync(squashedFile, 'utf8'), '0001_squashed_0003_product_sku\n');
    // (Without 0004_order, its model has no migration: check reports that, and only that.)
    assert.doesNotMatch((await runCli(['check', squashed])).stdout, /stale-max-migration/);
  });
});
