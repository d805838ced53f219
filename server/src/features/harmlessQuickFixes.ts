import { TextEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { migrationKey } from '../core/migration';
import { ServerContext } from '../serverContext';
import { uriToPath } from './fileUri';

/**
 * Remembers the text a harmless quick fix leaves in a migration (see codeActions.ts), so that
 * neither `stale-applied-migration` nor `edited-published-migration` then asks to undo it.
 */
export function acceptHarmlessQuickFix(context: ServerContext, uri: string, edits: readonly TextEdit[]): void {
  const file = uriToPath(uri);
  const project = file ? context.projectOf(file) : undefined;
  const migration = file ? project?.migrationAt(file) : undefined;
  const text = file ? context.openText(file) : undefined;
  if (!project || !migration || text === undefined) return;
  const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'python', 0, text), [...edits]);
  void context.workspace.databases.acceptEdit(project, migrationKey(migration.appLabel, migration.name), fixed);
}
