import { checkDjangoImport } from '../django/djangoImportCheck';
import { UntrustedWorkspaceError } from '../django/djangoErrors';
import { pythonEnvironmentKey } from '../django/pythonEnvironment';
import { DjangoAnswer, TaskEnvironmentAnswer, TaskEnvironmentParams, TaskEnvironmentRequest } from '../../../protocol/index';
import { ServerContext } from '../serverContext';
import { sealEnvironment } from '../workspace/sealedEnvironment';
import { djangoFailure } from '../workspace/djangoFailure';

/**
 * Answers how a task runs `manage.py`: the environment the helper would get, resolved here so the
 * client imports no server code. The variables are sealed with the client's key rather than
 * redacted, because the task needs the real `.env` values and the trace must never show them.
 */
export function registerTaskEnvironment(context: ServerContext): void {
  // Interpreters seen importing Django, by environment: checked once per server.
  const importable = new Set<string>();
  context.connection.onRequest(
    TaskEnvironmentRequest,
    async (params: TaskEnvironmentParams): Promise<DjangoAnswer<TaskEnvironmentAnswer>> => {
      const key = context.workspace.sealingKey;
      if (!key) throw new Error('The language server was started without the key for task environments.');
      await context.whenLoaded();
      const bridge = context.workspace.django;
      const project = bridge.project(params.projectRoot);
      if (!project)
        return { ok: false, reason: 'noProject', message: `No Django project with its manage.py in ${params.projectRoot} is indexed.` };
      const environment = bridge.environment(project, params.python);
      const environmentKey = pythonEnvironmentKey(environment);
      if (params.checkDjango && !importable.has(environmentKey)) {
        if (!context.options.trusted) return djangoFailure(new UntrustedWorkspaceError('check whether Django can be imported'));
        const check = await checkDjangoImport(environment, { trusted: true });
        if (!check.ok) return { ok: false, reason: IMPORT_FAILURES[check.reason], message: check.message };
        importable.add(environmentKey);
      }
      return { ok: true, python: environment.python, sealedEnv: sealEnvironment(addedVariables(environment.env, process.env), key) };
    },
  );
}

const IMPORT_FAILURES = {
  interpreterNotFound: 'pythonNotFound',
  djangoNotImportable: 'djangoImport',
  interpreterFailed: 'exited',
} as const;

/** What `env` sets beyond `base`: VS Code's environment is the task's base, as it is the server's. */
export function addedVariables(
  env: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name, value]) => base[name] !== value));
}
