import { DjangoRequestParams } from './djangoRequests';

/**
 * `djangoMigrations/taskEnvironment`: how a task runs the project's `manage.py` the way the
 * server's helper runs Django (same interpreter, settings module and `.env`).
 */
export const TASK_ENVIRONMENT_REQUEST = 'djangoMigrations/taskEnvironment';

export interface TaskEnvironmentParams extends DjangoRequestParams {
  /** Also start the interpreter once to see that it imports Django (trusted workspaces only). */
  readonly checkDjango?: boolean;
}

export interface TaskEnvironmentAnswer {
  /** The interpreter that runs `manage.py`. */
  readonly python: string;
  /**
   * The variables the task sets over VS Code's environment, as a JSON object sealed with
   * AES-256-GCM (base64 of 12 bytes of IV, 16 of tag, then the ciphertext). They include the
   * project's `.env` values, passwords among them: LSP answers are written to the output channel
   * when the trace is on, so they never travel in clear. The key is the client's, given to the
   * server in `TASK_ENVIRONMENT_KEY_VARIABLE`.
   */
  readonly sealedEnv: string;
}

/**
 * The environment variable of the server's process that holds the client's key (base64 of 32
 * bytes) for `TaskEnvironmentAnswer.sealedEnv`. The server removes it once read, so the
 * processes it starts do not inherit it.
 */
export const TASK_ENVIRONMENT_KEY_VARIABLE = 'DJANGO_MIGRATIONS_TASK_ENVIRONMENT_KEY';
