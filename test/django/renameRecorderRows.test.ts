import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DjangoHelperProcess } from '../../server/src/django/djangoHelperProcess';
import { PythonEnvironment } from '../../server/src/django/pythonEnvironment';
import { runManagePy } from '../support/runManagePy';
import { copyFixture, fixtureEnvironment, scratchDirectory } from './commandsProject';

/**
 * Where no SQLite driver of ours writes (a VS Code whose Node has neither better-sqlite3 nor
 * node:sqlite), the server renames django_migrations rows through the project's Django helper:
 * all of them in one transaction, or none.
 */
describe("renaming recorder rows through the project's Django", function () {
  this.timeout(120_000);
  let scratch: ReturnType<typeof scratchDirectory>;
  let helper: DjangoHelperProcess | undefined;
  let environment: PythonEnvironment;

  before(async () => {
    scratch = scratchDirectory('rename-rows');
    const root = copyFixture(path.join(scratch.dir, 'project'));
    environment = fixtureEnvironment(root, `sqlite:///${path.join(scratch.dir, 'db.sqlite3')}`);
    const migrated = await runManagePy(['migrate', '--noinput'], { trusted: true, environment });
    assert.equal(migrated.exitCode, 0, migrated.stderr);
    helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0 });
  });

  after(async () => {
    await helper?.dispose();
    scratch.cleanup();
  });

  const applied = async (): Promise<string[]> => {
    const result = await runManagePy(['showmigrations', 'catalog', '--list'], { trusted: true, environment });
    return result.stdout
      .split('\n')
      .filter((line) => line.includes('[X]'))
      .map((line) => line.replace(/^\s*\[X\]\s*/, '').trim());
  };

  it('renames every row in one transaction, and none when one of them cannot be renamed', async () => {
    const before = await applied();
    assert.ok(before.includes('0003_product_sku'), before.join(', '));
    await assert.rejects(
      helper!.renameRecorderRows({
        database: 'default',
        renames: [
          { app: 'catalog', from: '0003_product_sku', to: '0003_sku' },
          { app: 'catalog', from: '0009_missing', to: '0009_gone' },
        ],
      }),
      /no row catalog\.0009_missing/,
    );
    assert.deepEqual(await applied(), before, 'the first rename was rolled back');

    assert.deepEqual(
      await helper!.renameRecorderRows({ database: 'default', renames: [{ app: 'catalog', from: '0003_product_sku', to: '0003_sku' }] }),
      { renamed: 1 },
    );
    // The file is still 0003_product_sku: Django now lists it unapplied, the row naming 0003_sku.
    assert.ok(!(await applied()).includes('0003_product_sku'));
    await helper!.renameRecorderRows({ database: 'default', renames: [{ app: 'catalog', from: '0003_sku', to: '0003_product_sku' }] });
    assert.deepEqual(await applied(), before);
  });
});
