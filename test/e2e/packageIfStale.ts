import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, vsixPath } from './paths';

/** Packs dist/ into the VSIX (scripts/package.sh --no-bundle) unless the VSIX is newer than all it holds. */
export function packageIfStale(): void {
  const dist = join(repoRoot, 'dist');
  if (!existsSync(join(dist, 'client.js'))) throw new Error('dist/client.js is missing: run `npm run build` first');
  const inputs = [
    join(repoRoot, 'package.json'),
    join(repoRoot, 'README.md'),
    join(repoRoot, '.vscodeignore'),
    ...readdirSync(dist)
      .filter((name) => /\.(js|wasm|py)$/.test(name))
      .map((name) => join(dist, name)),
    ...filesOf(join(repoRoot, 'docs', 'images')),
  ];
  const packed = existsSync(vsixPath) ? statSync(vsixPath).mtimeMs : 0;
  if (inputs.some((file) => existsSync(file) && statSync(file).mtimeMs > packed)) {
    // vsce lists every file it packs; its output shows only in the error when packing fails.
    execFileSync('bash', [join(repoRoot, 'scripts', 'package.sh'), '--no-bundle'], { stdio: ['ignore', 'ignore', 'pipe'] });
    console.log(`packed ${vsixPath}`);
  }
}

function filesOf(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).map((name) => join(folder, name)) : [];
}
