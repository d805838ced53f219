import * as path from 'node:path';

/**
 * Whether a file is the project's own, one a refactoring may change: under the project folder
 * and not inside an installed package (a virtual environment in the folder).
 */
export function projectFileCheck(root: string): (file: string) => boolean {
  const base = path.resolve(root);
  return (file) => {
    const relative = path.relative(base, path.resolve(file));
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
    return !relative.split(path.sep).some((part) => part === 'site-packages' || part === 'dist-packages');
  };
}
