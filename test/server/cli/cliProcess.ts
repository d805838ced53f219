import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { repositoryRoot } from '../../support/projectFolder';

/** The bundled CLI (`node scripts/bundle.mjs` writes it). */
export const cliScript = path.join(repositoryRoot, 'dist', 'cli.js');

export { djangoPython } from '../../support/testDjango';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli.js ...args` in `cwd` (with `env`) and collects what it printed. */
export function runCli(args: readonly string[], cwd = repositoryRoot, env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliScript, ...args], { cwd, env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
