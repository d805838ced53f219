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
  const visit = async (directory: string, depth: number): Promise<void> => {
    const entries = await fileSystem.readDirectory(directory);
    const subdirectories: string[] = [];
    for (const entry of entries) {
      if (entry.isFile && entry.name === 'manage.py') managePyFiles.push(path.join(directory, entry.name));
      if (entry.isDirectory && !SKIPPED.has(entry.name) && !entry.name.startsWith('.')) subdirectories.push(entry.name);
    }
    if (path.basename(directory) === 'migrations' && entries.some((e) => e.isFile && e.name === '__init__.py')) {
      migrationPackages.push(directory);
      return; // Migrations packages hold no apps.
    }
    if (depth >= MAX_DEPTH) return;
    await Promise.all(subdirectories.map((name) => visit(path.join(directory, name), depth + 1)));
  };
  await visit(root, 0);
  managePyFiles.sort((a, b) => a.split(path.sep).length - b.split(path.sep).length || (a < b ? -1 : 1));
  migrationPackages.sort();
  return { managePyFiles, migrationPackages };
}
