import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sampleProject } from './paths';

import { djangoPython } from '../support/testDjango';

export { djangoPython };

/** The migrations the seeded database lacks: one conflicting leaf and the irreversible RunPython. */
export const SEEDED_UNAPPLIED = [
  ['catalog', '0003_book_isbn'],
  ['orders', '0003_fill_order_totals'],
] as const;

export interface SampleWorkspaceOptions {
  /** Workspace settings (`.vscode/settings.json`). */
  readonly settings?: Record<string, unknown>;
  /**
   * Runs the real `manage.py migrate` on a copy without the migrations in SEEDED_UNAPPLIED, so
   * db.sqlite3 holds everything else (Django refuses to migrate while catalog has two leaves).
   */
  readonly seedDatabase?: boolean;
}

/**
 * A throw-away copy of sample/ at `folder` (named like the project, `bookshop`, so the workbench
 * shows that name). Tests change copies, never sample/ itself.
 */
export function copySample(folder: string, options: SampleWorkspaceOptions = {}): string {
  cpSync(sampleProject, folder, { recursive: true, filter: (source) => !isGenerated(source) });
  if (options.settings) {
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(join(folder, '.vscode', 'settings.json'), `${JSON.stringify(options.settings, null, 2)}\n`);
  }
  if (options.seedDatabase) seedDatabase(folder);
  return folder;
}

function seedDatabase(folder: string): void {
  const aside = join(folder, '.aside');
  mkdirSync(aside);
  const moved = SEEDED_UNAPPLIED.map(([app, name]) => join(folder, app, 'migrations', `${name}.py`));
  moved.forEach((file, index) => renameSync(file, join(aside, `${index}.py`)));
  try {
    execFileSync(djangoPython, ['manage.py', 'migrate', '--noinput'], { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] });
  } finally {
    moved.forEach((file, index) => renameSync(join(aside, `${index}.py`), file));
    rmSync(aside, { recursive: true });
  }
  // Bytecode of the seeding run would hide Python started later (checks look for new bytecode).
  for (const cache of bytecodeFolders(folder)) rmSync(join(folder, cache), { recursive: true });
}

/** Files a run of the project leaves in sample/ (git-ignored there): never copied. */
function isGenerated(path: string): boolean {
  const name = relative(sampleProject, path).split('/').pop() ?? '';
  return name === 'db.sqlite3' || name === '__pycache__';
}

/** Every `__pycache__` folder under `folder`: Python imported the project's modules there. */
export function bytecodeFolders(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (name === '__pycache__') found.push(relative(folder, path));
    else if (statSync(path).isDirectory()) found.push(...bytecodeFolders(path).map((inner) => join(name, inner)));
  }
  return found;
}
