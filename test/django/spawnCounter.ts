import childProcess = require('node:child_process');

const STARTERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

/**
 * Counts every child process started through node:child_process until `restore` is called.
 * The real functions still run: this observes, it does not replace.
 */
export function countSpawns(): { readonly count: () => number; readonly restore: () => void } {
  let count = 0;
  const module = childProcess as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = STARTERS.map((name) => [name, module[name]] as const);
  for (const [name, original] of originals) {
    module[name] = (...args: unknown[]) => {
      count++;
      return original(...args);
    };
  }
  return {
    count: () => count,
    restore: () => {
      for (const [name, original] of originals) module[name] = original;
    },
  };
}
