import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { CodeServer, installExtension, makeCodeServerDirs } from '../test/e2e/codeServer';
import { ActivationTimes, activationPrefix } from '../test/e2e/extension/activation/activationTimes';
import { runExtensionHostSuite } from '../test/e2e/extensionHostSuite';
import { installCodeServer } from '../test/e2e/installCodeServer';
import { packageIfStale } from '../test/e2e/packageIfStale';
import { extensionId, extensionSuitesDir, sampleProject, vsixPath } from '../test/e2e/paths';
import { launchChromium } from '../test/e2e/workbench';

/** Fresh windows (each a new extension host) per project; the median is reported. */
const ROUNDS = 3;

export interface ProjectActivation {
  readonly name: string;
  /** Medians over the rounds. */
  readonly readyMs: number;
  readonly indexedMs: number;
}

export type ActivationBenchResult = { readonly skipped: string } | { readonly projects: readonly ProjectActivation[] };

/**
 * Activation in the real extension host: the packaged VSIX in code-server, activated by
 * test/e2e/extension/activation in a window whose folder receives the project just before, from
 * the `activate()` call to the language client being ready and to the first answer that needs
 * the whole index. For sample/ and for `syntheticRoot` (the generated project). Skipped, with the
 * reason, when code-server is not installed and cannot be installed.
 */
export async function benchActivation(syntheticRoot: string, syntheticName: string): Promise<ActivationBenchResult> {
  let bin: string;
  try {
    bin = installCodeServer();
  } catch (error) {
    return {
      skipped: `code-server is not installed and could not be installed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    };
  }
  packageIfStale();
  const root = mkdtempSync(path.join(tmpdir(), 'django-migrations-activation-'));
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    const dirs = makeCodeServerDirs(path.join(root, 'code-server'));
    const extensionFolder = await installExtension(bin, dirs, vsixPath, extensionId);
    server = await CodeServer.start({ bin, dirs, disableWorkspaceTrust: true });
    browser = await launchChromium();
    const projects: ProjectActivation[] = [];
    for (const [name, source] of [
      ['sample/', sampleProject],
      [syntheticName, syntheticRoot],
    ] as const) {
      const rounds: ActivationTimes[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const dir = path.join(root, `${projects.length}-${round}`);
        const workspace = path.join(dir, 'workspace');
        mkdirSync(workspace, { recursive: true });
        cpSync(source, path.join(dir, 'project'), { recursive: true, filter: (file) => path.basename(file) !== '__pycache__' });
        const result = await runExtensionHostSuite(server, browser, extensionFolder, {
          name: `activation on ${name}`,
          workspace,
          testsModule: path.join(extensionSuitesDir, 'activation', 'index.js'),
        });
        const line = result.log.find((entry) => entry.includes(activationPrefix));
        if (result.exitCode !== 0 || !line) throw new Error(`activation on ${name} failed:\n${result.log.join('\n')}`);
        rounds.push(JSON.parse(line.slice(line.indexOf(activationPrefix) + activationPrefix.length)) as ActivationTimes);
        rmSync(dir, { recursive: true, force: true });
      }
      projects.push({
        name,
        readyMs: median(rounds.map((times) => times.readyMs)),
        indexedMs: median(rounds.map((times) => times.indexedMs)),
      });
    }
    return { projects };
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
