import * as assert from 'node:assert/strict';
import { MigrationGraphAnswer, MigrationGraphPlanRequest, MigrationGraphRequest } from '../../protocol/index';
import { DjangoProject } from '../django/djangoProject';
import { LspClient } from './lspClient';
import { waitFor } from '../support/waitFor';
import { temporaryFolder } from '../support/projectFolder';

/** The graph view's requests, answered by the bundled server over its real protocol. */
describe('the migration graph requests', function () {
  this.timeout(120_000);
  let django: DjangoProject;
  let client: LspClient;

  const graph = (app?: string): Promise<MigrationGraphAnswer> =>
    client.connection.sendRequest(MigrationGraphRequest, { projectRoot: django.dir, ...(app ? { app } : {}) });
  const node = (answer: MigrationGraphAnswer, id: string) => {
    const found = answer.nodes.find((candidate) => candidate.id === id);
    assert.ok(found, `${id} is a node`);
    return found;
  };
  const edges = (answer: MigrationGraphAnswer, kind: 'dependency' | 'replaces') =>
    answer.edges
      .filter((edge) => edge.kind === kind)
      .map((edge) => `${edge.from} -> ${edge.to}`)
      .sort();

  before(async () => {
    django = await DjangoProject.fromFixture('squashed');
    await django.manage('migrate', 'shop', '0001_squashed_0003_product_sku');
    ({ client } = await LspClient.start({
      folders: [django.dir],
      initializationOptions: { storagePath: temporaryFolder('server-storage') },
    }));
  });

  after(async () => {
    await client?.shutdown();
    await django?.remove();
  });

  it("answers one app's graph with its squash, what it replaces, and the other apps' nodes it reaches", async () => {
    const answer = await waitFor('the database is read', async () => {
      const found = await graph('shop');
      return found.status === 'ok' ? found : undefined;
    });
    assert.equal(answer.alias, 'default');
    assert.deepEqual(answer.aliases, ['default']);
    assert.deepEqual(
      answer.apps.map((app) => [app.label, app.migrations, app.conflicting]),
      [
        ['reports', 2, false],
        ['shop', 2, false],
      ],
    );
    const squash = node(answer, 'shop.0001_squashed_0003_product_sku');
    assert.equal(squash.state, 'squashed');
    assert.equal(squash.applied, true);
    assert.deepEqual(squash.replaces, ['shop.0001_initial', 'shop.0002_product_price', 'shop.0003_product_sku']);
    assert.ok(squash.file?.endsWith('shop/migrations/0001_squashed_0003_product_sku.py'));
    for (const replaced of ['shop.0001_initial', 'shop.0002_product_price', 'shop.0003_product_sku']) {
      assert.equal(node(answer, replaced).state, 'replaced');
      assert.equal(node(answer, replaced).replacedBy, squash.id);
      assert.equal(node(answer, replaced).applied, true, 'migrate recorded what the squash replaces');
    }
    assert.equal(node(answer, 'shop.0004_order').state, 'unapplied');
    assert.equal(node(answer, 'reports.0001_initial').state, 'outside');
    assert.equal(node(answer, 'reports.0002_salesreport_title').state, 'outside');
    assert.deepEqual(edges(answer, 'replaces'), [
      'shop.0001_initial -> shop.0001_squashed_0003_product_sku',
      'shop.0002_product_price -> shop.0001_squashed_0003_product_sku',
      'shop.0003_product_sku -> shop.0001_squashed_0003_product_sku',
    ]);
    assert.deepEqual(edges(answer, 'dependency'), [
      'shop.0001_initial -> shop.0002_product_price',
      'shop.0001_squashed_0003_product_sku -> reports.0001_initial',
      'shop.0001_squashed_0003_product_sku -> reports.0002_salesreport_title',
      'shop.0001_squashed_0003_product_sku -> shop.0004_order',
      'shop.0002_product_price -> shop.0003_product_sku',
    ]);
  });

  it("answers the whole project's graph with its cross-app edges and no outside nodes", async () => {
    const answer = await graph();
    assert.equal(answer.app, undefined);
    assert.deepEqual(
      answer.nodes.filter((entry) => entry.state === 'outside'),
      [],
    );
    assert.equal(node(answer, 'reports.0002_salesreport_title').state, 'unapplied');
    assert.ok(edges(answer, 'dependency').includes('reports.0001_initial -> reports.0002_salesreport_title'));
    assert.ok(edges(answer, 'dependency').includes('shop.0001_squashed_0003_product_sku -> reports.0001_initial'));
  });

  it("answers the app of a migration file, as the palette asks for the active editor's before the databases are read", async () => {
    const file = node(await graph('reports'), 'reports.0002_salesreport_title').file;
    assert.ok(file);
    const answer = await client.connection.sendRequest(MigrationGraphRequest, { projectRoot: django.dir, file });
    assert.equal(answer.app, 'reports');
    assert.ok(answer.nodes.some((candidate) => candidate.id === 'shop.0001_squashed_0003_product_sku' && candidate.state === 'outside'));
    const unknown = await client.connection.sendRequest(MigrationGraphRequest, {
      projectRoot: django.dir,
      file: `${django.dir}/manage.py`,
    });
    assert.equal(unknown.app, undefined, 'a file that is no migration: the whole project');
  });

  it('plans what migrate would apply to reach a migration, through the squash Django uses', async () => {
    const plan = await client.connection.sendRequest(MigrationGraphPlanRequest, {
      projectRoot: django.dir,
      app: 'reports',
      name: '0002_salesreport_title',
    });
    assert.equal(plan.target, 'reports.0002_salesreport_title');
    assert.deepEqual(plan.steps, [
      { id: 'reports.0001_initial', backwards: false },
      { id: 'reports.0002_salesreport_title', backwards: false },
    ]);
    const replaced = await client.connection.sendRequest(MigrationGraphPlanRequest, {
      projectRoot: django.dir,
      app: 'shop',
      name: '0002_product_price',
    });
    assert.equal(replaced.target, 'shop.0001_squashed_0003_product_sku');
    assert.deepEqual(replaced.steps, []);
  });

  it('plans what migrate would unapply, once the database changed', async () => {
    await django.manage('migrate');
    const plan = await waitFor('the migrate is read', async () => {
      const found = await client.connection.sendRequest(MigrationGraphPlanRequest, {
        projectRoot: django.dir,
        app: 'shop',
        name: '0001_squashed_0003_product_sku',
      });
      return found.steps.length > 0 ? found : undefined;
    });
    assert.deepEqual(plan.steps, [{ id: 'shop.0004_order', backwards: true }]);
    const reports = await client.connection.sendRequest(MigrationGraphPlanRequest, {
      projectRoot: django.dir,
      app: 'reports',
      name: '0001_initial',
    });
    assert.deepEqual(reports.steps, [{ id: 'reports.0002_salesreport_title', backwards: true }]);
    assert.equal(node(await graph('shop'), 'shop.0004_order').state, 'applied');
  });
});
