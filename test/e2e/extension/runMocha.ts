import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

/**
 * Marks the lines of mocha's report in the extension host's console, which reaches the harness
 * mixed with the workbench's own log.
 */
export const reportPrefix = '[e2e] ';
/** The report line the harness reads the counts from. */
export const statsPrefix = `${reportPrefix}stats `;

/**
 * Runs the `*.e2e.js` files of one folder with mocha inside the extension host. VS Code calls the
 * suite's `run()` and reports its outcome to the page (`codeAutomationExit`): 0 when it resolves.
 */
export function runMochaIn(dir: string): Promise<void> {
  Mocha.reporters.Base.consoleLog = (...data: unknown[]) => {
    for (const line of format(...data).split('\n')) console.log(reportPrefix + line);
  };
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.e2e.js'))
    .sort()) {
    mocha.addFile(join(dir, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      console.log(statsPrefix + JSON.stringify({ passes, failures, pending }));
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
