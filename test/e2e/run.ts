/**
 * The real-VS-Code tier: code-server (VS Code 1.100 from npm) driven by Debian's Chromium.
 *
 *   node out/test/e2e/run.js [--grep TEXT]
 *
 * 1. installs code-server into the cache (scripts/install-code-server.sh, quick when cached);
 * 2. packs the VSIX (scripts/package.sh --no-bundle) when dist/ is newer than it;
 * 3. installs the VSIX into a fresh code-server and starts it on 127.0.0.1;
 * 4. runs the UI checks (test/e2e/ui/*.e2e.ts, screenshots in test/e2e/screenshots/);
 * 5. runs the extension-host suites (test/e2e/extension/<workspace>/*.e2e.ts) inside VS Code;
 * 6. prints "N passed, N failed" and exits non-zero when anything failed.
 *
 * E2E_KEEP=1 keeps the temporary folders (code-server's log, user data) for a look afterwards.
 */
import Mocha from 'mocha';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { CodeServer, installExtension, makeCodeServerDirs } from './codeServer';
import { setE2eContext } from './e2eContext';
import { ExtensionHostResult, ExtensionHostSuite, runExtensionHostSuite } from './extensionHostSuite';
import { extensionId, extensionSuitesDir, repoRoot, sampleProject, vsixPath } from './paths';
import { makePlainFolder } from './plainFolder';
import { launchChromium } from './workbench';

interface Counts {
  passes: number;
  failures: number;
  pending: number;
}

async function main(): Promise<number> {
  const grep = process.argv.includes('--grep') ? process.argv[process.argv.indexOf('--grep') + 1] : undefined;
  const started = Date.now();
  const codeServerBin = installCodeServer();
  packageIfStale();

  const root = mkdtempSync(join(tmpdir(), 'django-migrations-e2e-'));
  const plainFolder = makePlainFolder();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const stopAll = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (process.env.E2E_KEEP !== '1') {
      rmSync(root, { recursive: true, force: true });
      rmSync(plainFolder, { recursive: true, force: true });
    } else {
      console.log(`kept ${root} and ${plainFolder}`);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopAll().then(() => process.exit(130)));
  }

  try {
    const dirs = makeCodeServerDirs(root);
    const extensionFolder = await installExtension(codeServerBin, dirs, vsixPath, extensionId);
    server = await CodeServer.start({ bin: codeServerBin, dirs, disableWorkspaceTrust: true });
    browser = await launchChromium();
    console.log(`code-server ${server.origin}, extension ${extensionFolder} (${seconds(started)} s)`);

    setE2eContext({ server, browser, plainFolder });
    const ui = await runUiChecks(grep);
    setE2eContext(undefined);

    const suites: ExtensionHostSuite[] = [
      { name: 'Django project (sample/)', workspace: sampleProject, testsModule: join(extensionSuitesDir, 'django', 'index.js') },
      { name: 'folder without Django', workspace: plainFolder, testsModule: join(extensionSuitesDir, 'plain', 'index.js') },
    ];
    const hosted: Counts = { passes: 0, failures: 0, pending: 0 };
    for (const suite of suites) {
      const result = await runExtensionHostSuite(server, browser, extensionFolder, suite);
      printExtensionHostResult(result);
      hosted.passes += result.passes;
      hosted.failures += result.failures;
      hosted.pending += result.pending;
    }

    const failures = ui.failures + hosted.failures;
    if (failures > 0) console.log(`\ncode-server's log: ${dirs.log}${process.env.E2E_KEEP === '1' ? '' : ' (E2E_KEEP=1 keeps it)'}`);
    const pending = ui.pending + hosted.pending;
    console.log(`\ne2e: ${ui.passes + hosted.passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
    console.log(`(${seconds(started)} s)`);
    return failures > 0 ? 1 : 0;
  } finally {
    await stopAll();
  }
}

/** Runs scripts/install-code-server.sh and returns the executable it prints last. */
function installCodeServer(): string {
  const output = execFileSync('bash', [join(repoRoot, 'scripts', 'install-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return output.trim().split('\n').pop() ?? '';
}

/** Packs dist/ into the VSIX unless the VSIX is newer than everything it holds. */
function packageIfStale(): void {
  const dist = join(repoRoot, 'dist');
  if (!existsSync(join(dist, 'client.js'))) throw new Error('dist/client.js is missing: run `npm run build` first');
  const inputs = [join(repoRoot, 'package.json'), ...readdirSync(dist).filter((name) => /\.(js|wasm|py)$/.test(name)).map((name) => join(dist, name))];
  const packed = existsSync(vsixPath) ? statSync(vsixPath).mtimeMs : 0;
  if (inputs.some((file) => statSync(file).mtimeMs > packed)) {
    execFileSync('bash', [join(repoRoot, 'scripts', 'package.sh'), '--no-bundle'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

/** Mocha in this process over the compiled UI checks. */
function runUiChecks(grep: string | undefined): Promise<Counts> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 120_000, grep });
  const dir = join(__dirname, 'ui');
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.e2e.js')).sort()) mocha.addFile(join(dir, file));
  return new Promise((resolve) => {
    const runner = mocha.run((failures) => {
      resolve({ passes: runner.stats?.passes ?? 0, failures, pending: runner.stats?.pending ?? 0 });
    });
  });
}

function printExtensionHostResult(result: ExtensionHostResult): void {
  console.log(`\nextension host, ${result.suite.name}:`);
  for (const line of result.report) console.log(line);
  if (result.exitCode === 0) return;
  // The workbench's log (extension-host errors included) tells why a suite failed to run.
  if (result.exitCode === undefined) console.log('  the suite did not finish (no codeAutomationExit)');
  console.log('  workbench log:');
  for (const line of result.log) console.log(`    ${line}`);
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
