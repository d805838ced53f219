import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CommandProject } from '../../../protocol/index';

/** django-linear-migrations' guard: in an app's migrations folder, it names the app's latest migration. */
export const MAX_MIGRATION_FILE = 'max_migration.txt';

/** The setting, resource-scoped: on, the editor's commands create the guard where an app has none. */
export const MAX_MIGRATION_FILE_SETTING = 'maxMigrationFile.enabled';

/**
 * After makemigrations (plain, `--empty` or `--merge`) wrote `created`, each of their folders
 * that has a max_migration.txt (every one of them when `create`) gets the name of the migration
 * written there, the app's new latest one, so that two branches adding migrations conflict in
 * git. Returns the guard files written.
 */
export function updateMaxMigrationFiles(created: readonly string[], create = false): string[] {
  const latest = new Map<string, string>();
  for (const file of created) {
    const folder = path.dirname(file);
    const name = path.basename(file, '.py');
    const current = latest.get(folder);
    if (current === undefined || name > current) latest.set(folder, name);
  }
  const written: string[] = [];
  for (const [folder, name] of latest) {
    const guard = path.join(folder, MAX_MIGRATION_FILE);
    if (!create && !existsSync(guard)) continue;
    writeFileSync(guard, `${name}\n`);
    written.push(guard);
  }
  return written;
}

/**
 * The guard each app of the project should have: one per app of the workspace (never an
 * installed package) with migrations and one latest migration, inside one of `folders`.
 * Apps with conflicting leaves get none until merged or rebased.
 */
export function maxMigrationFilesOf(project: CommandProject, folders: readonly string[]): { file: string; text: string }[] {
  const inside = (file: string) =>
    folders.some((folder) => {
      const relative = path.relative(path.resolve(folder), path.resolve(file));
      return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    });
  const files: { file: string; text: string }[] = [];
  for (const app of project.apps) {
    if (app.external || !app.migrationsDirectory || app.leafNodes.length !== 1) continue;
    const file = path.join(app.migrationsDirectory, MAX_MIGRATION_FILE);
    const parts = path.resolve(file).split(path.sep);
    if (!inside(file) || parts.includes('site-packages') || parts.includes('dist-packages')) continue;
    files.push({ file, text: `${app.leafNodes[0]}\n` });
  }
  return files;
}
