import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { PythonNotFoundError, UntrustedWorkspaceError } from '../../server/src/django/djangoErrors';
import { PythonEnvironment } from '../../server/src/django/pythonEnvironment';
import { redactSecrets } from '../../server/src/django/secretRedaction';
import { spawnPython } from '../../server/src/django/spawnPython';

export interface RunManagePyOptions {
  /** Workspace trust: untrusted rejects with UntrustedWorkspaceError and starts nothing. */
  readonly trusted: boolean;
  readonly environment: PythonEnvironment;
  /** Aborting interrupts the command (SIGINT, as Ctrl+C would), then kills it after `cancelGraceMs`. */
  readonly signal?: AbortSignal;
  readonly cancelGraceMs?: number;
  /** Output as it arrives, decoded as UTF-8 and with passwords hidden. */
  readonly onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** Default: manage.py in the project root. */
  readonly managePy?: string;
}

export interface ManagePyResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly cancelled: boolean;
  /** Exactly what the command wrote (not redacted: it is for the caller, not for logs). */
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one management command (`migrate`, `makemigrations`, `squashmigrations`,
 * `showmigrations`...) with the project's interpreter and environment. Standard input is closed,
 * so pass `--noinput` to commands that would ask questions.
 */
export async function runManagePy(args: readonly string[], options: RunManagePyOptions): Promise<ManagePyResult> {
  const { environment, signal } = options;
  const managePy = options.managePy ?? join(environment.projectRoot, 'manage.py');
  if (signal?.aborted) {
    if (!options.trusted) throw new UntrustedWorkspaceError(`run manage.py ${args[0] ?? ''}`.trim());
    return { exitCode: null, signal: null, cancelled: true, stdout: '', stderr: '' };
  }
  const child = spawnPython(environment, [managePy, ...args], {
    trusted: options.trusted,
    action: `run manage.py ${args[0] ?? ''}`.trim(),
    stdin: 'ignore',
  });
  const redact = (text: string): string => redactSecrets(text, environment.secrets);
  return new Promise((resolve, reject) => {
    const output = { stdout: '', stderr: '' };
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const cancel = (): void => {
      cancelled = true;
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.cancelGraceMs ?? 5_000);
    };
    signal?.addEventListener('abort', cancel, { once: true });

    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      const take = (text: string): void => {
        if (!text) return;
        output[stream] += text;
        options.onOutput?.(redact(text), stream);
      };
      child[stream]?.on('data', (chunk: Buffer) => take(decoder.write(chunk)));
      child[stream]?.on('end', () => take(decoder.end()));
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', cancel);
      reject(new PythonNotFoundError(environment.python, error.code ?? error.message));
    });
    child.on('close', (exitCode, exitSignal) => {
      signal?.removeEventListener('abort', cancel);
      clearTimeout(killTimer);
      resolve({ exitCode, signal: exitSignal, cancelled, stdout: output.stdout, stderr: output.stderr });
    });
  });
}
