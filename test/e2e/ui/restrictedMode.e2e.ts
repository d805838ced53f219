import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { e2eContext } from '../e2eContext';
import { extensionId } from '../paths';
import { pythonStarts } from '../pythonTripwire';
import { bytecodeFolders } from '../sampleWorkspace';
import { Workbench } from '../workbench';

const MERGE_FIX = "Merge the migrations of 'catalog' (makemigrations --merge)";
const UNAPPLIED_STATUS = `${extensionId}.djangoMigrations.unapplied`;

/**
 * Workspace Trust's restricted mode, on a code-server that asks for trust: the static features
 * work, the commands that run Django say why they are off, and no Python process starts.
 */
describe('UI: restricted mode (an untrusted copy of sample/)', () => {
  let workbench: Workbench;
  let workspace: string;
  let migrationsBefore: string[];

  before(async () => {
    const { restrictedServer, browser, restrictedWorkspace } = e2eContext();
    workspace = restrictedWorkspace;
    migrationsBefore = readdirSync(join(workspace, 'catalog', 'migrations'));
    workbench = await Workbench.open(browser, restrictedServer.workbenchUrl(workspace));
  });

  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await workbench?.close();
  });

  it('opens in Restricted Mode when the user does not trust the folder', async () => {
    assert.match(await workbench.dialogText(60_000), /trust the authors/i);
    await workbench.pressDialogButton("No, I don't trust the authors");
    await workbench.waitForExplorer();
    await workbench.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: 30_000 });
  });

  it('marks the status bar count as restricted and says why in its tooltip', async () => {
    const item = workbench.page.locator(`.statusbar-item[id="${UNAPPLIED_STATUS}"]`);
    await workbench.waitForStatusBarText(UNAPPLIED_STATUS, (text) => text === '2 unapplied');
    await item.locator('.codicon-workspace-untrusted').waitFor({ timeout: 30_000 });
    await item.hover();
    const tooltip = await workbench.waitForHover((text) => text.includes('Restricted Mode'));
    assert.match(tooltip, /Restricted Mode: only the migrations in the workspace's files are counted/);
    assert.match(tooltip, /Trusting the folder lets the project's Python find the migrations of installed apps/);
    await workbench.page.keyboard.press('Escape');
  });

  it('shows the applied state from the database but no SQL or migrate lenses', async () => {
    await workbench.quickOpen('0003_book_isbn.py');
    const titles = await workbench.waitForCodeLenses((candidates) => candidates.includes('not applied on default'));
    for (const lens of ['SQL', 'Backwards SQL', 'Migrate to Here']) assert.ok(!titles.includes(lens), titles.join(' | '));
    await workbench.runCommand('Django Migrations: Focus on Migrations View');
    assert.equal(
      (await workbench.waitForTreeItemState('0003_book_isbn', (state) => state.icon === 'git-merge')).description,
      'conflicting leaf · not applied',
    );
  });

  it('still reports the conflict and the irreversible operation', async () => {
    await workbench.quickOpen('0003_fill_order_totals.py');
    const isConflict = (row: string): boolean => /conflict/i.test(row) && row.includes('0003_author_bio');
    const isIrreversible = (row: string): boolean => row.includes('reverse_code');
    const rows = await workbench.waitForProblems((labels) => labels.some(isConflict) && labels.some(isIrreversible));
    assert.ok(rows.some(isConflict) && rows.some(isIrreversible), rows.join('\n'));
  });

  it("says why the merge quick fix is off: it would run the project's Python", async () => {
    await workbench.quickOpen('0003_book_isbn.py');
    await workbench.goToLine(6, 7);
    await workbench.openQuickFixes(MERGE_FIX);
    await workbench.applyQuickFix(MERGE_FIX);
    const message = await workbench.waitForNotification((text) => text.includes('Restricted Mode'));
    assert.match(message, /makemigrations --merge runs the project's Python code/);
    assert.match(message, /Manage Workspace Trust/);
    await workbench.screenshot('restricted-mode');
  });

  it('starts no Python process and changes nothing', () => {
    assert.deepEqual(pythonStarts(e2eContext().pythonLog), []);
    assert.deepEqual(readdirSync(join(workspace, 'catalog', 'migrations')), migrationsBefore);
    assert.deepEqual(bytecodeFolders(workspace), []);
  });
});
