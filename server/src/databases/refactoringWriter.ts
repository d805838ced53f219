import * as fs from 'node:fs';
import { RefactoringPlan } from '../core/lifecycle/refactoringPlan';
import { FileTextEdit } from '../core/lifecycle/referenceEdits';
import { SourcePosition } from '../core/sourceRange';
import { DatabaseSettings } from '../db/databaseSettings';
import { renameRecorderRows } from '../db/recorderRenames';

export type WriteResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** How rows are renamed; the db layer's writer unless a test replaces it. */
export type RowWriter = typeof renameRecorderRows;

/**
 * Carries out a plan outside the editor: the rows of each alias first (one transaction each),
 * then the files. A database that cannot be written leaves every file as it was and renames the
 * rows of the aliases already done back; a file that cannot be written restores every file and
 * every row. Nothing is half done unless the undo itself fails, which the reason then says.
 */
export async function writeRefactoring(
  plan: RefactoringPlan,
  databases: ReadonlyMap<string, DatabaseSettings>,
  writeRows: RowWriter = renameRecorderRows,
): Promise<WriteResult> {
  const done: { settings: DatabaseSettings; renames: RefactoringPlan['rows'][number]['renames'] }[] = [];
  const undoRows = async (): Promise<string[]> => {
    const failures: string[] = [];
    for (const { settings, renames } of done.reverse()) {
      const back = await writeRows(
        settings,
        renames.map((rename) => ({ app: rename.app, from: rename.to, to: rename.from })),
      );
      if (back.status !== 'ok') failures.push(back.message);
    }
    return failures;
  };
  for (const { alias, renames } of plan.rows) {
    const settings = databases.get(alias);
    const result = settings ? await writeRows(settings, renames) : { status: 'error' as const, message: `no settings for '${alias}'` };
    if (result.status !== 'ok') {
      const undo = await undoRows();
      return { ok: false, reason: withUndo(`database '${alias}' was not changed: ${result.message}; no file was changed`, undo) };
    }
    done.push({ settings: settings!, renames });
  }
  const written = writeFiles(plan);
  if (!written.ok) {
    const undo = await undoRows();
    return { ok: false, reason: withUndo(`${written.reason}; every file and row was restored`, undo) };
  }
  return { ok: true };
}

function withUndo(reason: string, undoFailures: readonly string[]): string {
  return undoFailures.length === 0 ? reason : `${reason}, but renaming rows back failed: ${undoFailures.join('; ')}`;
}

/** Edits, then renames, then deletes; on any failure every touched file is put back. */
function writeFiles(plan: RefactoringPlan): WriteResult {
  const touched = new Set([...plan.edits.map((edit) => edit.path), ...plan.deletes, ...plan.renames.map((rename) => rename.from)]);
  const originals = new Map<string, Buffer>();
  const created: string[] = [];
  try {
    for (const file of touched) originals.set(file, fs.readFileSync(file));
    for (const [file, edits] of groupByFile(plan.edits)) {
      fs.writeFileSync(file, applyTextEdits(originals.get(file)!.toString('utf8'), edits));
    }
    for (const rename of plan.renames) {
      if (fs.existsSync(rename.to)) throw new Error(`${rename.to} already exists`);
      fs.renameSync(rename.from, rename.to);
      created.push(rename.to);
    }
    for (const file of plan.deletes) fs.rmSync(file);
    return { ok: true };
  } catch (error) {
    for (const file of created) fs.rmSync(file, { force: true });
    for (const [file, content] of originals) fs.writeFileSync(file, content);
    return { ok: false, reason: `writing the files failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function groupByFile(edits: readonly FileTextEdit[]): Map<string, FileTextEdit[]> {
  const byFile = new Map<string, FileTextEdit[]>();
  for (const edit of edits) byFile.set(edit.path, [...(byFile.get(edit.path) ?? []), edit]);
  return byFile;
}

/** Applies non-overlapping edits (LSP positions: zero-based lines, UTF-16 characters) to a text. */
export function applyTextEdits(text: string, edits: readonly Pick<FileTextEdit, 'range' | 'newText'>[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (position: SourcePosition): number =>
    position.line >= lineStarts.length ? text.length : Math.min(lineStarts[position.line] + position.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}
