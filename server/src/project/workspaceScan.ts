import * as path from 'node:path';
import { ProjectFileSystem } from './fileSystem';

/** Folders never searched: dependencies, environments, caches and build output. */
const SKIPPED = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'venv',
  'env',
  '.tox',
  '.nox',
  'site-packages',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.cache',
  'dist',
  'build',
  'out',
]);
const MAX_DEPTH = 8;

export interface WorkspaceScan {
  /** Every manage.py, shallowest first. */
  readonly managePyFiles: string[];
  /** Every `migrations` folder that is a regular package (has `__init__.py`). */
  readonly migrationPackages: string[];
}

/** Finds manage.py files and migrations packages below a folder. */
export async function scanWorkspace(fileSystem: ProjectFileSystem, root: string): Promise<WorkspaceScan> {
  const managePyFiles: string[] = [];
  const migrationPackages: string[] = [];
  const regularPackages = new Set<string>();
  const visit = async (directory: string, depth: number): Promise<void> => {
    const entries = await fileSystem.readDirectory(directory);
    const subdirectories: string[] = [];
    for (const entry of entries) {
      if (entry.isFile && entry.name === 'manage.py') managePyFiles.push(path.join(directory, entry.name));
      if (entry.isDirectory && !SKIPPED.has(entry.name) && !entry.name.startsWith('.')) subdirectories.push(entry.name);
    }
    const regular = entries.some((e) => e.isFile && e.name === '__init__.py');
    if (regular) regularPackages.add(directory);
    // Searched below too: a package named `migrations` may itself be an app that holds apps.
    if (path.basename(directory) === 'migrations' && regular) migrationPackages.push(directory);
    if (depth >= MAX_DEPTH) return;
    await Promise.all(subdirectories.map((name) => visit(path.join(directory, name), depth + 1)));
  };
  await visit(root, 0);
  managePyFiles.sort((a, b) => a.split(path.sep).length - b.split(path.sep).length || (a < b ? -1 : 1));
  return { managePyFiles, migrationPackages: appMigrationPackages(migrationPackages, regularPackages) };
}

/**
 * A `migrations` package below another is an app's only when its parent is a regular package
 * (`<app>/__init__.py`); the outer one is then a package of apps (Django's own test suite has
 * one), not migrations. Any other folder inside a migrations package is not Django's business.
 */
function appMigrationPackages(found: string[], regularPackages: ReadonlySet<string>): string[] {
  found.sort();
  const outerOf = (folder: string) => found.find((other) => other !== folder && folder.startsWith(other + path.sep));
  const nestedApps = found.filter((folder) => outerOf(folder) !== undefined && regularPackages.has(path.dirname(folder)));
  const packagesOfApps = new Set(nestedApps.flatMap((folder) => found.filter((other) => folder.startsWith(other + path.sep))));
  return found.filter((folder) => !packagesOfApps.has(folder) && (outerOf(folder) === undefined || nestedApps.includes(folder)));
}
