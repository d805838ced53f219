import * as fs from 'node:fs';
import * as path from 'node:path';
import { RefactoringPlan } from '../core/lifecycle/refactoringPlan';
import { FileTextEdit } from '../core/lifecycle/referenceEdits';
import { LoaderResult } from '../core/loader';
import { Problem } from '../core/problem';
import { FILE_START } from '../core/sourceRange';

/** The guard file's name, as django-linear-migrations writes it. */
export const MAX_MIGRATION_FILE = 'max_migration.txt';

/**
 * The `max_migration.txt` of each app whose migrations folder has one, with the leaf it should
 * name: the app's one latest migration (none while the app has conflicting leaves). Two
 * branches that each add a migration then change the same line, so git reports the conflict.
 */
export function maxMigrationFiles(loaded: LoaderResult): { file: string; app: string; leaf: string | undefined }[] {
  const folders = new Map<string, string>();
  for (const migration of loaded.diskMigrations.values()) folders.set(migration.appLabel, path.dirname(migration.path));
  const leaves = loaded.graph.leafNodesByApp();
  const files: { file: string; app: string; leaf: string | undefined }[] = [];
  for (const [app, folder] of folders) {
    const file = path.join(folder, MAX_MIGRATION_FILE);
    if (!fs.existsSync(file)) continue;
    const appLeaves = leaves.get(app) ?? [];
    files.push({ file, app, leaf: appLeaves.length === 1 ? appLeaves[0].slice(app.length + 1) : undefined });
  }
  return files;
}

/** A `max_migration.txt` that does not name its app's latest migration. */
export function staleMaxMigrationProblems(loaded: LoaderResult): Problem[] {
  const problems: Problem[] = [];
  for (const { file, app, leaf } of maxMigrationFiles(loaded)) {
    if (leaf === undefined) continue; // conflicting-leaves already says so
    const named = fs.readFileSync(file, 'utf8').trim();
    if (named === leaf) continue;
    problems.push({
      code: 'stale-max-migration',
      severity: 'error',
      message: `${MAX_MIGRATION_FILE} names '${named}', but the latest migration of '${app}' is ${leaf}: write '${leaf}' in it`,
      file,
      range: FILE_START,
    });
  }
  return problems;
}

/** The plan with each changed app's `max_migration.txt` (where it has one) naming its new latest migration. */
export function withMaxMigrationFiles(plan: RefactoringPlan, loaded: LoaderResult): RefactoringPlan {
  const edits: FileTextEdit[] = [];
  for (const { file, app } of maxMigrationFiles(loaded)) {
    const leaf = plan.leaves.find((entry) => entry.app === app);
    if (!leaf) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    edits.push({
      path: file,
      range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } },
      newText: `${leaf.name}\n`,
    });
  }
  return edits.length === 0 ? plan : { ...plan, edits: [...plan.edits, ...edits] };
}

/**
 * With the opt-in setting on: the `max_migration.txt` a plan creates, one for each app it touches
 * (an edited, renamed or deleted migration of the project's own) whose folder has none yet,
 * naming the app's latest migration once the plan is applied.
 */
export function missingMaxMigrationFiles(
  plan: RefactoringPlan,
  loaded: LoaderResult,
  editable: (file: string) => boolean,
): { file: string; text: string }[] {
  const appOf = new Map([...loaded.diskMigrations.values()].map((migration) => [path.resolve(migration.path), migration]));
  const touched = new Map<string, string>();
  for (const file of [...plan.edits.map((edit) => edit.path), ...plan.deletes, ...plan.renames.map((rename) => rename.from)]) {
    const migration = appOf.get(path.resolve(file));
    if (migration && editable(migration.path)) touched.set(migration.appLabel, path.dirname(migration.path));
  }
  const leaves = loaded.graph.leafNodesByApp();
  const created: { file: string; text: string }[] = [];
  for (const [app, folder] of touched) {
    const file = path.join(folder, MAX_MIGRATION_FILE);
    if (fs.existsSync(file)) continue;
    const appLeaves = leaves.get(app) ?? [];
    const leaf =
      plan.leaves.find((entry) => entry.app === app)?.name ?? (appLeaves.length === 1 ? appLeaves[0].slice(app.length + 1) : undefined);
    if (leaf !== undefined) created.push({ file, text: `${leaf}\n` });
  }
  return created;
}
