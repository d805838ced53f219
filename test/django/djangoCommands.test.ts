import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DjangoRequestError } from '../../server/src/django/djangoErrors';
import { DjangoHelperProcess } from '../../server/src/django/djangoHelperProcess';
import { PythonEnvironment } from '../../server/src/django/pythonEnvironment';
import { runManagePy } from '../support/runManagePy';
import { copyFixture, fixtureEnvironment, scratchDirectory } from './commandsProject';

describe('Django helper requests against manage.py', function () {
  this.timeout(60_000);
  let scratch: ReturnType<typeof scratchDirectory>;
  let root: string;
  let environment: PythonEnvironment;
  let helper: DjangoHelperProcess;

  const managePy = async (args: string[]) => {
    const result = await runManagePy(args, { trusted: true, environment });
    assert.equal(result.exitCode, 0, result.stderr);
    return result.stdout;
  };
  const lines = (text: string): string[] => text.replace(/\n$/, '').split('\n');

  before(() => {
    scratch = scratchDirectory('django-commands');
    root = copyFixture(path.join(scratch.dir, 'project'));
    environment = fixtureEnvironment(root, `sqlite:///${scratch.dir}/db.sqlite3`);
    helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0 });
  });

  after(async () => {
    await helper.dispose();
    scratch.cleanup();
  });

  it('plans like migrate --plan on an empty database', async () => {
    const { lines: planned, plan } = await helper.plan();
    assert.deepEqual(planned, lines(await managePy(['migrate', '--plan'])));
    const keys = plan.map((step) => `${step.app}.${step.name}`);
    assert.ok(keys.indexOf('catalog.0001_initial') < keys.indexOf('orders.0001_initial'));
    assert.ok(plan.every((step) => !step.backwards));
    const seed = plan.find((step) => step.name === '0002_seed_categories');
    assert.deepEqual(seed?.operations, [
      {
        message: 'Raw Python operation -> Create the default categories.',
        irreversible: false,
        type: 'RunPython',
        describe: 'Raw Python operation',
      },
    ]);
  });

  it('reads what is applied', async () => {
    assert.deepEqual((await helper.plan()).applied, []);
    await managePy(['migrate', '--noinput']);
    const after = await helper.plan();
    assert.ok(after.applied.includes('orders.0004_order_status'));
    assert.ok(after.applied.includes('contenttypes.0001_initial'));
    assert.deepEqual(after.lines, ['Planned operations:', '  No planned migration operations.']);
  });

  it('plans backwards like migrate APP NAME --plan, irreversible steps included', async () => {
    const { lines: planned, plan } = await helper.plan({ targets: [['orders', '0001']] });
    assert.deepEqual(planned, lines(await managePy(['migrate', 'orders', '0001', '--plan'])));
    assert.deepEqual(
      plan.map((step) => [step.name, step.backwards]),
      [
        ['0004_order_status', true],
        ['0003_backfill_first_lines', true],
        ['0002_order_totals_view', true],
      ],
    );
    assert.deepEqual(plan[1].operations, [
      { message: 'Raw Python operation -> IRREVERSIBLE', irreversible: true, type: 'RunPython', describe: 'Raw Python operation' },
    ]);
    const zero = await helper.plan({ targets: [['reviews', 'zero']] });
    assert.deepEqual(zero.lines, lines(await managePy(['migrate', 'reviews', 'zero', '--plan'])));
    await assert.rejects(helper.plan({ targets: [['orders', '0009']] }), (error: unknown) => {
      assert.ok(error instanceof DjangoRequestError);
      assert.equal(error.type, 'CommandError');
      assert.equal(error.djangoMessage, "Cannot find a migration matching '0009' from app 'orders'.");
      return true;
    });
  });

  it('reports makemigrations --check like manage.py, with what it would write', async () => {
    const clean = await helper.makemigrationsCheck();
    assert.equal(clean.exitCode, 0);
    assert.deepEqual(clean.changes, {});
    assert.equal(clean.stdout, await managePy(['makemigrations', '--check', '--dry-run']));

    const models = path.join(root, 'catalog', 'models.py');
    writeFileSync(
      models,
      readFileSync(models, 'utf8').replace('    sku = ', '    weight = models.PositiveIntegerField(null=True)\n    sku = '),
    );
    await helper.restart(); // Models changed: the server restarts the helper.
    const dirty = await helper.makemigrationsCheck();
    const reference = await runManagePy(['makemigrations', '--check', '--dry-run'], { trusted: true, environment });
    assert.equal(reference.exitCode, 1);
    assert.equal(dirty.exitCode, 1);
    assert.equal(dirty.stdout, reference.stdout);
    assert.deepEqual(Object.keys(dirty.changes), ['catalog']);
    const [migration] = dirty.changes.catalog;
    assert.equal(migration.name, '0004_product_weight');
    assert.equal(migration.path, path.join(root, 'catalog', 'migrations', '0004_product_weight.py'));
    assert.deepEqual(migration.operations, ['Add field weight to product']);
    assert.match(migration.content, /migrations\.AddField\(\s+model_name='product',\s+name='weight',/);
  });

  it('streams a management command and cancels one', async () => {
    const chunks: string[] = [];
    const shown = await runManagePy(['showmigrations', 'catalog'], {
      trusted: true,
      environment,
      onOutput: (text, stream) => stream === 'stdout' && chunks.push(text),
    });
    assert.equal(shown.exitCode, 0);
    assert.equal(chunks.join(''), shown.stdout);
    assert.match(shown.stdout, /^catalog\n \[X\] 0001_initial\n/);

    const controller = new AbortController();
    const waiting = runManagePy(['shell', '-c', "import time; print('waiting', flush=True); time.sleep(60)"], {
      trusted: true,
      environment,
      signal: controller.signal,
      onOutput: (text) => text.includes('waiting') && controller.abort(),
    });
    const cancelled = await waiting;
    assert.equal(cancelled.cancelled, true);
    assert.notEqual(cancelled.exitCode, 0);
  });
});
