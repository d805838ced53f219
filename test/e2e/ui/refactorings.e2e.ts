import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor, waitUntil } from '../../support/waitFor';
import { e2eContext } from '../e2eContext';
import { copySample, djangoPython } from '../sampleWorkspace';
import { SqliteDatabase } from '../sqliteDatabase';
import { Workbench } from '../workbench';

const REBASE_OURS = 'Rebase catalog 0003_book_isbn onto 0003_author_bio';
const REBASE_APPLIED = 'Rebase catalog 0003_author_bio onto 0003_book_isbn';
const SQUASH = '0001_squashed_0002_order_total';

/**
 * The three refactorings in a real VS Code, on a copy of sample/ of their own whose database has
 * every migration applied except catalog.0003_book_isbn (one of two conflicting leaves) and
 * orders.0003_fill_order_totals. After each one, the project's real Django must agree: nothing
 * for makemigrations, and migrate's plan as expected. The steps build on each other.
 */
describe('UI: refactorings (rebase, rename, finish a squash) on a copy of sample/', () => {
  let workbench: Workbench;
  let root: string;
  let workspace: string;
  let database: SqliteDatabase;
  const migrationsOf = (app: string, name: string) => join(workspace, app, 'migrations', `${name}.py`);
  /** Runs manage.py with the interpreter that has Django; stdout, or the failure with its output. */
  const manage = (...args: string[]): string => {
    const run = spawnSync(djangoPython, ['manage.py', ...args], { cwd: workspace, encoding: 'utf8' });
    assert.equal(run.status, 0, `manage.py ${args.join(' ')}: ${run.stdout}${run.stderr}`);
    return run.stdout;
  };

  before(async () => {
    const { server, browser } = e2eContext();
    root = mkdtempSync(join(tmpdir(), 'django-migrations-refactorings-'));
    workspace = copySample(join(root, 'bookshop'), { settings: { 'djangoMigrations.python.path': djangoPython }, seedDatabase: true });
    database = new SqliteDatabase(join(workspace, 'db.sqlite3'));
    workbench = await Workbench.open(browser, server.workbenchUrl(workspace));
    await workbench.waitForExplorer();
  });

  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await workbench?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('rebases the unapplied branch from the quick fix next to merge, not the one the database applied', async () => {
    await workbench.quickOpen('0003_book_isbn.py');
    const isConflict = (row: string): boolean => /conflict/i.test(row) && row.includes('0003_author_bio');
    await workbench.waitForProblems((rows) => rows.some(isConflict));
    await workbench.quickOpen('0003_book_isbn.py');
    await workbench.goToLine(6, 7); // `class Migration`, where the diagnostic is
    const fixes = await workbench.openQuickFixes(REBASE_OURS);
    // Not in git here, so both directions are planned; the branch the database applied is not offered.
    assert.ok(fixes.includes("Merge the migrations of 'catalog' (makemigrations --merge)"), fixes.join('\n'));
    assert.ok(!fixes.includes(REBASE_APPLIED), fixes.join('\n'));
    await workbench.screenshot('rebase-quick-fix');
    await workbench.applyQuickFix(REBASE_OURS);

    await waitUntil(
      'the branch renumbered',
      () => existsSync(migrationsOf('catalog', '0004_book_isbn')) && !existsSync(migrationsOf('catalog', '0003_book_isbn')),
    );
    await workbench.runCommand('File: Save All Files');
    await waitUntil('the new dependency saved', () =>
      readFileSync(migrationsOf('catalog', '0004_book_isbn'), 'utf8').includes("('catalog', '0003_author_bio')"),
    );
    await workbench.waitForProblems((rows) => !rows.some(isConflict));
    await workbench.screenshot('rebased');
    assert.match(manage('makemigrations', '--check', '--dry-run'), /No changes detected/);
    const plan = manage('migrate', '--plan');
    assert.match(plan, /catalog\.0004_book_isbn/);
    assert.doesNotMatch(plan, /catalog\.0003_/);
  });

  it('renames an unapplied migration with F2, keeping its number, and Undo restores every file', async () => {
    await workbench.quickOpen('0004_book_isbn.py');
    await workbench.goToLine(6, 8);
    await workbench.page.keyboard.press('F2');
    const input = workbench.page.locator('.rename-box input');
    await input.waitFor({ timeout: 30_000 });
    assert.equal(await input.inputValue(), 'book_isbn', 'the rename box offers the name after the number');
    await workbench.screenshot('rename-box');
    await input.fill('book_isbn_code');
    await workbench.page.keyboard.press('Enter');
    await waitUntil(
      'the file renamed',
      () => existsSync(migrationsOf('catalog', '0004_book_isbn_code')) && !existsSync(migrationsOf('catalog', '0004_book_isbn')),
    );
    await waitFor('the renamed editor', async () => ((await workbench.activeTabName()) === '0004_book_isbn_code.py' ? true : undefined));
    assert.match(manage('migrate', '--plan'), /catalog\.0004_book_isbn_code/);

    await workbench.focusActiveEditor();
    await workbench.page.keyboard.press('Control+Z');
    await waitUntil(
      'the file back',
      () => existsSync(migrationsOf('catalog', '0004_book_isbn')) && !existsSync(migrationsOf('catalog', '0004_book_isbn_code')),
    );
    await workbench.screenshot('rename-undone');
    assert.match(manage('migrate', '--plan'), /catalog\.0004_book_isbn\n/);
  });

  it('finishes a squash every database applied from the migrations tree, and Undo restores every file', async () => {
    // Squashed by Django, then migrated: the database records the squash itself.
    manage('squashmigrations', 'orders', '0002', '--noinput');
    manage('migrate', '--noinput');
    await workbench.runCommand('Django Migrations: Focus on Migrations View');
    await workbench.expandTreeItem('orders');
    await workbench.waitForTreeItemState(SQUASH, (state) => state.icon === 'fold' && /· applied/.test(state.description));
    const actions = await workbench.openTreeItemMenu(SQUASH);
    assert.ok(actions.includes('Finish the Squash…'), actions.join(', '));
    await workbench.pickMenuAction('Finish the Squash…');
    const question = await workbench.dialogText();
    assert.match(question, /delete 2 replaced migrations, point 1 reference at it, remove replaces/);
    assert.match(question, /default: the squash is applied/);
    await workbench.screenshot('finish-squash-confirmation');
    await workbench.pressDialogButton('Finish the Squash');

    await waitUntil(
      'the replaced files deleted',
      () => !existsSync(migrationsOf('orders', '0001_initial')) && !existsSync(migrationsOf('orders', '0002_order_total')),
    );
    await workbench.runCommand('File: Save All Files');
    await waitUntil('the squash without replaces', () => !readFileSync(migrationsOf('orders', SQUASH), 'utf8').includes('replaces'));
    assert.match(readFileSync(migrationsOf('orders', '0003_fill_order_totals'), 'utf8'), new RegExp(`\\('orders', '${SQUASH}'\\)`));
    assert.match(manage('migrate', '--plan'), /No planned migration operations/);
    assert.match(manage('makemigrations', '--check', '--dry-run'), /No changes detected/);
    assert.match(manage('showmigrations', 'orders'), new RegExp(`\\[X\\] ${SQUASH}\\n`));
    await workbench.screenshot('squash-finished');

    await workbench.quickOpen(`${SQUASH}.py`);
    await workbench.focusActiveEditor();
    await workbench.page.keyboard.press('Control+Z');
    await waitUntil(
      'the replaced files back',
      () => existsSync(migrationsOf('orders', '0001_initial')) && existsSync(migrationsOf('orders', '0002_order_total')),
    );
    await workbench.runCommand('File: Save All Files');
    await waitUntil('replaces back', () => readFileSync(migrationsOf('orders', SQUASH), 'utf8').includes('replaces'));
    // Undo restores each buffer in its own time: saved again once all are back.
    await waitFor('the dependent back', async () => {
      await workbench.runCommand('File: Save All Files');
      return readFileSync(migrationsOf('orders', '0003_fill_order_totals'), 'utf8').includes("('orders', '0002_order_total')")
        ? true
        : undefined;
    });
    assert.match(manage('migrate', '--plan'), /No planned migration operations/);
  });

  it('renames an applied migration after a confirmation listing its rows: file, references and row; Django agrees', async () => {
    await workbench.quickOpen('0002_book_published.py');
    await workbench.goToLine(6, 8);
    await workbench.page.keyboard.press('F2');
    const input = workbench.page.locator('.rename-box input');
    await input.waitFor({ timeout: 30_000 });
    await input.fill('book_published_on');
    await workbench.page.keyboard.press('Enter');
    const question = await workbench.waitForNotification((text) => text.includes('django_migrations rows'));
    assert.match(question, /'default': catalog\.0002_book_published → 0002_book_published_on/);
    await workbench.screenshot('rename-rows-confirmation');
    await workbench.page.locator('.notifications-toasts .monaco-button', { hasText: 'Rename Rows and File' }).click();

    await waitUntil(
      'the file renamed',
      () => existsSync(migrationsOf('catalog', '0002_book_published_on')) && !existsSync(migrationsOf('catalog', '0002_book_published')),
    );
    await waitUntil('the row renamed', () => database.appliedMigrations().includes('catalog.0002_book_published_on'));
    assert.ok(!database.appliedMigrations().includes('catalog.0002_book_published'));
    await workbench.runCommand('File: Save All Files');
    await waitUntil('its dependent repointed', () =>
      readFileSync(migrationsOf('catalog', '0003_author_bio'), 'utf8').includes("('catalog', '0002_book_published_on')"),
    );
    assert.match(manage('showmigrations', 'catalog'), /\[X\] 0002_book_published_on\n/);
    assert.match(manage('migrate', '--plan'), /No planned migration operations/);
    assert.match(manage('makemigrations', '--check', '--dry-run'), /No changes detected/);
    execFileSync(djangoPython, ['manage.py', 'check'], { cwd: workspace, stdio: 'ignore' });
    await workbench.runCommand('Django Migrations: Focus on Migrations View');
    await workbench.expandTreeItem('catalog');
    await workbench.waitForTreeItemState('0002_book_published_on', (state) => state.icon === 'pass-filled');
    await workbench.screenshot('renamed-applied');
  });

  it('undoes that rename: the files come back, and its row too once the offer is clicked; Django agrees', async () => {
    const renamed = migrationsOf('catalog', '0002_book_published_on');
    const original = migrationsOf('catalog', '0002_book_published');
    await workbench.quickOpen('0003_author_bio.py'); // a file the rename edited
    await workbench.focusActiveEditor();
    await workbench.page.keyboard.press('Control+Z');
    // Should VS Code ask whether to undo the edit in every file it touched: yes.
    const across = (await workbench.dialogText(10_000).catch(() => '')).match(/Undo in \d+ Files/)?.[0];
    if (across) await workbench.pressDialogButton(across);
    await waitUntil('the file back', () => existsSync(original) && !existsSync(renamed));

    const offer = await workbench.waitForNotification((text) => text.includes('was undone in the files'));
    assert.match(
      offer,
      /The rename of catalog\.0002_book_published_on was undone in the files; rename its django_migrations rows back to 0002_book_published on 'default'\?/,
    );
    assert.ok(database.appliedMigrations().includes('catalog.0002_book_published_on'), 'nothing is written before the click');
    await workbench.screenshot('rename-undone-offer');
    await workbench.page.locator('.notifications-toasts .monaco-button', { hasText: 'Rename Rows Back' }).click();

    await waitUntil('the row renamed back', () => database.appliedMigrations().includes('catalog.0002_book_published'));
    assert.ok(!database.appliedMigrations().includes('catalog.0002_book_published_on'));
    // Undo restores each buffer in its own time: saved again once all are back.
    await waitFor('its dependent back', async () => {
      await workbench.runCommand('File: Save All Files');
      return readFileSync(migrationsOf('catalog', '0003_author_bio'), 'utf8').includes("('catalog', '0002_book_published')")
        ? true
        : undefined;
    });
    assert.match(manage('showmigrations', 'catalog'), /\[X\] 0002_book_published\n/);
    assert.match(manage('migrate', '--plan'), /No planned migration operations/);
    await workbench.waitForTreeItemState('0002_book_published', (state) => state.icon === 'pass-filled');
  });
});
