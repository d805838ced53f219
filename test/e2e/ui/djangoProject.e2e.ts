import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eContext } from '../e2eContext';
import { waitFor } from '../../support/waitFor';
import { extensionId } from '../paths';
import { djangoPython, SEEDED_UNAPPLIED } from '../sampleWorkspace';
import { SqliteDatabase } from '../sqliteDatabase';
import { Workbench } from '../workbench';

/** The status bar item's id as the workbench names it: the extension's id, then the item's. */
const UNAPPLIED_STATUS = `${extensionId}.djangoMigrations.unapplied`;
const MERGE_FIX = "Merge the migrations of 'catalog' (makemigrations --merge)";
const MAKE_FIX = 'Make the migration: makemigrations orders --name order_note';
const RENAME_FIX = "Make it as a rename (makemigrations orders, answering Django's question)";

/**
 * A user's session on a copy of sample/ whose database has every migration applied except
 * catalog.0003_book_isbn (one of two conflicting leaves) and orders.0003_fill_order_totals.
 * The steps build on each other: merge the conflict, then migrate and unapply from the tree.
 */
describe('UI: a Django project (a copy of sample/, trusted)', () => {
  let workbench: Workbench;
  let workspace: string;
  let database: SqliteDatabase;
  let mergeName: string;

  before(async () => {
    const { server, browser, djangoWorkspace } = e2eContext();
    workspace = djangoWorkspace;
    database = new SqliteDatabase(join(workspace, 'db.sqlite3'));
    workbench = await Workbench.open(browser, server.workbenchUrl(workspace));
    await workbench.waitForExplorer();
  });

  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await workbench?.close();
  });

  it('activates the extension: its Output channel exists', async () => {
    const channels = await workbench.waitForOutputChannels((names) => names.includes('Django Migrations'));
    assert.ok(channels.includes('Django Migrations'), channels.join(', '));
  });

  it("lists the project's conflict in the Problems view before any file is opened (workspace diagnostics)", async () => {
    const isConflict = (row: string): boolean => /conflict/i.test(row) && row.includes('0003_author_bio');
    const rows = await workbench.waitForProblems((labels) => labels.some(isConflict));
    assert.ok(rows.some(isConflict), rows.join('\n'));
    assert.equal(await workbench.page.locator('.editor-group-container .tabs-container .tab').count(), 0, 'no editor is open');
    await workbench.screenshot('problems-at-start-up');
  });

  it("shows each migration's state in the Migrations view, as the database has it", async () => {
    await workbench.quickOpen('0003_book_isbn.py');
    // The editor asks for lenses once it has had the focus: before the view takes it.
    await workbench.waitForCodeLenses((titles) => titles.includes('not applied on default'));
    await workbench.runCommand('Django Migrations: Focus on Migrations View');
    await workbench.resizeSideBar(400);
    const applied = database.appliedMigrations();
    for (const [app, name] of SEEDED_UNAPPLIED) assert.ok(!applied.includes(`${app}.${name}`), applied.join(', '));
    const migrations = [
      ['catalog', '0002_book_published'],
      ['catalog', '0003_author_bio'],
      ['catalog', '0003_book_isbn'],
      ['orders', '0002_order_total'],
      ['orders', '0003_fill_order_totals'],
    ];
    for (const [app, name] of migrations) {
      const isApplied = applied.includes(`${app}.${name}`);
      const conflicting = app === 'catalog' && name.startsWith('0003_');
      const icon = conflicting ? 'git-merge' : isApplied ? 'pass-filled' : 'circle-large-outline';
      const state = await workbench.waitForTreeItemState(name, (candidate) => candidate.icon === icon);
      const description = `${conflicting ? 'conflicting leaf · ' : ''}${isApplied ? 'applied' : 'not applied'}`;
      assert.ok(state.description.startsWith(description), `${app}.${name}: ${state.description}`);
    }
    assert.match((await workbench.sideBarTreeItemState('catalog')).description, /^1 of 4 unapplied$/);
    await workbench.screenshot('migrations-view');
    // Django refuses to migrate while leaves conflict: a conflicting leaf offers no Migrate to Here.
    const conflictingMenu = await workbench.openTreeItemMenu('0003_book_isbn');
    await workbench.page.keyboard.press('Escape');
    assert.ok(conflictingMenu.includes('Show SQL (sqlmigrate)'), conflictingMenu.join(', '));
    assert.ok(!conflictingMenu.includes('Migrate to This Migration'), conflictingMenu.join(', '));
  });

  it('counts the unapplied migrations in the status bar, naming them in its tooltip', async () => {
    assert.equal(await workbench.waitForStatusBarText(UNAPPLIED_STATUS, (text) => text === '2 unapplied'), '2 unapplied');
    await workbench.page.locator(`.statusbar-item[id="${UNAPPLIED_STATUS}"]`).hover();
    const tooltip = await workbench.waitForHover((text) => text.includes('orders.0003_fill_order_totals'));
    assert.match(tooltip, /catalog\.0003_book_isbn/);
    await workbench.screenshot('status-bar');
  });

  it('reports RunPython without reverse_code in the Problems view', async () => {
    await workbench.quickOpen('0003_fill_order_totals.py');
    const isIrreversible = (row: string): boolean => row.includes('reverse_code') && row.includes('django-migrations');
    const rows = await workbench.waitForProblems((labels) => labels.some(isIrreversible));
    assert.ok(rows.some(isIrreversible), rows.join('\n'));
    await workbench.screenshot('problems');
  });

  it('reports the conflicting leaves and merges them with the quick fix (makemigrations --merge)', async () => {
    await workbench.quickOpen('0003_book_isbn.py');
    const isConflict = (row: string): boolean => /conflict/i.test(row) && row.includes('0003_author_bio');
    const rows = await workbench.waitForProblems((labels) => labels.some(isConflict));
    assert.ok(rows.some(isConflict), rows.join('\n'));
    await workbench.goToLine(6, 7); // `class Migration`, where the diagnostic is
    await workbench.openQuickFixes(MERGE_FIX);
    await workbench.screenshot('conflict-quick-fix');
    await workbench.applyQuickFix(MERGE_FIX);

    // Asked once, in VS Code; Django then merges without asking again (--noinput).
    const question = await workbench.dialogText();
    assert.match(question, /Merge the 2 leaf migrations of catalog\?/);
    assert.match(question, /catalog\.0003_author_bio/);
    await workbench.screenshot('merge-confirmation');
    await workbench.pressDialogButton('Merge');
    const terminal = await workbench.waitForTerminalText((text) => text.includes('Created new merge migration'));
    assert.ok(!terminal.includes('[y/N]'), terminal);
    mergeName = await waitFor('the merge migration file', () =>
      readdirSync(join(workspace, 'catalog', 'migrations'))
        .find((name) => /^0004_merge_\w+\.py$/.test(name))
        ?.replace(/\.py$/, ''),
    );
    // The file it wrote is opened.
    await waitFor('the merge migration opened', async () => ((await workbench.activeTabName()) === `${mergeName}.py` ? true : undefined));
    await workbench.screenshot('merge-in-terminal');
    await workbench.focusActiveEditor();
    // Its name contains 0003_book_isbn: out of Quick Open's recent files, so the steps below open the leaf.
    await workbench.runCommand('View: Close All Editors');
    await workbench.runCommand('Clear Editor History');
    await workbench.pressDialogButton('Clear');

    await workbench.waitForProblems((labels) => !labels.some(isConflict));
    await workbench.runCommand('Django Migrations: Focus on Migrations View');
    assert.match(
      (await workbench.waitForTreeItemState(mergeName, (state) => state.icon === 'circle-large-outline')).description,
      /^not applied$/,
    );
    await workbench.waitForTreeItemState(
      '0003_book_isbn',
      (state) => state.icon === 'circle-large-outline' && state.description === 'not applied',
    );
    await workbench.waitForTreeItemState('0003_author_bio', (state) => state.icon === 'pass-filled');
    await workbench.waitForStatusBarText(UNAPPLIED_STATUS, (text) => text === '3 unapplied');
  });

  it("hovers a dependency with its target's operations", async () => {
    await workbench.quickOpen('0003_book_isbn.py');
    const hover = await workbench.hover('0002_book_published');
    assert.match(hover, /catalog\.0002_book_published/);
    assert.match(hover, /Add field published to book/);
    await workbench.screenshot('hover');
    await workbench.page.keyboard.press('Escape');
  });

  it('goes to the definition of a dependency (F12)', async () => {
    await workbench.goToLine(9, 25); // inside ('catalog', '0002_book_published')
    await workbench.page.keyboard.press('F12');
    await workbench.waitForActiveEditor('0002_book_published.py', /name='published'/);
  });

  it('opens the SQL of a migration from its "SQL" lens (sqlmigrate)', async () => {
    // Room for the SQL beside the migration.
    await workbench.runCommand('View: Hide Panel');
    await workbench.runCommand('View: Close Primary Side Bar');
    // Its tab is open; Quick Open may rank the merge migration (whose name contains it) first.
    await workbench.page.locator('.tabs-container .tab[data-resource-name="0003_book_isbn.py"]').click();
    await workbench.waitForCodeLenses((titles) => titles.includes('SQL'));
    await workbench.clickCodeLens('SQL');
    const sql = await workbench.waitForActiveEditor('0003_book_isbn.sql', /COMMIT;/);
    assert.match(sql, /BEGIN;/);
    assert.match(sql, /"isbn" varchar\(13\) NOT NULL/);
    await workbench.runCommand('View: Toggle Word Wrap');
    await workbench.screenshot('sql-document');
  });

  it('migrates to a migration from the tree: the database and the tree follow', async () => {
    await workbench.runCommand('Django Migrations: Focus on Migrations View');
    await workbench.expandTreeItem('catalog');
    const actions = await workbench.openTreeItemMenu(mergeName);
    assert.ok(actions.includes('Migrate to This Migration'), actions.join(', '));
    assert.ok(actions.includes('Show SQL for the Plan'), actions.join(', '));

    assert.ok(!actions.includes('Unapply Migration…'), 'an unapplied migration offers no Unapply');
    await workbench.pickMenuAction('Migrate to This Migration');

    await workbench.waitForTerminalText((text) => text.includes(`Applying catalog.${mergeName}... OK`));
    await waitFor('the migrations in django_migrations', () =>
      database.appliedMigrations().includes(`catalog.${mergeName}`) ? true : undefined,
    );
    assert.ok(database.appliedMigrations().includes('catalog.0003_book_isbn'));
    assert.ok(database.columns('catalog_book').includes('isbn'));
    await workbench.expandTreeItem('catalog');
    await workbench.waitForTreeItemState(mergeName, (state) => state.icon === 'pass-filled' && state.description.startsWith('applied'));
    await workbench.waitForTreeItemState('0003_book_isbn', (state) => state.icon === 'pass-filled');
    await workbench.waitForStatusBarText(UNAPPLIED_STATUS, (text) => text === '1 unapplied');
    await workbench.screenshot('migrated-from-tree');
  });

  it('unapplies a migration from the tree after a confirmation that lists what is lost', async () => {
    const actions = await workbench.openTreeItemMenu('0003_book_isbn');
    assert.ok(actions.includes('Unapply Migration…'), actions.join(', '));
    await workbench.pickMenuAction('Unapply Migration…');
    const dialog = await workbench.dialogText();
    assert.match(dialog, /Unapply 3 migrations on database 'default'\?/);
    for (const name of [mergeName, '0003_author_bio', '0003_book_isbn']) assert.match(dialog, new RegExp(`catalog\\.${name}`));
    assert.match(dialog, /Data loss/);
    // The default button, focused for Enter, changes nothing.
    const focused = await workbench.page.locator('.monaco-dialog-box .monaco-button:focus').innerText();
    assert.equal(focused.trim(), 'Show Plan');
    await workbench.screenshot('unapply-confirmation');
    await workbench.pressDialogButton('Unapply');

    await workbench.waitForTerminalText((text) => text.includes('Unapplying catalog.0003_book_isbn... OK'));
    const catalogRows = (): string[] => database.appliedMigrations().filter((row) => row.startsWith('catalog.'));
    await waitFor('catalog unapplied back to 0002', () => (catalogRows().length === 2 ? true : undefined));
    assert.deepEqual(catalogRows(), ['catalog.0001_initial', 'catalog.0002_book_published']);
    assert.ok(!database.columns('catalog_book').includes('isbn'));
    assert.ok(!database.columns('catalog_author').includes('bio'));
    for (const name of [mergeName, '0003_author_bio', '0003_book_isbn']) {
      await workbench.waitForTreeItemState(name, (state) => state.icon === 'circle-large-outline' && state.description === 'not applied');
    }
    await workbench.waitForStatusBarText(UNAPPLIED_STATUS, (text) => text === '4 unapplied');
    await workbench.screenshot('unapplied-from-tree');
  });

  it('plans from the database as it is now: deleted and migrated again in a shell, Unapply still asks first', async () => {
    // The everyday `rm db.sqlite3 && ./manage.py migrate`, behind the extension's back; its
    // Django helper has been connected to the old file since the first plan.
    rmSync(join(workspace, 'db.sqlite3'));
    execFileSync(djangoPython, ['manage.py', 'migrate', '--noinput'], { cwd: workspace, stdio: 'ignore' });
    await workbench.waitForStatusBarText(UNAPPLIED_STATUS, (text) => text === '0 unapplied');
    await workbench.runCommand('Django Migrations: Focus on Migrations View');
    await workbench.expandTreeItem('catalog');
    await workbench.waitForTreeItemState('0003_book_isbn', (state) => state.icon === 'pass-filled');
    await workbench.openTreeItemMenu('0003_book_isbn');
    await workbench.pickMenuAction('Unapply Migration…');
    const dialog = await workbench.dialogText();
    assert.match(dialog, /Unapply 3 migrations on database 'default'\?/);
    await workbench.screenshot('unapply-after-database-replaced');
    await workbench.pressDialogButton('Cancel');
    assert.ok(database.columns('catalog_book').includes('isbn'), 'nothing ran');
  });

  it('shows the SQL of a plan, step by step (Show SQL for the Plan)', async () => {
    await workbench.openTreeItemMenu('0002_book_published');
    await workbench.pickMenuAction('Show SQL for the Plan');
    const sql = await workbench.waitForActiveEditor('migrate plan.sql', /Unapply catalog\.0003_book_isbn/);
    assert.match(sql, /-- Unapply catalog\.0004_merge/);
    await workbench.screenshot('plan-sql');
  });

  it('shows the migration a new field needs as it is typed, before saving, and makes it with one click', async () => {
    const models = join(workspace, 'orders', 'models.py');
    const field = "note = models.CharField(max_length=40, default='')";
    // VS Code for the web saves after a delay by default; the desktop does not, and neither does this
    // check. A workspace setting, taken back after: the user's settings and command history stay as they were.
    const vscodeSettings = join(workspace, '.vscode', 'settings.json');
    const savedSettings = existsSync(vscodeSettings) ? readFileSync(vscodeSettings, 'utf8') : undefined;
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(vscodeSettings, JSON.stringify({ ...JSON.parse(savedSettings ?? '{}'), 'files.autoSave': 'off' }, null, 2));
    await workbench.quickOpen('orders/models.py');
    await workbench.goToLine(6); // `total = ...`, the last field of Order
    await workbench.page.keyboard.press('End');
    await workbench.page.keyboard.press('Enter');
    await workbench.page.keyboard.type(field);
    assert.ok((await workbench.activeEditorText()).includes(`    ${field}`));

    const isMissing = (row: string): boolean => row.includes('No migration yet: Add field note to order, in 0004_order_note');
    // The field has a default: makemigrations will not stop to ask for one.
    const asksDefault = (row: string): boolean => row.includes('non-nullable-field-without-default');
    const rows = await workbench.waitForProblems((labels) => labels.some(isMissing) && !labels.some(asksDefault));
    assert.ok(rows.some(isMissing) && !rows.some(asksDefault), rows.join('\n'));
    assert.ok(!readFileSync(models, 'utf8').includes('note'), 'not saved yet');
    await workbench.screenshot('missing-migration');

    await workbench.goToLine(7, 5);
    await workbench.openQuickFixes(MAKE_FIX);
    await workbench.screenshot('missing-migration-quick-fix');
    await workbench.applyQuickFix(MAKE_FIX);
    // makemigrations reads the disk: the fix saves models.py first, then opens what Django wrote.
    await workbench.waitForActiveEditor('0004_order_note.py', /migrations\.AddField\(/);
    assert.ok(readFileSync(models, 'utf8').includes(`    ${field}\n`));
    await workbench.waitForProblems((labels) => !labels.some((row) => row.includes('No migration yet')));
    await workbench.waitForStatusBarText(UNAPPLIED_STATUS, (text) => text === '1 unapplied');
    await workbench.screenshot('missing-migration-made');
    if (savedSettings === undefined) rmSync(vscodeSettings);
    else writeFileSync(vscodeSettings, savedSettings);
  });

  it("asks makemigrations' rename question in a VS Code dialog and passes the answer to Django", async () => {
    const models = join(workspace, 'orders', 'models.py');
    await workbench.quickOpen('orders/models.py');
    await workbench.goToLine(7, 5); // `note = ...`, made by the step before
    for (let index = 0; index < 'note'.length; index++) await workbench.page.keyboard.press('Delete');
    await workbench.page.keyboard.type('remark');
    const isRename = (row: string): boolean => row.includes('note was renamed to remark');
    const rows = await workbench.waitForProblems((labels) => labels.some(isRename));
    assert.ok(rows.some(isRename), rows.join('\n'));

    await workbench.goToLine(7, 5);
    await workbench.openQuickFixes(RENAME_FIX);
    await workbench.applyQuickFix(RENAME_FIX);
    // Saving models.py restarts the helper: Django starts again before it asks.
    const question = await workbench.dialogText(60_000);
    assert.match(question, /Did you rename order\.note to order\.remark \(a CharField\)\?/);
    assert.ok(readFileSync(models, 'utf8').includes('remark = '), 'saved before Django reads it');
    assert.ok(!readdirSync(join(workspace, 'orders', 'migrations')).some((file) => file.startsWith('0005_')), 'nothing written yet');
    await workbench.screenshot('makemigrations-rename-question');
    await workbench.pressDialogButton('Yes');

    await waitFor('the rename migration opened', async () => ((await workbench.activeTabName()).startsWith('0005_') ? true : undefined));
    assert.match(
      await workbench.activeEditorText(),
      /migrations\.RenameField\(\s+model_name='order',\s+old_name='note',\s+new_name='remark',/,
    );
    await workbench.waitForProblems((labels) => !labels.some(isRename));
  });
});
