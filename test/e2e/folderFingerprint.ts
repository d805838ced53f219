import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A digest of a folder's files (paths and contents), skipping what running the project leaves
 * behind (`db.sqlite3`, `__pycache__`, git-ignored in sample/). Equal digests: nothing changed.
 */
export function folderFingerprint(folder: string): string {
  const hash = createHash('sha256');
  const visit = (relative: string): void => {
    for (const entry of readdirSync(join(folder, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'db.sqlite3' || entry.name === '__pycache__') continue;
      const path = join(relative, entry.name);
      if (entry.isDirectory()) visit(path);
      else
        hash
          .update(`${path}\0`)
          .update(readFileSync(join(folder, path)))
          .update('\0');
    }
  };
  visit('');
  return hash.digest('hex');
}
