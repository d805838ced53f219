import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root, found from this file whether it runs from test/ or from out/test/. */
export const repositoryRoot = findRepositoryRoot(__dirname);

export const fixturesDirectory = path.join(repositoryRoot, 'test', 'fixtures');

function findRepositoryRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'test', 'fixtures'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${start}`);
  }
}
