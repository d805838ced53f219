import { PVSC_EXTENSION_ID, PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';

/**
 * The interpreter for a project folder: the one selected in the Python extension when it is
 * installed, else the `djangoMigrations.python.path` setting; undefined leaves the choice to
 * `.venv`/`venv`, then `python3` (resolvePythonEnvironment).
 */
export async function interpreterFor(folder: string): Promise<string | undefined> {
  const resource = vscode.Uri.file(folder);
  return (
    (await pythonExtensionInterpreter(resource)) ??
    (vscode.workspace.getConfiguration('djangoMigrations', resource).get<string>('python.path') || undefined)
  );
}

async function pythonExtensionInterpreter(resource: vscode.Uri): Promise<string | undefined> {
  if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) return undefined;
  try {
    const api = await PythonExtension.api();
    const environment = await api.environments.resolveEnvironment(api.environments.getActiveEnvironmentPath(resource));
    return environment?.executable.uri?.fsPath;
  } catch {
    // A Python extension that fails to answer is the same as none.
    return undefined;
  }
}
