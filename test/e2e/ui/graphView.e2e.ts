import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { FrameLocator } from 'playwright-core';
import { e2eContext } from '../e2eContext';
import { waitFor } from '../../support/waitFor';
import { SqliteDatabase } from '../sqliteDatabase';
import { Workbench } from '../workbench';

/**
 * The migration graph of a copy of sample/ (trusted): its nodes with their applied state on
 * `default`, the plan to a selected migration, clicks and keys that open files, the filter and
 * the app picker.
 */
describe('UI: the migration graph view', () => {
  let workbench: Workbench;
  let database: SqliteDatabase;
  let graph: FrameLocator;

  /** The node ids the page shows, with their classes. */
  const shownNodes = async (): Promise<Map<string, string>> => {
    const nodes = graph.locator('g.node');
    const entries = await nodes.evaluateAll((elements) =>
      elements.map((element) => [element.getAttribute('data-id') ?? '', element.getAttribute('class') ?? ''] as const),
    );
    return new Map(entries);
  };

  /** Whether a file is the shown tab of an editor group: files open beside the graph, which keeps the focus. */
  const shownInAGroup = async (file: string): Promise<true | undefined> => {
    const names = await workbench.page
      .locator('.editor-group-container .tabs-container .tab.active')
      .evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('data-resource-name')));
    return names.includes(file) ? true : undefined;
  };

  before(async () => {
    const { server, browser, djangoWorkspace } = e2eContext();
    database = new SqliteDatabase(join(djangoWorkspace, 'db.sqlite3'));
    workbench = await Workbench.open(browser, server.workbenchUrl(djangoWorkspace));
    await workbench.waitForExplorer();
    // The graph's content is the inner frame of the webview's iframe.
    graph = workbench.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  });

  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await workbench?.close();
  });

  it("shows the graph of the active migration's app, each node applied as the database has it", async () => {
    await workbench.quickOpen('catalog/migrations/0001_initial.py');
    await workbench.runCommand('Django Migrations: Show Migration Graph');
    const applied = new Set(database.appliedMigrations());
    const asApplied = (shown: Map<string, string>) =>
      [...shown].every(([id, classes]) => !id.startsWith('catalog.') || classes.split(' ').includes('is-applied') === applied.has(id));
    // The graph may be drawn before the server's first read of the database, and again after it.
    let nodes = new Map<string, string>();
    await waitFor('the graph of catalog, as the database has it', async () => {
      nodes = await shownNodes().catch(() => new Map<string, string>());
      return nodes.has('catalog.0003_book_isbn') && asApplied(nodes) ? true : undefined;
    }).catch(() => undefined); // the assertions below say what differs
    assert.equal(await graph.locator('#app').inputValue(), 'catalog');
    assert.equal(await graph.locator('#alias').inputValue(), 'default');
    const catalog = [...nodes.keys()].filter((id) => id.startsWith('catalog.'));
    assert.ok(catalog.includes('catalog.0001_initial') && catalog.includes('catalog.0003_author_bio'), catalog.join(', '));
    for (const id of catalog) {
      const classes = (nodes.get(id) ?? '').split(' ');
      assert.equal(classes.includes('is-applied'), applied.has(id), `${id}: ${nodes.get(id)}`);
    }
    // Both leaves conflict unless a merge joined them.
    const merged = catalog.some((id) => id.includes('_merge_'));
    assert.equal(nodes.get('catalog.0003_book_isbn')?.split(' ').includes('conflicting'), !merged, nodes.get('catalog.0003_book_isbn'));
    // orders depends on catalog: its migrations are shown as another app's.
    assert.ok([...nodes.entries()].some(([id, classes]) => id.startsWith('orders.') && classes.includes('outside')));
  });

  it('selects a migration with a click: opens its file and says what migrate to it would do', async () => {
    await graph.locator('g.node[data-id="catalog.0002_book_published"]').click();
    await waitFor('the file opened', () => shownInAGroup('0002_book_published.py'));
    const plan = await waitFor('the plan', async () => {
      const text = await graph.locator('#plan').innerText();
      return text.startsWith('migrate catalog 0002_book_published') ? text : undefined;
    });
    const applied = database.appliedMigrations();
    // Applied, with applied children in the app: migrate would unapply them.
    if (applied.includes('catalog.0003_author_bio')) assert.match(plan, /would unapply \d+: .*catalog\.0003_author_bio/);
    assert.match(await graph.locator('#selection').innerText(), /^catalog\.0002_book_published: applied$/);
    assert.equal(await graph.locator('#migrateTo').isEnabled(), true);
    assert.equal(await graph.locator('#unapply').isEnabled(), true);
    await workbench.runCommand('View: Toggle Primary Side Bar Visibility');
    await workbench.page.mouse.move(900, 700);
    await workbench.screenshot('graph-view');
  });

  it('moves between nodes with the arrow keys and opens one with Enter', async () => {
    await graph.locator('#canvas').focus();
    await workbench.page.keyboard.press('ArrowUp');
    await waitFor('the parent selected', async () =>
      (await graph.locator('#selection').innerText()).startsWith('catalog.0001_initial:') ? true : undefined,
    );
    await workbench.page.keyboard.press('Enter');
    await waitFor('the file opened', () => shownInAGroup('0001_initial.py'));
  });

  it("offers the tree's commands on a node's context menu, Record Only (--fake) with the tree's confirmation", async () => {
    const before = database.appliedMigrations();
    await graph.locator('g.node[data-id="catalog.0001_initial"]').click({ button: 'right' });
    const actions = workbench.page.locator('.context-view .action-label');
    await actions.first().waitFor({ timeout: 10_000 });
    const menu = (await actions.allInnerTexts()).map((action) => action.trim()).filter(Boolean);
    const fake = 'Record as Migrated to This Migration (--fake)';
    for (const title of [
      'Open Migration',
      'Show SQL (sqlmigrate)',
      'Show Backwards SQL (sqlmigrate --backwards)',
      'Unapply Migration…',
      fake,
    ]) {
      assert.ok(menu.includes(title), menu.join(', '));
    }
    await workbench.screenshot('graph-context-menu');
    await workbench.pickMenuAction(fake);
    if (before.some((id) => id.startsWith('catalog.') && id.includes('_merge_'))) {
      // Recording catalog back to 0001 unapplies its children in django_migrations: asked first.
      const dialog = await workbench.dialogText();
      assert.match(dialog, /catalog\.0002_book_published/);
      assert.ok(dialog.includes('Show Plan') && dialog.includes('Record Only (--fake)') && !/\bUnapply\b\s*$/m.test(dialog), dialog);
      await workbench.pressDialogButton('Cancel');
    } else {
      // Django refuses to plan while catalog's leaves conflict: nothing runs, and the reason is shown.
      await workbench.waitForNotification((text) => text.includes('nothing was run'));
    }
    assert.deepEqual(database.appliedMigrations(), before);
  });

  it('filters nodes by name, and shows another app with the picker', async () => {
    await graph.locator('#search').fill('isbn');
    // 0003_book_isbn, and the merge migration named after it once the story before merged them.
    const named = [...(await shownNodes()).keys()].filter((id) => id.includes('isbn')).sort();
    assert.ok(named.includes('catalog.0003_book_isbn'), named.join(', '));
    assert.match(await graph.locator('#matches').innerText(), new RegExp(`^${named.length} of \\d+ match$`));
    const matched = await graph
      .locator('g.node.match')
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-id') ?? ''));
    assert.deepEqual(matched.sort(), named);
    await graph.locator('#app').selectOption('orders');
    const nodes = await waitFor('the graph of orders', async () => {
      const shown = await shownNodes();
      return shown.has('orders.0003_fill_order_totals') ? shown : undefined;
    });
    assert.ok(nodes.get('catalog.0001_initial')?.includes('outside'), 'the catalog migration orders depends on');
    assert.ok(!nodes.has('catalog.0003_book_isbn'), 'no catalog migration that orders does not reach');
  });
});
