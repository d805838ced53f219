import * as path from 'node:path';
import { CommandProject, DjangoAnswer } from '../../../protocol/index';
import { openSealedEnvironment } from './sealedEnvironment';
import { ServerRequests } from './serverRequests';

/** How a task runs the project's `manage.py`. */
export interface TaskEnvironment {
  readonly python: string;
  /** The process's whole environment: VS Code's, with the project's `.env` and interpreter's variables over it. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The project's Python as the server's helper runs it: same interpreter, settings module and
 * `.env`, resolved by the server. With `checkDjango`, the server also makes sure the interpreter
 * imports Django (it starts Python: trusted workspaces only).
 */
export async function projectEnvironment(
  requests: ServerRequests,
  project: CommandProject,
  options: { readonly checkDjango?: boolean } = {},
): Promise<DjangoAnswer<TaskEnvironment>> {
  const answer = await requests.taskEnvironment({ projectRoot: project.root, checkDjango: options.checkDjango });
  if (!answer.ok) return answer;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return { ok: true, python: answer.python, env: { ...env, ...openSealedEnvironment(answer.sealedEnv) } };
}

export function managePyOf(project: CommandProject): string {
  return project.managePy ?? path.join(project.root, 'manage.py');
}
