import { ChildProcess, spawn } from 'node:child_process';
import { UntrustedWorkspaceError } from './djangoErrors';
import { PythonEnvironment } from './pythonEnvironment';

export interface SpawnPythonOptions {
  /** Workspace trust: the project's Python runs the project's code, so never without it. */
  readonly trusted: boolean;
  /** What is being started, for the refusal message ("run manage.py migrate"). */
  readonly action: string;
  readonly stdin?: 'pipe' | 'ignore';
}

/**
 * The one place that starts the project's Python: in the project root, with the environment
 * resolved for it, and only in a trusted workspace (throws UntrustedWorkspaceError otherwise).
 */
export function spawnPython(environment: PythonEnvironment, args: readonly string[], options: SpawnPythonOptions): ChildProcess {
  if (!options.trusted) throw new UntrustedWorkspaceError(options.action);
  return spawn(environment.python, args, {
    cwd: environment.projectRoot,
    env: environment.env,
    stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
}
