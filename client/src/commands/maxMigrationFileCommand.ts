import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { commandArguments } from './commandArguments';
import { CommandServices } from './commandServices';
import { MAX_MIGRATION_FILE, MAX_MIGRATION_FILE_SETTING, maxMigrationFilesOf } from './maxMigrationFile';
import { pickProject } from './pickers';

/** Whether the editor's commands create `max_migration.txt` for files under `file` (the setting, for its folder). */
export function maxMigrationFileEnabled(file: string): boolean {
  return vscode.workspace.getConfiguration('djangoMigrations', vscode.Uri.file(file)).get<boolean>(MAX_MIGRATION_FILE_SETTING, false);
}

/**
 * `djangoMigrations.createMaxMigrationFiles`: one `max_migration.txt` per app of the project in
 * the workspace, naming its latest migration, as one workspace edit the editor's undo reverts.
 */
export async function createMaxMigrationFiles(services: CommandServices, argument?: unknown): Promise<void> {
  const project = await pickProject(
    await services.requests.commandTargets(),
    commandArguments(argument),
    `Create ${MAX_MIGRATION_FILE} Files`,
  );
  if (!project) return;
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const files = maxMigrationFilesOf(project, folders);
  if (files.length === 0) {
    void vscode.window.showInformationMessage(
      `Django Migrations: no app of the workspace has one latest migration to name in ${MAX_MIGRATION_FILE}.`,
    );
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const { file, text } of files) {
    const uri = vscode.Uri.file(file);
    if (existsSync(file)) {
      const document = await vscode.workspace.openTextDocument(uri);
      edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
    } else {
      edit.createFile(uri, { ignoreIfExists: true });
      edit.insert(uri, new vscode.Position(0, 0), text);
    }
  }
  if (!(await vscode.workspace.applyEdit(edit))) return;
  await vscode.workspace.saveAll(false);
  void vscode.window.showInformationMessage(
    `Django Migrations: ${files.length} ${MAX_MIGRATION_FILE} file${files.length === 1 ? '' : 's'} name their app's latest migration.`,
  );
}
