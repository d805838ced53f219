import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandApp, CommandProject } from '../../../protocol/index';

/** The migrations folder of an app, where makemigrations, merge and squash write. */
export function migrationsDirectory(app: CommandApp, project: CommandProject): string {
  return app.migrationsDirectory ?? path.join(app.directory ?? path.join(project.root, app.label), 'migrations');
}

/**
 * The Python files of some apps' migrations folders before a command runs; `created()` names
 * the ones that appeared since, so the command can open what it wrote.
 */
export function watchCreatedFiles(project: CommandProject, apps: readonly CommandApp[]): { created(): string[] } {
  const directories = [...new Set(apps.map((app) => migrationsDirectory(app, project)))];
  const before = new Set(directories.flatMap(pythonFiles));
  return { created: () => directories.flatMap(pythonFiles).filter((file) => !before.has(file)) };
}

/** Opens each file a command wrote, the last one focused. */
export async function openCreatedFiles(files: readonly string[]): Promise<void> {
  for (const [index, file] of files.entries()) {
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false, preserveFocus: index < files.length - 1 });
  }
}

function pythonFiles(directory: string): string[] {
  try {
    return readdirSync(directory)
      .filter((name) => name.endsWith('.py') && name !== '__init__.py')
      .map((name) => path.join(directory, name));
  } catch {
    return [];
  }
}
