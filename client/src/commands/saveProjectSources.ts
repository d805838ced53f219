import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandProject } from '../../../protocol/index';

/**
 * Saves the project's Python files that the editor holds unsaved, before a command that imports
 * the project: the models diagnostics read what the editor holds, makemigrations reads the disk.
 * False (with a message) when one of them could not be saved.
 */
export async function saveProjectSources(project: CommandProject): Promise<boolean> {
  const inside = (file: string) => {
    const relative = path.relative(project.root, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  };
  const unsaved = vscode.workspace.textDocuments.filter(
    (document) => document.isDirty && document.uri.scheme === 'file' && document.languageId === 'python' && inside(document.uri.fsPath),
  );
  for (const document of unsaved) {
    if (!(await document.save())) {
      void vscode.window.showErrorMessage(
        `Django Migrations: ${vscode.workspace.asRelativePath(document.uri)} could not be saved; makemigrations reads the saved files.`,
      );
      return false;
    }
  }
  return true;
}
