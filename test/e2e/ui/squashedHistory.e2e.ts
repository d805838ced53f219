import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eContext } from '../e2eContext';
import { waitFor } from '../../support/waitFor';
import { copySample, djangoPython } from '../sampleWorkspace';
import { SqliteDatabase } from '../sqliteDatabase';
import { Workbench } from '../workbench';

/**
 * A copy of sample/ whose catalog app was merged, given a later migration, squashed up to the
 * merge and migrated in a shell: the later migration depends on a migration the squash replaces.
 * Unapplying it targets the squash, as Django remaps it, not the replaced merge (whose name
 * `migrate` would answer with a KeyError). Every migration is applied, so quick fixes edit
 * applied migrations.
 */
describe('UI: a squashed history, applied (unapply after a squash, applied quick fixes, makemigrations)', () => {
  let workbench: Workbench;
  let folder: string;
  let workspace: string;
  let database: SqliteDatabase;
  let squashName: string;

  const managePy = (...args: string[]): void => {
    execFileSync(djangoPython, ['manage.py', ...args], { cwd: workspace, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const catalogMigrations = (): string[] => readdirSync(join(workspace, 'catalog', 'migrations')).map((file) => file.replace(/\.py$/, ''));

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'django-migrations-squash-'));
    // VS Code for the Web saves after a second by default; the desktop default keeps edits unsaved.
    const settings = { 'djangoMigrations.python.path': djangoPython, 'files.autoSave': 'off' };
    workspace = copySample(join(folder, 'bookshop'), { settings });
    managePy('makemigrations', 'catalog', '--merge', '--noinput');
    const mergeName = catalogMigrations().find((name) => /^0004_merge_/.test(name));
    assert.ok(mergeName, catalogMigrations().join(', '));
    managePy('makemigrations', 'catalog', '--empty', '--name', 'later');
    managePy('squashmigrations', 'catalog', mergeName, '--noinput');
    squashName = catalogMigrations().find((name) => name.startsWith('0001_squashed_')) ?? '';
    assert.equal(squashName, `0001_squashed_${mergeName}`);
    managePy('migrate', '--noinput');
    database = new SqliteDatabase(join(workspace, 'db.sqlite3'));
    assert.ok(database.appliedMigrations().includes('catalog.0005_later'));

    const { server, browser } = e2eContext();
    workbench = await Workbench.open(browser, server.workbenchUrl(workspace));
    await workbench.waitForExplorer();
  });

  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await workbench?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('offers Merge only on an app with conflicting leaves and no password on a SQLite database', async () => {
    await workbench.runCommand('Django Migrations: Focus on Migrations View');
    await workbench.resizeSideBar(400);
    await workbench.waitForTreeItemState('catalog', (state) => state.description !== '', 60_000);
    const aliasMenu = await workbench.openTreeItemMenu('default');
    await workbench.page.keyboard.press('Escape');
    assert.ok(!aliasMenu.some((action) => action.startsWith('Set Database Password')), aliasMenu.join(', '));
    const appMenu = await workbench.openTreeItemMenu('catalog');
    await workbench.page.keyboard.press('Escape');
    assert.ok(appMenu.includes('Squash Migrations…'), appMenu.join(', '));
    assert.ok(!appMenu.some((action) => action.startsWith('Merge Conflicting Migrations')), appMenu.join(', '));
  });

  it('unapplies a migration that depends on a replaced one: back to the squash, as Django remaps it', async () => {
    await workbench.expandTreeItem('catalog');
    await workbench.waitForTreeItemState('0005_later', (state) => state.icon === 'pass-filled');
    const actions = await workbench.openTreeItemMenu('0005_later');
    assert.ok(actions.includes('Unapply Migration…'), actions.join(', '));
    await workbench.pickMenuAction('Unapply Migration…');
    const dialog = await workbench.dialogText();
    assert.match(dialog, /Unapply 1 migration on database 'default'\?/);
    assert.match(dialog, /catalog\.0005_later/);
    assert.doesNotMatch(dialog, /KeyError/);
    await workbench.screenshot('unapply-after-squash');
    await workbench.pressDialogButton('Unapply');

    const terminal = await workbench.waitForTerminalText((text) => text.includes('Unapplying catalog.0005_later... OK'));
    assert.doesNotMatch(terminal, /KeyError/);
    await waitFor('catalog.0005_later unapplied', () => (database.appliedMigrations().includes('catalog.0005_later') ? undefined : true));
    const catalog = database.appliedMigrations().filter((row) => row.startsWith('catalog.'));
    assert.ok(catalog.includes(`catalog.${squashName}`), catalog.join(', '));
    assert.ok(catalog.includes('catalog.0003_book_isbn'), 'the replaced migrations stay applied');
    await workbench.waitForTreeItemState('0005_later', (state) => state.icon === 'circle-large-outline');
  });

  it('runs every command in one terminal named after the project', async () => {
    await workbench.openTreeItemMenu('0005_later');
    await workbench.pickMenuAction('Migrate to This Migration');
    await workbench.waitForTerminalText((text) => text.includes('Applying catalog.0005_later... OK'));
    await waitFor('catalog.0005_later applied', () => (database.appliedMigrations().includes('catalog.0005_later') ? true : undefined));
    // One terminal: the panel shows its name instead of a list of tabs.
    assert.equal(await workbench.page.locator('.terminal-tabs-entry').count(), 0);
    assert.match(await workbench.page.locator('.single-terminal-tab').innerText(), /Django: bookshop/);
  });

  it("shows the squash and what it replaces in the graph, whose context menu runs the tree's commands", async () => {
    await workbench.quickOpen('catalog/migrations/0005_later.py');
    await workbench.runCommand('Django Migrations: Show Migration Graph');
    const graph = workbench.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const classesOf = async (id: string): Promise<string[]> =>
      ((await graph.locator(`g.node[data-id="${id}"]`).getAttribute('class')) ?? '').split(' ');
    await waitFor('the graph of catalog', async () =>
      (await graph.locator('g.node[data-id="catalog.0005_later"]').count()) > 0 ? true : undefined,
    );
    assert.ok((await classesOf(`catalog.${squashName}`)).includes('squashed'));
    assert.ok((await classesOf('catalog.0001_initial')).includes('replaced'));
    assert.ok((await classesOf('catalog.0005_later')).includes('is-applied'));

    await graph.locator('g.node[data-id="catalog.0005_later"]').click({ button: 'right' });
    const actions = workbench.page.locator('.context-view .action-label');
    await actions.first().waitFor({ timeout: 10_000 });
    const titles = (await actions.allInnerTexts()).map((title) => title.trim()).filter(Boolean);
    for (const title of ['Open Migration', 'Migrate to This Migration', 'Unapply Migration…'])
      assert.ok(titles.includes(title), titles.join(', '));
    await workbench.pickMenuAction('Unapply Migration…');
    assert.match(await workbench.dialogText(), /Unapply 1 migration on database 'default'\?/);
    await workbench.pressDialogButton('Cancel');
    assert.ok(database.appliedMigrations().includes('catalog.0005_later'), 'nothing ran');
    await workbench.runCommand('View: Close All Editors');
  });

  it('cannot unapply past an irreversible RunPython: the dialog offers no Unapply, and Enter only shows the plan', async () => {
    await workbench.runCommand('Django Migrations: Focus on Migrations View');
    await workbench.expandTreeItem('orders');
    await workbench.openTreeItemMenu('0002_order_total');
    await workbench.pickMenuAction('Unapply Migration…');
    const dialog = await workbench.dialogText();
    assert.match(dialog, /Cannot unapply 2 migrations on database 'default': an operation has no reverse\./);
    assert.match(dialog, /orders\.0003_fill_order_totals: RunPython has no reverse/);
    const buttons = (await workbench.page.locator('.monaco-dialog-box .monaco-button').allInnerTexts()).map((text) => text.trim());
    assert.ok(!buttons.includes('Unapply'), buttons.join(', '));
    assert.ok(buttons.includes('Record Only (--fake)'), buttons.join(', '));
    const focused = await workbench.page.locator('.monaco-dialog-box .monaco-button:focus').innerText();
    assert.equal(focused.trim(), 'Show Plan');
    await workbench.screenshot('cannot-unapply');
    await workbench.pressDialogButton('Cancel');
    assert.ok(database.appliedMigrations().includes('orders.0003_fill_order_totals'), 'nothing ran');
  });

  it('says a quick fix edits an applied migration, leaves it unsaved, and no warning asks to undo it', async () => {
    const file = join(workspace, 'orders', 'migrations', '0003_fill_order_totals.py');
    const before = readFileSync(file, 'utf8');
    await workbench.quickOpen('orders/migrations/0003_fill_order_totals.py');
    const isIrreversible = (row: string): boolean => row.includes('reverse_code') && row.includes('django-migrations');
    const isUndoWarning = (row: string): boolean => row.includes('differs from what was applied');
    assert.ok((await workbench.waitForProblems((rows) => rows.some(isIrreversible))).some(isIrreversible));
    await workbench.quickOpen('orders/migrations/0003_fill_order_totals.py');
    await workbench.goToLine(22, 9); // migrations.RunPython(fill_order_totals)
    const fix = "Add a reverse function reverse_fill_order_totals (edits a migration applied on 'default')";
    const titles = await workbench.openQuickFixes(fix);
    assert.ok(titles.includes("Add reverse_code=migrations.RunPython.noop (edits a migration applied on 'default')"), titles.join(', '));
    await workbench.screenshot('applied-quick-fix');
    await workbench.applyQuickFix(fix);
    await waitFor('the edit in the editor', async () =>
      /migrations\.RunPython\(fill_order_totals, reverse_code=reverse_fill_order_totals\)/.test(await workbench.activeEditorText())
        ? true
        : undefined,
    );
    // Unsaved for review: the tab is dirty and the file on disk is as it was.
    await workbench.page.locator('.editor-group-container.active .tabs-container .tab.active.dirty').waitFor({ timeout: 10_000 });
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.ok(!(await workbench.waitForProblems((rows) => !rows.some(isIrreversible))).some(isIrreversible));

    // Another edit of what ran is reported; undone, the fix's text raises nothing again.
    await workbench.quickOpen('orders/migrations/0003_fill_order_totals.py');
    await workbench.goToLine(10, 9); // order.total = order.sum or 0
    await workbench.page.keyboard.type('#');
    const edited = await workbench.waitForProblems((rows) => rows.some(isUndoWarning));
    assert.ok(edited.some(isUndoWarning), edited.join('\n'));
    await workbench.quickOpen('orders/migrations/0003_fill_order_totals.py');
    await workbench.page.keyboard.press('Control+z');
    const rows = await workbench.waitForProblems((labels) => !labels.some(isUndoWarning));
    assert.ok(!rows.some(isUndoWarning) && !rows.some(isIrreversible), rows.join('\n'));
    // The undo took back the comment only: the fix's function is still there.
    const text = await workbench.activeEditorText();
    assert.match(text, /^ {8}order\.total = order\.sum or 0$/m);
    assert.match(text, /^def reverse_fill_order_totals\(apps, schema_editor\):$/m);
  });

  it('previews makemigrations (--dry-run), and Create writes the migration and opens it', async () => {
    const models = join(workspace, 'catalog', 'models.py');
    // A model change made outside the extension, which no migration has yet.
    writeFileSync(
      models,
      readFileSync(models, 'utf8').replace(
        '    isbn = models.CharField(max_length=13, blank=True)\n',
        "    isbn = models.CharField(max_length=13, blank=True)\n    subtitle = models.CharField(max_length=200, blank=True, default='')\n",
      ),
    );
    const pick = async (label: string): Promise<void> => {
      const row = workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
      await row.waitFor({ timeout: 30_000 });
      await row.click();
    };
    await workbench.runCommand('Django Migrations: Make Migrations…');
    await pick('catalog');
    await pick('Preview');
    const preview = await workbench.waitForActiveEditor('makemigrations --dry-run.py', /would be written by makemigrations/);
    assert.match(preview, /catalog\/migrations\/0006_book_subtitle\.py: would be written by makemigrations/);
    assert.match(preview, /Add field subtitle to book/);
    assert.ok(!catalogMigrations().includes('0006_book_subtitle'), 'a preview writes nothing');
    const notification = await workbench.waitForNotification((text) => text.includes('makemigrations would write 1 migration'));
    assert.match(notification, /Create/);
    await workbench.screenshot('makemigrations-preview');
    await workbench.page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Create' }).click();

    await waitFor('the migration written', () => (catalogMigrations().includes('0006_book_subtitle') ? true : undefined), 60_000);
    await workbench.waitForActiveEditor('0006_book_subtitle.py', /migrations\.AddField\(/);
  });
});
