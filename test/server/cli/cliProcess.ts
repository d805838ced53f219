import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { repositoryRoot } from '../../support/projectFolder';

/** The bundled CLI (`node scripts/bundle.mjs` writes it). */
export const cliScript = path.join(repositoryRoot, 'dist', 'cli.js');

/** Debian's python3-django is installed for this interpreter, not for the `python3` on PATH. */
export const djangoPython = '/usr/bin/python3';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli.js ...args` in `cwd` and collects what it printed. */
export function runCli(args: readonly string[], cwd = repositoryRoot): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliScript, ...args], { cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
