import * as vscode from 'vscode';

/**
 * What a command was invoked on, from any of its callers: a lens or quick fix (plain objects),
 * a tree node (`{ projectRoot, alias, app, name, file }`), an editor or explorer context (a
 * file URI), or nothing (the palette).
 */
export interface CommandArguments {
  readonly projectRoot?: string;
  readonly app?: string;
  readonly name?: string;
  readonly file?: string;
  readonly alias?: string;
  /** How a quick fix runs makemigrations: `write`, `preview` (--dry-run) or `rename` (interactive). */
  readonly mode?: 'write' | 'preview' | 'rename';
}

export function commandArguments(value: unknown): CommandArguments {
  if (value instanceof vscode.Uri) return value.scheme === 'file' ? { file: value.fsPath } : {};
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const text = (key: string): string | undefined =>
    typeof record[key] === 'string' && record[key] !== '' ? (record[key] as string) : undefined;
  const file = text('file') ?? (record.resourceUri instanceof vscode.Uri ? record.resourceUri.fsPath : undefined);
  return {
    ...(text('projectRoot') ? { projectRoot: text('projectRoot') } : {}),
    ...(text('app') ? { app: text('app') } : {}),
    ...(text('name') ? { name: text('name') } : {}),
    ...(file ? { file } : {}),
    ...(text('alias') ? { alias: text('alias') } : {}),
    ...(record.mode === 'write' || record.mode === 'preview' || record.mode === 'rename' ? { mode: record.mode } : {}),
  };
}

/** The arguments, or the migration open in the active editor when there are none. */
export function orActiveEditor(given: CommandArguments): CommandArguments {
  if (given.projectRoot || given.file || given.app) return given;
  const document = vscode.window.activeTextEditor?.document;
  return document?.uri.scheme === 'file' ? { ...given, file: document.uri.fsPath } : given;
}
