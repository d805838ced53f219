import * as assert from 'node:assert/strict';
import { DjangoRequestError } from '../../server/src/django/djangoErrors';
import { DjangoHelperProcess } from '../../server/src/django/djangoHelperProcess';
import { resolvePythonEnvironment } from '../../server/src/django/pythonEnvironment';
import { djangoAtLeast, djangoPython } from '../support/testDjango';
import { DjangoProject } from './djangoProject';

/**
 * `migrate APP SQUASH --plan` on a squash only partly applied: Django 4.0 and later target the
 * last migration it replaces, Django 3.2 stops with NodeNotFoundError. The helper's plan follows
 * the project's Django.
 */
describe('the helper plans migrate APP SQUASH on a partly applied squash as manage.py does', function () {
  this.timeout(120_000);
  let project: DjangoProject;
  let helper: DjangoHelperProcess;

  before(async () => {
    project = await DjangoProject.fromFixture('squashed');
    await project.recordApplied([['shop', '0001_initial']]);
    const environment = resolvePythonEnvironment({
      projectRoot: project.dir,
      pythonPath: djangoPython,
      settingsModule: 'config.settings',
      baseEnv: process.env,
    });
    helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0 });
  });

  after(async () => {
    await helper.dispose();
    await project.remove();
  });

  it('gives the lines of migrate --plan, or its error', async () => {
    const django = await project.python(['manage.py', 'migrate', 'shop', '0001_squashed_0003_product_sku', '--plan']);
    const ours = helper.plan({ targets: [['shop', '0001_squashed_0003_product_sku']] });
    if (djangoAtLeast(4, 0)) {
      assert.equal(django.code, 0, django.stderr);
      const { lines, plan } = await ours;
      assert.deepEqual(lines, django.stdout.replace(/\n$/, '').split('\n'));
      assert.deepEqual(
        plan.map((step) => `${step.app}.${step.name}`),
        ['shop.0002_product_price', 'shop.0003_product_sku'],
      );
    } else {
      assert.notEqual(django.code, 0);
      assert.match(django.stderr, /NodeNotFoundError/);
      await assert.rejects(ours, (error: unknown) => error instanceof DjangoRequestError && error.type === 'NodeNotFoundError');
    }
  });
});
