import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { commandArguments, orActiveEditor } from '../commands/commandArguments';
import { pickApp, pickMigration, pickProject } from '../commands/pickers';
import { ServerRequests } from '../commands/serverRequests';
import { requireTrust } from '../commands/workspaceTrust';
import { sqlDocumentUri } from './sqlDocumentProvider';

/**
 * `djangoMigrations.showSql` / `.showBackwardsSql` (the "SQL" and "Backwards SQL" lenses): opens
 * what `sqlmigrate` prints for the migration beside the editor, read-only and highlighted as SQL.
 */
export async function showSql(requests: ServerRequests, argument: unknown, backwards: boolean): Promise<void> {
  if (!requireTrust(backwards ? 'sqlmigrate --backwards' : 'sqlmigrate')) return;
  const given = orActiveEditor(commandArguments(argument));
  const title = backwards ? 'Show Backwards SQL' : 'Show SQL';
  let { projectRoot, app, name, file } = given;
  if (!projectRoot || !app || !name) {
    const project = await pickProject(await requests.commandTargets(), given, title);
    const chosenApp = project && (await pickApp(project, given, title));
    const migration = chosenApp && (await pickMigration(chosenApp, given, title));
    if (!project || !chosenApp || !migration) return;
    ({ root: projectRoot } = project);
    app = chosenApp.label;
    name = migration.name;
    file = migration.file;
  }
  // Django reads the file from disk.
  const edited = file
    ? vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === file)
    : undefined;
  if (edited?.isDirty)
    void vscode.window.showInformationMessage('Django Migrations: the SQL is for the file as saved; save it to see your edits.');
  const content = file ? await readFile(file).catch(() => undefined) : undefined;
  const uri = sqlDocumentUri({
    projectRoot,
    app,
    name,
    backwards,
    database: given.alias,
    contentHash: content ? createHash('sha1').update(content).digest('hex').slice(0, 16) : undefined,
  });
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.languageId !== 'sql') await vscode.languages.setTextDocumentLanguage(document, 'sql');
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}
