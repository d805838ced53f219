/**
 * The real-VS-Code tier: code-server (VS Code 1.100 from npm) driven by Debian's Chromium.
 *
 *   node out/test/e2e/run.js [--grep PATTERN]   (UI checks by title, extension-host suites by name)
 *
 * 1. installs code-server into the cache (scripts/install-code-server.sh, quick when cached);
 * 2. packs the VSIX (scripts/package.sh --no-bundle) when dist/ is newer than it;
 * 3. makes throw-away copies of sample/ (seeded SQLite databases) and a folder without Django;
 * 4. installs the VSIX and starts two code-servers on 127.0.0.1: one that trusts every workspace,
 *    one with Workspace Trust on whose every Python goes through a tripwire;
 * 5. runs the UI checks (test/e2e/ui/*.e2e.ts, screenshots in test/e2e/screenshots/);
 * 6. runs the extension-host suites (test/e2e/extension/<workspace>/*.e2e.ts) inside VS Code;
 * 7. checks that sample/ itself is unchanged and the VSIX under 10 MB, prints
 *    "e2e: N passed, N failed" and exits non-zero when anything failed.
 *
 * E2E_KEEP=1 keeps the temporary folders (code-server's logs, user data, workspaces).
 */
import Mocha from 'mocha';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { CodeServer, CodeServerOptions, installExtension, makeCodeServerDirs } from './codeServer';
import { setE2eContext } from './e2eContext';
import { ExtensionHostResult, ExtensionHostSuite, runExtensionHostSuite } from './extensionHostSuite';
import { folderFingerprint } from './folderFingerprint';
import { installCodeServer } from './installCodeServer';
import { packageIfStale } from './packageIfStale';
import { extensionId, extensionSuitesDir, sampleProject, vsixPath } from './paths';
import { makePlainFolder } from './plainFolder';
import { addVenvTripwire, makePythonTripwire, TRIPWIRE_LOG_VARIABLE } from './pythonTripwire';
import { copySample, djangoPython } from './sampleWorkspace';
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
  const sampleBefore = folderFingerprint(sampleProject);

  const root = mkdtempSync(join(tmpdir(), 'django-migrations-e2e-'));
  const plainFolder = makePlainFolder();
  const servers: CodeServer[] = [];
  let browser: Browser | undefined;
  const stopAll = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await Promise.all(servers.map((server) => server.stop()));
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
    // Commands run Django: the workspaces name the interpreter that has it.
    const settings = { 'djangoMigrations.python.path': djangoPython };
    const djangoWorkspace = copySample(join(root, 'ui', 'bookshop'), { settings, seedDatabase: true });
    const hostWorkspace = copySample(join(root, 'host', 'bookshop'), { settings, seedDatabase: true });
    const restrictedWorkspace = copySample(join(root, 'restricted', 'bookshop'), { settings, seedDatabase: true });
    const tripwire = makePythonTripwire(join(root, 'tripwire'));
    addVenvTripwire(restrictedWorkspace, tripwire);

    const dirs = makeCodeServerDirs(join(root, 'trusted-server'));
    const extensionFolder = await installExtension(codeServerBin, dirs, vsixPath, extensionId);
    // Untrusted, the workspace's python.path is ignored; the user's names the tripwire.
    const restrictedDirs = {
      ...makeCodeServerDirs(join(root, 'restricted-server'), { 'djangoMigrations.python.path': tripwire.python }),
      extensions: dirs.extensions,
    };
    const [server, restrictedServer] = await startServers(
      [
        { bin: codeServerBin, dirs, disableWorkspaceTrust: true },
        {
          bin: codeServerBin,
          dirs: restrictedDirs,
          // VSCODE_CLI: extension hosts keep this environment instead of a login shell's, whose PATH would come first.
          env: { PATH: `${tripwire.bin}:${process.env.PATH ?? ''}`, VSCODE_CLI: '1', [TRIPWIRE_LOG_VARIABLE]: tripwire.log },
        },
      ],
      servers,
    );
    browser = await launchChromium();
    console.log(
      `code-server ${server.origin} and ${restrictedServer.origin} (Workspace Trust on), extension ${extensionFolder} (${seconds(started)} s)`,
    );

    setE2eContext({ server, restrictedServer, browser, plainFolder, djangoWorkspace, restrictedWorkspace, pythonLog: tripwire.log });
    const ui = await runUiChecks(grep);
    setE2eContext(undefined);

    const suites: [CodeServer, ExtensionHostSuite][] = [
      [
        server,
        {
          name: 'Django project (a copy of sample/)',
          workspace: hostWorkspace,
          testsModule: join(extensionSuitesDir, 'django', 'index.js'),
        },
      ],
      [server, { name: 'folder without Django', workspace: plainFolder, testsModule: join(extensionSuitesDir, 'plain', 'index.js') }],
      [
        restrictedServer,
        {
          name: 'restricted mode (an untrusted copy of sample/)',
          workspace: restrictedWorkspace,
          testsModule: join(extensionSuitesDir, 'restricted', 'index.js'),
        },
      ],
    ];
    const hosted: Counts = { passes: 0, failures: 0, pending: 0 };
    for (const [suiteServer, suite] of suites.filter(([, candidate]) => !grep || new RegExp(grep).test(candidate.name))) {
      const result = await runExtensionHostSuite(suiteServer, browser, extensionFolder, suite);
      printExtensionHostResult(result);
      hosted.passes += result.passes;
      hosted.failures += result.failures;
      hosted.pending += result.pending;
    }

    const checks: [string, boolean][] = [
      // Tests change copies only; the project the README opens stays as committed.
      ['sample/ is unchanged', folderFingerprint(sampleProject) === sampleBefore],
      [`the VSIX is under 10 MB (${(statSync(vsixPath).size / 1e6).toFixed(2)} MB)`, statSync(vsixPath).size < 10e6],
    ];
    console.log();
    for (const [title, ok] of checks) console.log(`${ok ? '✔' : '✖'} ${title}`);
    const failedChecks = checks.filter(([, ok]) => !ok).length;

    const passes = ui.passes + hosted.passes + checks.length - failedChecks;
    const failures = ui.failures + hosted.failures + failedChecks;
    if (failures > 0) {
      const logs = servers.map((running) => running.dirs.log).join(', ');
      console.log(`\ncode-server's logs: ${logs}${process.env.E2E_KEEP === '1' ? '' : ' (E2E_KEEP=1 keeps them)'}`);
    }
    const pending = ui.pending + hosted.pending;
    console.log(`\ne2e: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
    console.log(`(${seconds(started)} s)`);
    return failures > 0 ? 1 : 0;
  } finally {
    await stopAll();
  }
}

/** Starts the servers side by side; each one that starts joins `running`, so all are stopped. */
async function startServers(options: readonly CodeServerOptions[], running: CodeServer[]): Promise<CodeServer[]> {
  const results = await Promise.allSettled(
    options.map(async (option) => {
      const server = await CodeServer.start(option);
      running.push(server);
      return server;
    }),
  );
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<CodeServer>).value);
}

/** Mocha in this process over the compiled UI checks. */
function runUiChecks(grep: string | undefined): Promise<Counts> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 120_000, grep });
  const dir = join(__dirname, 'ui');
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.e2e.js'))
    .sort())
    mocha.addFile(join(dir, file));
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
