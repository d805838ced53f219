import { djangoImportMessage, PythonNotFoundError } from './djangoErrors';
import { PythonEnvironment } from './pythonEnvironment';
import { redactSecrets } from './secretRedaction';
import { spawnPython } from './spawnPython';

export type DjangoImportCheck =
  | {
      readonly ok: true;
      readonly python: string;
      readonly executable: string;
      readonly pythonVersion: string;
      readonly djangoVersion: string;
    }
  | {
      readonly ok: false;
      readonly python: string;
      readonly reason: 'interpreterNotFound' | 'djangoNotImportable' | 'interpreterFailed';
      /** Says what went wrong and what to do about it. */
      readonly message: string;
    };

const PROBE = `
import json, sys
try:
    import django
except Exception as exc:
    print(json.dumps({"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)}))
else:
    print(json.dumps({"ok": True, "django": django.get_version(), "python": sys.version.split()[0], "executable": sys.executable}))
`;

/**
 * Whether the environment's interpreter can import Django, without setting Django up. Refuses
 * (rejects with UntrustedWorkspaceError) in an untrusted workspace; otherwise never rejects.
 */
export async function checkDjangoImport(
  environment: PythonEnvironment,
  options: { readonly trusted: boolean; readonly timeoutMs?: number },
): Promise<DjangoImportCheck> {
  const python = environment.python;
  const child = spawnPython(environment, ['-c', PROBE], {
    trusted: options.trusted,
    action: 'check whether Django can be imported',
    stdin: 'ignore',
  });
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (check: DjangoImportCheck): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(check);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({
        ok: false,
        python,
        reason: 'interpreterFailed',
        message: `${python} did not answer within ${options.timeoutMs ?? 30000} ms.`,
      });
    }, options.timeoutMs ?? 30000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) =>
      finish({ ok: false, python, reason: 'interpreterNotFound', message: new PythonNotFoundError(python, error.message).message }),
    );
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      let answer: { ok: boolean; error?: string; django?: string; python?: string; executable?: string } | undefined;
      try {
        answer = JSON.parse(line);
      } catch {
        answer = undefined;
      }
      if (answer?.ok) {
        finish({
          ok: true,
          python,
          executable: answer.executable ?? python,
          pythonVersion: answer.python ?? '',
          djangoVersion: answer.django ?? '',
        });
      } else if (answer) {
        finish({
          ok: false,
          python,
          reason: 'djangoNotImportable',
          message: djangoImportMessage(python, redactSecrets(answer.error ?? '', environment.secrets)),
        });
      } else {
        const detail = redactSecrets(stderr.trim().split('\n').slice(-3).join('\n'), environment.secrets);
        finish({
          ok: false,
          python,
          reason: 'interpreterFailed',
          message: `${python} exited with code ${code} before answering${detail ? `: ${detail}` : '.'}`,
        });
      }
    });
  });
}
