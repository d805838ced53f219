import * as path from 'node:path';
import * as vscode from 'vscode';
import { PythonEnvironment, pythonEnvironmentKey, resolvePythonEnvironment } from '../../../server/src/django/pythonEnvironment';
import { checkDjangoImport } from '../../../server/src/django/djangoImportCheck';
import { CommandProject } from '../../../protocol/index';
import { interpreterFor } from './pythonInterpreter';

/** The project's Python as the server's helper runs it: same interpreter, settings module and `.env`. */
export async function projectEnvironment(project: CommandProject): Promise<PythonEnvironment> {
  const configuration = vscode.workspace.getConfiguration('djangoMigrations', vscode.Uri.file(project.root));
  return resolvePythonEnvironment({
    projectRoot: project.root,
    pythonPath: await interpreterFor(project.root),
    settingsModule: configuration.get<string>('settings.module') || undefined,
    manageSettingsModule: project.settingsModule,
  });
}

export function managePyOf(project: CommandProject): string {
  return project.managePy ?? path.join(project.root, 'manage.py');
}

const importable = new Set<string>();

/**
 * Undefined when the environment's interpreter imports Django (remembered once seen), else the
 * message that says what to do. Starts Python: trusted workspaces only.
 */
export async function djangoImportProblem(environment: PythonEnvironment): Promise<string | undefined> {
  const key = pythonEnvironmentKey(environment);
  if (importable.has(key)) return undefined;
  const check = await checkDjangoImport(environment, { trusted: vscode.workspace.isTrusted });
  if (check.ok) {
    importable.add(key);
    return undefined;
  }
  return `${check.message} (Python: Select Interpreter chooses the interpreter for this folder.)`;
}
