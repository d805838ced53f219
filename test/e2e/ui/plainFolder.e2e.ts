import * as assert from 'node:assert/strict';
import { e2eContext } from '../e2eContext';
import { Workbench } from '../workbench';

describe('UI: a Python folder without Django', () => {
  let workbench: Workbench;

  before(async () => {
    const { server, browser, plainFolder } = e2eContext();
    workbench = await Workbench.open(browser, server.workbenchUrl(plainFolder));
    await workbench.waitForExplorer();
  });

  after(async () => {
    await workbench?.close();
  });

  it('does not activate the extension: no Output channel of its own', async () => {
    await workbench.quickOpen('report.py');
    // Judge only once the remote extension host runs and nothing is still activating.
    const hostChannel = 'Extension Host (Remote)';
    await workbench.waitForOutputChannels((names) => names.includes(hostChannel));
    await workbench.waitForActivations();
    const channels = await workbench.openOutputChannelList();
    await workbench.screenshot('plain-folder-not-activated');
    assert.ok(channels.includes(hostChannel), channels.join(', '));
    assert.ok(!channels.includes('Django Migrations'), channels.join(', '));
  });
});
