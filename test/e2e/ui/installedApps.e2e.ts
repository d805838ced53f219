import * as assert from 'node:assert/strict';
import { e2eContext } from '../e2eContext';
import { Workbench } from '../workbench';

/**
 * The Migrations view of a trusted copy of sample/, whose Python finds django.contrib's
 * migrations: the project's own apps first, the installed packages gathered in one collapsed row.
 */
describe('UI: installed apps in the Migrations view', () => {
  let workbench: Workbench;

  before(async () => {
    const { server, browser, djangoWorkspace } = e2eContext();
    workbench = await Workbench.open(browser, server.workbenchUrl(djangoWorkspace));
    await workbench.waitForExplorer();
  });

  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await workbench?.close();
  });

  it("lists the project's apps first and the installed packages grouped and collapsed", async () => {
    await workbench.runCommand('Django Migrations: Focus on Migrations View');
    const installed = await workbench.waitForTreeItemState('Installed packages', (state) => /^\d+ apps · /.test(state.description), 60_000);
    // django.contrib.admin, auth, contenttypes and sessions have migrations; messages and staticfiles none.
    assert.match(installed.description, /^4 apps · all applied$/);
    assert.equal(installed.icon, 'library');
    const row = workbench.sideBarTreeItem('Installed packages').first();
    assert.equal(await row.getAttribute('aria-expanded'), 'false');
    const labels = await workbench.page
      .locator('.part.sidebar .monaco-list-row .label-name')
      .evaluateAll((names) => names.map((name) => name.textContent ?? ''));
    const position = (label: string) => labels.indexOf(label);
    assert.ok(position('catalog') >= 0 && position('orders') >= 0, labels.join(', '));
    assert.ok(
      position('catalog') < position('Installed packages') && position('orders') < position('Installed packages'),
      labels.join(', '),
    );
    for (const app of ['admin', 'auth', 'contenttypes', 'sessions']) assert.equal(position(app), -1, `${app} is inside the collapsed row`);
    await workbench.expandTreeItem('Installed packages');
    const auth = await workbench.sideBarTreeItemState('auth');
    assert.match(auth.description, /^all \d+ applied$/);
  });
});
