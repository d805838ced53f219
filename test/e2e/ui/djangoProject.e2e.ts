import * as assert from 'node:assert/strict';
import { e2eContext } from '../e2eContext';
import { sampleProject } from '../paths';
import { Workbench } from '../workbench';

describe('UI: a Django project (sample/)', () => {
  let workbench: Workbench;

  before(async () => {
    const { server, browser } = e2eContext();
    workbench = await Workbench.open(browser, server.workbenchUrl(sampleProject));
    await workbench.waitForExplorer();
  });

  after(async () => {
    await workbench?.close();
  });

  it('activates the extension: its Output channel exists', async () => {
    const channels = await workbench.waitForOutputChannels((names) => names.includes('Django Migrations'));
    assert.ok(channels.includes('Django Migrations'), channels.join(', '));
    await workbench.showOutputChannel('Django Migrations');
    await workbench.screenshot('django-output-channel');
  });

  it('opens a migration file', async () => {
    await workbench.quickOpen('0003_fill_order_totals.py');
    assert.match(await workbench.activeEditorText(), /RunPython\(fill_order_totals\)/);
    await workbench.screenshot('django-migration-open');
  });

  it('shows RunPython without reverse_code in the Problems view', async () => {
    const isIrreversible = (row: string): boolean => row.includes('reverse_code') && row.includes('django-migrations');
    const rows = await workbench.waitForProblems((labels) => labels.some(isIrreversible));
    assert.ok(rows.some(isIrreversible), rows.join('\n'));
    await workbench.screenshot('django-problems');
  });
});
