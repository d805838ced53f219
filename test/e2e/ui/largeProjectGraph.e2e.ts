import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameLocator } from 'playwright-core';
import { BENCH_SHAPE, writeSyntheticProject } from '../../../bench/syntheticProject';
import { e2eContext } from '../e2eContext';
import { waitFor } from '../../support/waitFor';
import { Workbench } from '../workbench';

/**
 * The graph view on the 5,000-migration project `npm run bench` measures (50 apps of 100, with
 * squashes and cross-app dependencies): one app at a time, its search, and another app picked.
 */
describe('UI: the migration graph of a 5,000-migration project', () => {
  let workbench: Workbench;
  let graph: FrameLocator;
  let folder: string;

  /** The node ids the page shows. */
  const shownNodes = async (): Promise<string[]> =>
    graph.locator('g.node').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-id') ?? ''));

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'django-migrations-large-'));
    const { migrations } = writeSyntheticProject(folder, BENCH_SHAPE);
    assert.ok(migrations >= 5_000, `${migrations} migrations`);
    mkdirSync(join(folder, '.vscode'));
    writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'files.autoSave': 'off' }));
    const { server, browser } = e2eContext();
    workbench = await Workbench.open(browser, server.workbenchUrl(folder));
    await workbench.waitForExplorer();
    graph = workbench.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  });

  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await workbench?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('shows one app of the project, with the migrations of the app it depends on', async () => {
    await workbench.quickOpen('app26/migrations/0050_auto_50.py');
    await workbench.runCommand('Django Migrations: Show Migration Graph');
    const nodes = await waitFor(
      'the graph of app26',
      async () => {
        const shown = await shownNodes().catch((): string[] => []);
        return shown.includes('app26.0100_auto_100') ? shown : undefined;
      },
      120_000,
    );
    assert.equal(await graph.locator('#app').inputValue(), 'app26');
    const own = nodes.filter((id) => id.startsWith('app26.'));
    assert.equal(own.length, BENCH_SHAPE.migrationsPerApp, 'every migration of app26, and no other app in full');
    assert.ok(
      nodes.some((id) => id.startsWith('app25.')),
      'the app25 migrations that app26 depends on',
    );
    assert.ok(nodes.length < 2 * BENCH_SHAPE.migrationsPerApp, `${nodes.length} nodes: one app, not the project`);
    // The picker lists all 50 apps.
    const apps = await graph.locator('#app option').evaluateAll((options) => options.map((option) => option.getAttribute('value') ?? ''));
    for (const app of ['app00', 'app26', 'app49']) assert.ok(apps.includes(app), apps.join(', '));
  });

  it('finds a migration by name with the search box, and shows another app, its squash among the nodes', async () => {
    await graph.locator('#search').fill('0077_auto_77');
    // app26's own, and app27's of the same name, shown because it depends on app26.
    const matched = await waitFor('the matches', async () => {
      const ids = await graph
        .locator('g.node.match')
        .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-id') ?? ''));
      return ids.length > 0 ? ids : undefined;
    });
    assert.ok(matched.includes('app26.0077_auto_77'), matched.join(', '));
    assert.ok(
      matched.every((id) => id.endsWith('.0077_auto_77')),
      matched.join(', '),
    );
    assert.match(await graph.locator('#matches').innerText(), new RegExp(`^${matched.length} of \\d+ match$`));
    await graph.locator('#search').press('Enter');
    const selected = await waitFor('a match selected', async () => {
      const text = await graph.locator('#selection').innerText();
      return matched.find((id) => text.startsWith(`${id}:`));
    });
    assert.ok(selected);
    await workbench.screenshot('graph-view-5000-migrations');

    await graph.locator('#search').fill('');
    await graph.locator('#app').selectOption('app05');
    const nodes = await waitFor('the graph of app05', async () => {
      const shown = await shownNodes();
      return shown.includes('app05.0001_squashed_0010') ? shown : undefined;
    });
    assert.ok(!nodes.some((id) => id.startsWith('app26.')), 'app26 is gone');
  });
});
