import { execFile } from 'node:child_process';

const TIMEOUT_MS = 10_000;

/**
 * The import path of the project's Python environment, to find installed apps outside the
 * workspace (django.contrib, site-packages). Runs no project code: `-I` isolates the interpreter
 * from the current folder and PYTHON* variables, and the one statement imports nothing of the
 * project. Callers must only use it in a trusted workspace. Undefined when it cannot run.
 */
export function pythonSysPath(interpreter: string, cwd: string): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    execFile(
      interpreter,
      ['-I', '-c', 'import json, sys; print(json.dumps([p for p in sys.path if p]))'],
      { cwd, timeout: TIMEOUT_MS, windowsHide: true },
      (error, stdout) => {
        if (error) return resolve(undefined);
        try {
          const paths = JSON.parse(stdout) as unknown;
          resolve(Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : undefined);
        } catch {
          resolve(undefined);
        }
      },
    );
  });
}
