import * as path from 'node:path';
import { DjangoProject } from '../project/djangoProject';

/**
 * What a changed file means for a running Django helper: `reload` forgets imported migration
 * modules (cheap); `restart` starts a new process, because Django has no way to unload models,
 * settings or the environment it was started with.
 */
export type HelperInvalidation = 'reload' | 'restart';

const RESTART_FILES = new Set(['models.py', 'apps.py', 'manage.py', '.env']);

export function helperInvalidation(file: string, project: DjangoProject): HelperInvalidation | undefined {
  const relative = path.relative(project.root, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep);
  const base = parts[parts.length - 1];
  if (RESTART_FILES.has(base) || file === project.settingsFile) return 'restart';
  if (!base.endsWith('.py')) return undefined;
  const folders = parts.slice(0, -1);
  if (project.apps.some((app) => app.migrationsDirectory && isInside(file, app.migrationsDirectory))) return 'reload';
  if (folders.includes('migrations')) return 'reload';
  // A models package (`models/__init__.py`, `models/order.py`) or a settings package.
  if (folders.includes('models') || folders.includes('settings') || base === 'settings.py') return 'restart';
  return undefined;
}

function isInside(file: string, directory: string): boolean {
  const relative = path.relative(directory, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
