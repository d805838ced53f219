import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { BENCH_SHAPE, writeSyntheticProject } from '../../bench/syntheticProject';
import { MigrationGraphAnswer, MigrationGraphPlanRequest, MigrationGraphRequest } from '../../protocol/index';
import { LspClient } from './lspClient';
import { temporaryFolder } from '../support/projectFolder';

/**
 * The graph view's requests on the bench's project of 5,000 migrations (50 apps of 100, squashes,
 * cross-app foreign keys), with no database yet: one app at a time stays small, the whole
 * project holds every node, and the plan to a leaf is in dependency order.
 */
describe('the migration graph requests on a project of 5,000 migrations', function () {
  this.timeout(300_000);
  const root = temporaryFolder('graph-scale');
  let client: LspClient;

  const graph = (app?: string): Promise<MigrationGraphAnswer> =>
    client.connection.sendRequest(MigrationGraphRequest, { projectRoot: root, ...(app ? { app } : {}) });

  before(async () => {
    assert.equal(writeSyntheticProject(root).migrations, 5010);
    // Untrusted: the graph comes from the files alone, as it does before Django is asked.
    ({ client } = await LspClient.start({
      folders: [root],
      initializationOptions: { trusted: false, storagePath: temporaryFolder('server-storage') },
      answerTimeoutMs: 60_000,
    }));
  });

  after(async () => {
    await client?.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers one app with its own migrations and the neighbours its dependencies cross to', async () => {
    const answer = await graph('app05');
    assert.equal(answer.apps.length, BENCH_SHAPE.apps);
    const own = answer.nodes.filter((node) => node.app === 'app05');
    // Its 100 migrations and the squash of the first ten, which Django uses instead of them.
    assert.equal(own.length, 101);
    assert.equal(own.filter((node) => node.state === 'replaced').length, 10);
    assert.equal(own.find((node) => node.name === '0001_squashed_0010')?.state, 'squashed');
    const outside = answer.nodes.filter((node) => node.state === 'outside');
    assert.ok(outside.length > 0);
    assert.deepEqual([...new Set(outside.map((node) => node.app))].sort(), ['app04', 'app06']);
    const ids = new Set(answer.nodes.map((node) => node.id));
    for (const edge of answer.edges) assert.ok(ids.has(edge.from) && ids.has(edge.to), `${edge.from} -> ${edge.to}`);
    const outsideIds = new Set(outside.map((node) => node.id));
    for (const edge of answer.edges.filter((entry) => outsideIds.has(entry.from) || outsideIds.has(entry.to))) {
      assert.ok(edge.from.startsWith('app05.') || edge.to.startsWith('app05.'), `${edge.from} -> ${edge.to} joins app05`);
    }
  });

  it('answers the whole project: every migration, no outside node', async () => {
    const answer = await graph();
    assert.equal(answer.nodes.length, 5010);
    assert.equal(answer.nodes.filter((node) => node.state === 'outside').length, 0);
    assert.equal(answer.nodes.filter((node) => node.state === 'squashed').length, 10);
    assert.ok(answer.edges.some((edge) => edge.from.startsWith('app48.') && edge.to.startsWith('app49.')));
  });

  it("plans a leaf's migration in dependency order, each step after its parents", async () => {
    const plan = await client.connection.sendRequest(MigrationGraphPlanRequest, { projectRoot: root, app: 'app03', name: '0100_auto_100' });
    assert.equal(plan.target, 'app03.0100_auto_100');
    const steps = plan.steps.map((step) => step.id);
    assert.ok(plan.steps.every((step) => !step.backwards));
    assert.equal(steps[steps.length - 1], 'app03.0100_auto_100');
    const position = new Map(steps.map((id, index) => [id, index]));
    const answer = await graph();
    for (const edge of answer.edges.filter((entry) => entry.kind === 'dependency' && position.has(entry.to))) {
      if (answer.nodes.find((node) => node.id === edge.from)?.state === 'replaced') continue;
      assert.ok((position.get(edge.from) ?? Infinity) < position.get(edge.to)!, `${edge.from} before ${edge.to}`);
    }
    // app03 reaches back through app02 and app01 to app00, whose squash stands for its first ten.
    assert.ok(steps.includes('app00.0001_squashed_0010'));
    assert.ok(!steps.includes('app00.0001_initial'));
    assert.ok(!steps.some((id) => id.startsWith('app04.')));
  });
});
