import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { extensionId } from '../../paths';
import { waitFor } from '../../../support/waitFor';
import { ActivationTimes, activationPrefix } from './activationTimes';

/**
 * Extension-test entry used by `npm run bench` (bench/activationBench.ts), not a test: the
 * harness opens an empty folder, so nothing activates the extension at start-up, beside a Django
 * project in `../project`. The project is moved into the folder, then the extension is activated
 * and timed in this real extension host.
 */
export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const extension = vscode.extensions.getExtension(extensionId);
  if (!folder || !extension) throw new Error(`no workspace folder, or ${extensionId} is not installed`);
  if (extension.isActive) throw new Error('the extension was active before the measurement');
  renameSync(join(folder, '..', 'project'), join(folder, 'project'));

  const start = performance.now();
  await extension.activate();
  const readyMs = performance.now() - start;
  await waitFor(
    'the first index',
    async () =>
      (await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', '0001')).length > 0
        ? true
        : undefined,
    120_000,
  );
  const times: ActivationTimes = { readyMs, indexedMs: performance.now() - start };
  console.log(activationPrefix + JSON.stringify(times));
}
