import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The files added since the branch left REF (`git merge-base REF HEAD`), committed or not, and
 * files git does not track yet: the migrations a branch adds. Throws with git's message when
 * REF is unknown or DIR is not in a work tree.
 */
export async function filesAddedSince(directory: string, ref: string): Promise<Set<string>> {
  const git = async (args: string[]) => (await run('git', args, { cwd: directory, maxBuffer: 64 * 1024 * 1024 })).stdout;
  const top = (await git(['rev-parse', '--show-toplevel'])).trim();
  // `--end-of-options` keeps a REF that starts with '-' from being read as an option.
  const base = (await git(['merge-base', '--end-of-options', ref, 'HEAD'])).trim();
  const added = await git(['diff', '--name-only', '-z', '--no-renames', '--diff-filter=A', '--end-of-options', base]);
  const untracked = await git(['ls-files', '-z', '--others', '--exclude-standard']);
  const files = new Set<string>();
  for (const name of added.split('\0')) if (name) files.add(path.join(top, name));
  for (const name of untracked.split('\0')) if (name) files.add(path.join(directory, name));
  return files;
}
