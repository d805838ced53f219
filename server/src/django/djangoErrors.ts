/**
 * Why a call into the project's Python + Django did not give an answer. Each kind is its own
 * class so callers can tell "the user must act" (untrusted, no interpreter, no Django, broken
 * settings) from "Django answered with an error" and from "the process went away".
 */

/** Running the project's Python was refused because the workspace is not trusted. */
export class UntrustedWorkspaceError extends Error {
  override readonly name = 'UntrustedWorkspaceError';
  constructor(action: string) {
    super(
      `Refusing to ${action}: the workspace is not trusted, and running the project's Python ` +
        'would execute its code (settings, models, migrations). Trust the workspace to enable it.',
    );
  }
}

/** The interpreter could not be started at all. */
export class PythonNotFoundError extends Error {
  override readonly name = 'PythonNotFoundError';
  constructor(
    readonly python: string,
    readonly reason: string,
  ) {
    super(
      `The Python interpreter ${python} could not be started (${reason}). Set ` +
        "djangoMigrations.python.path (or pass --python) to the interpreter of the project's environment.",
    );
  }
}

/** The interpreter runs but cannot import Django. */
export class DjangoImportError extends Error {
  override readonly name = 'DjangoImportError';
  constructor(
    readonly python: string,
    readonly importError: string,
  ) {
    super(djangoImportMessage(python, importError));
  }
}

/** What to tell a user whose interpreter cannot import Django. */
export function djangoImportMessage(python: string, importError: string): string {
  return (
    `Django cannot be imported by ${python}: ${importError}. Select the interpreter of the ` +
    "project's environment (setting djangoMigrations.python.path, or --python), or install Django " +
    `into this one (${python} -m pip install django).`
  );
}

/** Django imported but `django.setup()` failed: settings or an app could not load. */
export class DjangoSetupError extends Error {
  override readonly name = 'DjangoSetupError';
  constructor(
    readonly type: string,
    readonly djangoMessage: string,
    readonly traceback: string,
    readonly settingsModule: string | undefined,
  ) {
    super(`Django could not be set up with settings ${settingsModule ?? '(none)'}: ${type}: ${djangoMessage}`);
  }
}

/** Django raised while answering a request: `type` is the Python exception class name. */
export class DjangoRequestError extends Error {
  override readonly name = 'DjangoRequestError';
  constructor(
    readonly type: string,
    readonly djangoMessage: string,
    readonly traceback: string,
  ) {
    super(`${type}: ${djangoMessage}`);
  }
}

/** A request or the start-up took longer than allowed; the process was stopped. */
export class DjangoHelperTimeoutError extends Error {
  override readonly name = 'DjangoHelperTimeoutError';
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`The Django helper did not answer ${method} within ${timeoutMs} ms; it was stopped.`);
  }
}

/** The helper process ended while requests were waiting for it. */
export class DjangoHelperExitedError extends Error {
  override readonly name = 'DjangoHelperExitedError';
  constructor(
    readonly code: number | null,
    readonly signal: string | null,
    readonly stderr: string,
  ) {
    super(
      `The Django helper exited (${signal ? `signal ${signal}` : `code ${code}`})` +
        (stderr ? `: ${stderr.trim().split('\n').slice(-5).join('\n')}` : '.'),
    );
  }
}

/** The reason of a request cancelled because its helper was restarted (the sources changed). */
export const HELPER_RESTARTED = 'the helper was restarted';

/** A request was cancelled by its caller, or dropped because the helper was stopped. */
export class DjangoHelperCancelledError extends Error {
  override readonly name = 'DjangoHelperCancelledError';
  constructor(readonly reason: string) {
    super(`Django helper request cancelled: ${reason}`);
  }
}
