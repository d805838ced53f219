import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { planSqlText } from '../../client/src/commands/planSqlText';
import { DjangoHelperProcess } from '../../server/src/django/djangoHelperProcess';
import { PythonEnvironment } from '../../server/src/django/pythonEnvironment';
import { runManagePy } from '../support/runManagePy';
import { copyFixture, fixtureEnvironment, scratchDirectory } from './commandsProject';

/** "Show SQL for the Plan": each step of `migrate --plan`, with the SQL `sqlmigrate` prints for it. */
describe('the SQL of a migrate plan, step by step as sqlmigrate writes it', function () {
  this.timeout(120_000);
  let scratch: ReturnType<typeof scratchDirectory>;
  let environment: PythonEnvironment;
  let helper: DjangoHelperProcess;

  async function managePy(...args: string[]): Promise<string> {
    const result = await runManagePy(args, { trusted: true, environment });
    assert.equal(result.exitCode, 0, result.stderr);
    return result.stdout;
  }

  before(async () => {
    scratch = scratchDirectory('plan-sql');
    const root = copyFixture(path.join(scratch.dir, 'project'));
    environment = fixtureEnvironment(root, `sqlite:///${scratch.dir}/db.sqlite3`);
    await managePy('migrate', 'catalog', '0001', '--noinput');
    helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0 });
  });

  after(async () => {
    await helper?.dispose();
    scratch?.cleanup();
  });

  it('forwards: the steps of migrate --plan, each with sqlmigrate APP NAME', async () => {
    const answer = await helper.planSql({ targets: [['catalog', null]] });
    assert.deepEqual(
      answer.steps.map((step) => `${step.app}.${step.name}`),
      ['catalog.0002_seed_categories', 'catalog.0003_product_sku'],
    );
    assert.deepEqual(answer.lines, (await managePy('migrate', 'catalog', '--plan')).trimEnd().split('\n'));
    for (const step of answer.steps) {
      assert.equal(step.sql, (await managePy('sqlmigrate', step.app, step.name)).replace(/\n$/, ''), `${step.app}.${step.name}`);
    }
    const text = planSqlText(
      { lines: answer.lines, steps: answer.steps.map((step) => ({ ...step, error: undefined })) },
      'migrate catalog',
      'default',
    );
    assert.ok(text.indexOf('-- Apply catalog.0002_seed_categories') < text.indexOf('-- Apply catalog.0003_product_sku'));
    assert.match(text, /ALTER TABLE "catalog_product" ADD COLUMN "sku"|CREATE TABLE "new__catalog_product"/);
  });

  it('backwards: sqlmigrate --backwards for each step, and the list ends where migrate would stop', async () => {
    await managePy('migrate', '--noinput');
    const back = await helper.planSql({ targets: [['catalog', '0002_seed_categories']] });
    assert.deepEqual(
      back.steps.map((step) => [step.name, step.backwards]),
      [['0003_product_sku', true]],
    );
    assert.equal(back.steps[0].sql, (await managePy('sqlmigrate', 'catalog', '0003_product_sku', '--backwards')).replace(/\n$/, ''));

    // orders.0003 backfills with RunPython and no reverse: migrate stops there with IrreversibleError.
    const stopped = await helper.planSql({ targets: [['orders', '0001_initial']] });
    const last = stopped.steps[stopped.steps.length - 1];
    assert.equal(last.error?.type, 'IrreversibleError');
    const reference = await runManagePy(['sqlmigrate', 'orders', last.name, '--backwards'], { trusted: true, environment });
    assert.notEqual(reference.exitCode, 0);
    assert.match(reference.stderr, /IrreversibleError|irreversible/i);
  });
});
