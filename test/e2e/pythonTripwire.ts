import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { djangoPython } from './sampleWorkspace';

/** The environment variable that tells extension-host suites where the tripwire logs. */
export const TRIPWIRE_LOG_VARIABLE = 'DJANGO_MIGRATIONS_E2E_PYTHON_LOG';

/**
 * Python interpreters that write one line per start (directory and arguments) to `log`, then run
 * the real Python. Put `bin` first on code-server's PATH, name `python` in the settings and a
 * workspace's `.venv`, and every way the extension could start Python leaves a line.
 */
export interface PythonTripwire {
  readonly bin: string;
  readonly python: string;
  readonly log: string;
}

export function makePythonTripwire(folder: string): PythonTripwire {
  const bin = join(folder, 'bin');
  const log = join(folder, 'python-starts.log');
  mkdirSync(bin, { recursive: true });
  for (const name of ['python', 'python3']) writeTripwire(join(bin, name), log);
  return { bin, python: join(bin, 'python3'), log };
}

/** A `.venv/bin/python` in `project` that trips too (the extension's fallback interpreter). */
export function addVenvTripwire(project: string, tripwire: PythonTripwire): void {
  const bin = join(project, '.venv', 'bin');
  mkdirSync(bin, { recursive: true });
  writeTripwire(join(bin, 'python'), tripwire.log);
}

/** The lines logged so far: one per Python process started through a tripwire. */
export function pythonStarts(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

function writeTripwire(path: string, log: string): void {
  writeFileSync(path, `#!/bin/sh\necho "$(pwd): $0 $*" >> '${log}'\nexec ${djangoPython} "$@"\n`);
  chmodSync(path, 0o755);
}
