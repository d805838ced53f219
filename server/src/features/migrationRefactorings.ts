import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  CreateFile,
  DeleteFile,
  Diagnostic,
  ErrorCodes,
  OptionalVersionedTextDocumentIdentifier,
  Position,
  Range,
  RenameFile,
  ResponseError,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { planFinishSquash } from '../core/lifecycle/finishSquash';
import { branchOf, planRebase } from '../core/lifecycle/rebaseMigrations';
import { detectConflicts, LoaderResult } from '../core/loader';
import { missingMaxMigrationFiles, withMaxMigrationFiles } from '../project/maxMigrationFiles';
import { filesOnUpstream } from '../git/upstreamFiles';
import { AliasRows, RefactoringPlan } from '../core/lifecycle/refactoringPlan';
import { RenamedRows } from '../core/lifecycle/undoneRename';
import { numberPrefix, planRenameMigration, renameBlocker, withNumberPrefix } from '../core/lifecycle/renameMigration';
import { Migration, MigrationKey, migrationKey, splitMigrationKey } from '../core/migration';
import { containsPosition, FILE_START, SourceRange } from '../core/sourceRange';
import { MigrationProject } from '../project/migrationProject';
import { projectFileCheck } from '../project/projectFiles';
import { ServerContext } from '../serverContext';
import { renameAliasRows } from './aliasRowRenames';
import { cursorTarget } from './cursorTarget';
import { pathToUri as fileUri, uriToPath } from './fileUri';
import { DIAGNOSTIC_SOURCE } from './toDiagnostic';

/** What each database of the project holds, as its monitor last read it. */
export function aliasRowsOf(context: ServerContext, project: MigrationProject): AliasRows[] {
  return context.workspace.databases.views(project).map((view): AliasRows => {
    const { snapshot } = view;
    if (snapshot.status === 'ok' || snapshot.status === 'missing-file')
      return { alias: view.alias, status: 'ok', recorded: new Set(snapshot.rows.map((row) => migrationKey(row.app, row.name))) };
    return { alias: view.alias, status: 'unreadable', reason: snapshot.message ?? snapshot.status };
  });
}

function textOf(context: ServerContext): (file: string) => string | undefined {
  return (file) => {
    const open = context.openText(file);
    if (open !== undefined) return open;
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/**
 * A plan as one workspace edit, which one undo reverts: renames first, then the text edits (on
 * each file's new name: an editor open on a renamed file follows it, and no edited buffer is
 * left behind at the old name), then deletes.
 */
export function workspaceEditOf(
  planned: RefactoringPlan,
  loaded: LoaderResult,
  createMaxMigrationFiles?: (file: string) => boolean,
): WorkspaceEdit {
  const plan = withMaxMigrationFiles(planned, loaded);
  const created = createMaxMigrationFiles ? missingMaxMigrationFiles(plan, loaded, createMaxMigrationFiles) : [];
  const renamed = new Map(plan.renames.map((rename) => [rename.from, rename.to]));
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of plan.edits) {
    const file = renamed.get(edit.path) ?? edit.path;
    byFile.set(file, [...(byFile.get(file) ?? []), TextEdit.replace(edit.range, edit.newText)]);
  }
  const changes: (TextDocumentEdit | CreateFile | RenameFile | DeleteFile)[] = plan.renames.map((rename) =>
    RenameFile.create(fileUri(rename.from), fileUri(rename.to)),
  );
  for (const [file, edits] of byFile)
    changes.push(TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(fileUri(file), null), edits));
  for (const { file, text } of created) {
    changes.push(CreateFile.create(fileUri(file), { ignoreIfExists: true }));
    changes.push(
      TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(fileUri(file), null), [
        TextEdit.insert(FILE_START.start, text),
      ]),
    );
  }
  for (const file of plan.deletes) changes.push(DeleteFile.create(fileUri(file)));
  return { documentChanges: changes };
}

/**
 * Where the refactorings of a project create missing `max_migration.txt` files: its own files,
 * when `djangoMigrations.maxMigrationFile.enabled` is on for a workspace folder holding it.
 */
export function maxMigrationFileCreation(context: ServerContext, project: MigrationProject): ((file: string) => boolean) | undefined {
  const root = path.resolve(project.project.root);
  const enabled = (context.options.maxMigrationFileFolders ?? []).some((folder) => {
    const relative = path.relative(path.resolve(folder), root);
    return !relative.startsWith('..') && !path.isAbsolute(relative);
  });
  return enabled ? projectFileCheck(project.project.root) : undefined;
}

/**
 * "Finish the squash" on a squashed migration: the quick fix of `unfinished-squash`, and a
 * refactoring wherever the cursor is on `replaces`. Disabled, with the reasons, when a database
 * has applied only part of the squash or cannot be read.
 */
export function finishSquashActions(context: ServerContext, params: CodeActionParams): CodeAction[] {
  const file = uriToPath(params.textDocument.uri);
  const project = file ? context.projectOf(file) : undefined;
  const migration = file ? project?.migrationAt(file) : undefined;
  const replacesRange = migration?.parsed.attributeRanges.replaces;
  if (!project || !migration || migration.parsed.replaces.length === 0 || !replacesRange) return [];
  const diagnostics = params.context.diagnostics.filter(
    (diagnostic: Diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE && diagnostic.code === 'unfinished-squash',
  );
  if (diagnostics.length === 0 && !overlaps(params.range, replacesRange)) return [];
  const key = migrationKey(migration.appLabel, migration.name);
  const result = planFinishSquash(
    project.loaderResult(),
    key,
    aliasRowsOf(context, project),
    textOf(context),
    projectFileCheck(project.project.root),
  );
  const kind = diagnostics.length > 0 ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite;
  if (!result.ok) {
    return [{ title: 'Finish the squash', kind, diagnostics, disabled: { reason: result.reasons.join('; ') } }];
  }
  const { plan } = result;
  const references = plan.edits.length - 1;
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  const parts = [
    ...(plan.deletes.length > 0 ? [`delete ${plural(plan.deletes.length, 'replaced migration')}`] : []),
    ...(references > 0 ? [`point ${plural(references, 'reference')} at it`] : []),
    'remove replaces',
  ];
  return [
    {
      title: `Finish the squash: ${parts.join(', ')}`,
      kind,
      diagnostics,
      edit: workspaceEditOf(plan, project.loaderResult(), maxMigrationFileCreation(context, project)),
    },
  ];
}

/** What each alias holds of the squashed migration in `file`, as "Finish the squash" found it. */
export function finishSquashReport(context: ServerContext, file: string): string[] {
  const project = context.projectOf(file);
  const migration = project?.migrationAt(file);
  if (!project || !migration) return [];
  const result = planFinishSquash(
    project.loaderResult(),
    migrationKey(migration.appLabel, migration.name),
    aliasRowsOf(context, project),
    textOf(context),
    projectFileCheck(project.project.root),
  );
  return [...(result.ok ? result.plan.report : result.report)];
}

function overlaps(a: Range, b: SourceRange): boolean {
  return containsPosition(b, a.start) || containsPosition(b, a.end) || containsPosition(a, b.start);
}

/** The migration a rename at `position` renames: the file's own (`class Migration`) or the one a reference names. */
function renameTarget(
  project: MigrationProject,
  migration: Migration,
  position: Position,
): { key: MigrationKey; range: SourceRange } | undefined {
  const parsed = migration.parsed;
  if (parsed.classNameRange && containsPosition(parsed.classNameRange, position))
    return { key: migrationKey(migration.appLabel, migration.name), range: parsed.classNameRange };
  const target = cursorTarget(migration, position);
  if (target?.kind !== 'migration' || typeof target.app !== 'string') return undefined;
  const key = migrationKey(target.app, target.name);
  if (!project.loaderResult().diskMigrations.has(key)) return undefined;
  const entry = [...parsed.dependencies, ...parsed.replaces, ...parsed.runBefore].find((e) => containsPosition(e.range, position));
  return entry?.nameRange ? { key, range: entry.nameRange } : undefined;
}

/** `textDocument/prepareRename`: what can be renamed here, the part after the number prefix as the placeholder, or why not. */
export function prepareRename(
  context: ServerContext,
  project: MigrationProject,
  file: string,
  position: Position,
): { range: Range; placeholder: string } | null {
  const migration = project.migrationAt(file);
  const target = migration && renameTarget(project, migration, position);
  if (!target) return null;
  const name = target.key.slice(target.key.indexOf('.') + 1);
  const blocker = renameBlocker(project.loaderResult(), target.key, aliasRowsOf(context, project), projectFileCheck(project.project.root));
  if (blocker !== undefined) throw new ResponseError(ErrorCodes.InvalidRequest, blocker);
  return { range: target.range, placeholder: name.slice(numberPrefix(name).length) };
}

/**
 * `textDocument/rename`: the file renamed, every reference rewritten, and, after the user
 * confirmed the list, the `django_migrations` rows of every alias that recorded it, each in a
 * transaction. The edit is applied here, after the rows: if it is not applied, the rows are
 * renamed back, so files and rows never disagree. `renamed` hears of the rows written, for an
 * undo of the files to offer renaming them back.
 */
export async function rename(
  context: ServerContext,
  project: MigrationProject,
  file: string,
  position: Position,
  typed: string,
  renamed?: (rows: RenamedRows) => void,
): Promise<WorkspaceEdit | null> {
  const migration = project.migrationAt(file);
  const target = migration && renameTarget(project, migration, position);
  if (!target) return null;
  const name = target.key.slice(target.key.indexOf('.') + 1);
  const newName = withNumberPrefix(name, typed.trim());
  const result = planRenameMigration(
    project.loaderResult(),
    target.key,
    newName,
    aliasRowsOf(context, project),
    textOf(context),
    projectFileCheck(project.project.root),
  );
  if (!result.ok) throw new ResponseError(ErrorCodes.InvalidRequest, result.reasons.join('; '));
  const { plan } = result;
  const edit = workspaceEditOf(plan, project.loaderResult(), maxMigrationFileCreation(context, project));
  if (plan.rows.length === 0) return edit;
  const rows = plan.rows.map(({ alias, renames }) => `'${alias}': ${renames.map((r) => `${r.app}.${r.from} → ${r.to}`).join(', ')}`);
  const confirm = 'Rename Rows and File';
  const answer = await context.connection.window.showWarningMessage(
    `${target.key} is applied. Renaming it also renames its django_migrations rows: ${rows.join('; ')}. ` +
      'Undo puts the files back, then offers to rename the rows back.',
    { title: confirm },
    { title: 'Cancel' },
  );
  if (answer?.title !== confirm) return null;
  const written = await renameAliasRows(context, project, plan.rows);
  if (!written.ok) throw new ResponseError(ErrorCodes.InvalidRequest, `${written.problem}; no file was changed`);
  const applied = await context.connection.workspace.applyEdit({ label: plan.title, edit }).catch(() => ({ applied: false }));
  if (!applied.applied) {
    await written.undo();
    throw new ResponseError(ErrorCodes.InvalidRequest, 'the editor did not apply the rename; the rows were renamed back');
  }
  const [app, from] = splitMigrationKey(target.key);
  renamed?.({ app, from, to: newName, aliases: plan.rows.map((rows) => rows.alias) });
  void context.workspace.databases.refresh(project.project.root);
  return { changes: {} };
}

/**
 * "Rebase <app> <branch> onto <other leaf>" next to merge on `conflicting-leaves`: the branch
 * that is not on the upstream branch moves; when git cannot tell, both directions are offered.
 * Disabled, with the reason, while a database applied the branch.
 */
export async function rebaseActions(context: ServerContext, params: CodeActionParams): Promise<CodeAction[]> {
  const diagnostics = params.context.diagnostics.filter(
    (diagnostic: Diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE && diagnostic.code === 'conflicting-leaves',
  );
  const file = uriToPath(params.textDocument.uri);
  const project = file ? context.projectOf(file) : undefined;
  const migration = file ? project?.migrationAt(file) : undefined;
  if (diagnostics.length === 0 || !project || !migration) return [];
  const loaded = project.loaderResult();
  const leaves = (detectConflicts(loaded.graph).get(migration.appLabel) ?? []).map((name) => migrationKey(migration.appLabel, name));
  if (leaves.length !== 2) return [];
  const files = leaves.map((key) => loaded.diskMigrations.get(key)?.path ?? '');
  const upstream = await filesOnUpstream(project.project.root, files);
  const onUpstream = leaves.filter((_, index) => upstream?.has(files[index]));
  const ontos = onUpstream.length === 1 ? onUpstream : leaves;
  const aliases = aliasRowsOf(context, project);
  return ontos.map((onto): CodeAction => {
    const leaf = leaves.find((key) => key !== onto)!;
    const result = planRebase(loaded, leaf, onto, aliases, textOf(context), projectFileCheck(project.project.root));
    const branch = branchOf(loaded, leaf, onto).map((key) => key.slice(key.indexOf('.') + 1));
    const title = `Rebase ${migration.appLabel} ${branch.join(', ')} onto ${onto.slice(onto.indexOf('.') + 1)}`;
    return result.ok
      ? {
          title,
          kind: CodeActionKind.QuickFix,
          diagnostics,
          edit: workspaceEditOf(result.plan, loaded, maxMigrationFileCreation(context, project)),
        }
      : { title, kind: CodeActionKind.QuickFix, diagnostics, disabled: { reason: result.reasons.join('; ') } };
  });
}
