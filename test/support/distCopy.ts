import { cpSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot, temporaryFolder } from './projectFolder';

/** A copy of the built dist/ (without code caches or source maps), for a bundle whose folder the test owns. */
export function distCopy(): string {
  const dist = path.join(temporaryFolder('dist-copy'), 'dist');
  cpSync(path.join(repositoryRoot, 'dist'), dist, {
    recursive: true,
    filter: (source) => !/\.(v8cache|map|vsix)$/.test(source),
  });
  return dist;
}

/** What the folder holds besides the bundles' own files: a half-written code cache would show here. */
export function strayFiles(dist: string): string[] {
  return readdirSync(dist).filter((name) => name.endsWith('.tmp'));
}
