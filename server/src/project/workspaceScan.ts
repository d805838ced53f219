import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Problem } from '../core/problem';
import { FILE_START } from '../core/sourceRange';
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
/** Directory entries looked at before the scan stops: far above any real project. */
export const MAX_SCANNED_ENTRIES = 200_000;

export interface WorkspaceScan {
  /** Every manage.py, shallowest first. */
  readonly managePyFiles: string[];
  /** Every `migrations` folder that is a regular package (has `__init__.py`). */
  readonly migrationPackages: string[];
  /** Set when the scan stopped at its cap of entries: what it found is incomplete. */
  readonly limitReached: boolean;
}

/**
 * Finds manage.py files and migrations packages below a folder. Each real folder is read once,
 * by its plain path when it has one: a symbolic link is followed only into a folder not yet seen,
 * inside the scanned folder or one of `allowedRoots` (the interpreter's sys.path), so a link to
 * `/` or to an ancestor adds nothing.
 */
export async function scanWorkspace(
  fileSystem: ProjectFileSystem,
  root: string,
  allowedRoots: readonly string[] = [],
  maxEntries = MAX_SCANNED_ENTRIES,
): Promise<WorkspaceScan> {
  const managePyFiles: string[] = [];
  const migrationPackages: string[] = [];
  const realRoot = await realPath(root);
  const inside = await Promise.all([realRoot, ...allowedRoots.map(realPath)]);
  const visited = new Set<string>([realRoot]);
  const linked: [directory: string, real: string, depth: number][] = [];
  let entriesSeen = 0;
  let limitReached = false;
  const regularPackages = new Set<string>();

  const visit = async (directory: string, real: string, depth: number): Promise<void> => {
    if (limitReached) return;
    const entries = await fileSystem.readDirectory(directory);
    entriesSeen += entries.length;
    if (entriesSeen > maxEntries) {
      limitReached = true;
      return;
    }
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
    await Promise.all(
      subdirectories.map(async (name) => {
        const child = path.join(directory, name);
        const plain = path.join(real, name);
        const childReal = await realPath(child);
        // Links wait until every plain path is read, so a folder is found where it really is.
        if (childReal !== plain) linked.push([child, childReal, depth + 1]);
        else if (!visited.has(childReal)) {
          visited.add(childReal);
          await visit(child, childReal, depth + 1);
        }
      }),
    );
  };
  await visit(root, realRoot, 0);
  while (linked.length > 0 && !limitReached) {
    linked.sort(([a, , depthA], [b, , depthB]) => depthA - depthB || (a < b ? -1 : 1));
    const [directory, real, depth] = linked.shift()!;
    if (visited.has(real) || !inside.some((allowed) => isInside(real, allowed))) continue;
    visited.add(real);
    await visit(directory, real, depth);
  }
  managePyFiles.sort((a, b) => a.split(path.sep).length - b.split(path.sep).length || (a < b ? -1 : 1));
  return { managePyFiles, migrationPackages: appMigrationPackages(migrationPackages, regularPackages), limitReached };
}

/** Said once the scan stopped early, on the file that configures the first project. */
export function scanLimitProblem(file: string): Problem {
  return {
    code: 'project-configuration',
    severity: 'warning',
    message: `The workspace has more than ${MAX_SCANNED_ENTRIES} files and folders: the search for projects and migrations stopped there, and some may be missing.`,
    file,
    range: FILE_START,
  };
}

/** Said when the scan stopped early and found no project at all. */
export function scanLimitMessage(folder: string, maxEntries = MAX_SCANNED_ENTRIES): string {
  return `No Django project found in ${folder} within its first ${maxEntries} files and folders: the search stopped there (open the project's own folder).`;
}

/** The path with every link resolved; the path itself when it cannot be resolved. */
async function realPath(file: string): Promise<string> {
  return fs.realpath(file).catch(() => path.resolve(file));
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
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
