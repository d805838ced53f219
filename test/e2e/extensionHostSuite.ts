import { Browser } from 'playwright-core';
import { CodeServer } from './codeServer';
import { format } from 'node:util';
import { reportPrefix, statsPrefix } from './extension/runMocha';
import { Workbench } from './workbench';

/** A mocha suite that runs inside the real extension host, in one workspace. */
export interface ExtensionHostSuite {
  readonly name: string;
  readonly workspace: string;
  /** Compiled CommonJS module exporting `run(): Promise<void>` (the extensionTestsPath). */
  readonly testsModule: string;
}

export interface ExtensionHostResult {
  readonly suite: ExtensionHostSuite;
  /** What the workbench passed to `codeAutomationExit`; undefined when it never did. */
  readonly exitCode: number | undefined;
  readonly passes: number;
  readonly failures: number;
  readonly pending: number;
  /** Mocha's report from inside the extension host. */
  readonly report: readonly string[];
  /** The workbench's whole log, extension-host console output included. */
  readonly log: readonly string[];
}

/**
 * Opens `suite.workspace` with `extensionFolder` as the development extension and the suite as
 * its tests (VS Code's extensionTestsPath protocol), and collects mocha's counts from the log.
 */
export async function runExtensionHostSuite(
  server: CodeServer,
  browser: Browser,
  extensionFolder: string,
  suite: ExtensionHostSuite,
  timeoutMs = 120_000,
): Promise<ExtensionHostResult> {
  const report: string[] = [];
  const log: string[] = [];
  let stats: { passes: number; failures: number; pending: number } | undefined;
  const url = server.workbenchUrl(suite.workspace, [
    ['extensionDevelopmentPath', server.remoteUri(extensionFolder)],
    ['extensionTestsPath', server.remoteUri(suite.testsModule)],
  ]);
  const workbench = await Workbench.open(browser, url, {
    smokeTestDriver: true,
    onLog: (type, args) => {
      // Console calls arrive as their arguments, printf-style.
      const message = Array.isArray(args) ? format(...args) : String(args);
      log.push(`[${type}] ${message}`);
      if (message.startsWith(statsPrefix)) stats = JSON.parse(message.slice(statsPrefix.length));
      else if (message.startsWith(reportPrefix)) report.push(message.slice(reportPrefix.length));
    },
  });
  try {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    const exitCode = await Promise.race([workbench.exitCode, timedOut]);
    clearTimeout(timer);
    return {
      suite,
      exitCode,
      passes: stats?.passes ?? 0,
      // A suite that failed without a count (it did not load, or never finished) is one failure.
      failures: Math.max(stats?.failures ?? 0, exitCode === 0 ? 0 : 1),
      pending: stats?.pending ?? 0,
      report,
      log,
    };
  } finally {
    await workbench.close();
  }
}
