import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import * as path from 'node:path';

/** How long HEAD and the upstream branch are trusted before git is asked again. */
const REFERENCE_TTL_MS = 2000;
const GIT_TIMEOUT_MS = 10_000;

/** The commit the current branch shares with its upstream branch. */
export interface UpstreamBase {
  /** The upstream branch's short name, such as `origin/main`. */
  readonly upstream: string;
  readonly commit: string;
}

/**
 * A git work tree, read through the `git` command and never written: no index refresh, no
 * locks, no prompts. Every question has an answer or undefined; git failing is not an error.
 */
export class GitRepository {
  private head: { value: Promise<string | undefined>; at: number } | undefined;
  private upstream: { value: Promise<UpstreamBase | undefined>; at: number } | undefined;
  private readonly trees = new Map<string, Promise<Map<string, string>>>();

  private constructor(readonly root: string) {}

  /** The work tree that holds `directory`, or undefined (not a repository, or no git). */
  static async find(directory: string): Promise<GitRepository | undefined> {
    const root = await git(directory, ['rev-parse', '--show-toplevel']);
    return root ? new GitRepository(root.trim()) : undefined;
  }

  /** The commit HEAD points at; undefined before the first commit. */
  headCommit(): Promise<string | undefined> {
    if (!this.head || Date.now() - this.head.at > REFERENCE_TTL_MS) {
      this.head = { value: git(this.root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).then(firstLine), at: Date.now() };
    }
    return this.head.value;
  }

  /** `git merge-base HEAD @{upstream}`; undefined when the branch has no upstream. */
  upstreamBase(): Promise<UpstreamBase | undefined> {
    if (!this.upstream || Date.now() - this.upstream.at > REFERENCE_TTL_MS) {
      this.upstream = {
        value: (async () => {
          const upstream = firstLine(await git(this.root, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']));
          if (!upstream) return undefined;
          const commit = firstLine(await git(this.root, ['merge-base', 'HEAD', '@{upstream}']));
          return commit ? { upstream, commit } : undefined;
        })(),
        at: Date.now(),
      };
    }
    return this.upstream.value;
  }

  /**
   * The blob ids of the files below `directory` in `commit`, by absolute path (as seen through
   * this work tree's real path). Cached per commit and folder: commits never change.
   */
  async blobIds(commit: string, directory: string): Promise<ReadonlyMap<string, string>> {
    const relative = this.relative(directory);
    if (relative === undefined) return new Map();
    const cacheKey = `${commit}\u0000${relative}`;
    let tree = this.trees.get(cacheKey);
    if (!tree) {
      tree = git(this.root, ['ls-tree', '-r', '-z', commit, '--', relative || '.']).then((output) => {
        const blobs = new Map<string, string>();
        for (const entry of (output ?? '').split('\0')) {
          // `<mode> blob <id>\t<path>`
          const tab = entry.indexOf('\t');
          const [, type, id] = entry.slice(0, tab).split(' ');
          if (tab > 0 && type === 'blob') blobs.set(path.join(this.root, entry.slice(tab + 1)), id);
        }
        return blobs;
      });
      this.trees.set(cacheKey, tree);
    }
    return tree;
  }

  /** The blob id of `file` in `commit`, or undefined when the commit does not have it. */
  async blobId(commit: string, file: string): Promise<string | undefined> {
    const real = this.realPath(file);
    return real === undefined ? undefined : (await this.blobIds(commit, path.dirname(file))).get(real);
  }

  /** `file` as a path inside this work tree (symbolic links resolved), or undefined when outside. */
  realPath(file: string): string | undefined {
    const relative = this.relative(file);
    return relative === undefined ? undefined : path.join(this.root, relative);
  }

  private relative(file: string): string | undefined {
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      real = path.resolve(file);
    }
    const relative = path.relative(this.root, real);
    return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join('/');
  }
}

/**
 * Git's object id of a file with this content (`git hash-object`): comparable with the ids
 * `ls-tree` lists, so a file is compared with a commit's version without reading that version.
 */
export function gitBlobId(content: string | Uint8Array): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * The ids this text may have in git: as it is, and with CRLF line ends made LF (what
 * `core.autocrlf` stores for a file checked out with CRLF).
 */
export function textBlobIds(text: string): string[] {
  const ids = [gitBlobId(text)];
  if (text.includes('\r\n')) ids.push(gitBlobId(text.replace(/\r\n/g, '\n')));
  return ids;
}

/** Runs git read-only; resolves with its stdout, or undefined when it fails or is not installed. */
function git(cwd: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['--no-optional-locks', ...args],
      {
        cwd,
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
      },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
}

function firstLine(output: string | undefined): string | undefined {
  const line = output?.split('\n', 1)[0].trim();
  return line || undefined;
}
