import { createHash } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  Dirent,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  Stats,
  statSync,
} from 'node:fs';
import * as path from 'node:path';

/**
 * One thing a `check` read, as a kind, a name (a path, or an environment variable) and what it
 * found: a file's bytes, a folder's listing, a `stat`, an existence test, a real path or a
 * variable's value, each reduced to a fingerprint. The answer of a run stays good while every
 * input it read gives the same fingerprint again.
 */
export type AnswerInput = readonly [kind: InputKind, name: string, fingerprint: string];

export type InputKind = 'file' | 'names' | 'entries' | 'stat' | 'exists' | 'realpath' | 'access' | 'env' | 'environment';

/** What read nothing (a missing file, an unset variable, a failed call) is told apart from any value. */
export const ABSENT = '-';

export function digest(data: string | Uint8Array): string {
  return createHash('sha1').update(data).digest('base64');
}

/** A file's bytes: its content, never its size and time (an edit within the clock's resolution keeps both). */
export function bytesFingerprint(bytes: Uint8Array): string {
  return digest(bytes);
}

/** A listing by names only (`readdir` without file types), in the order given. */
export function namesFingerprint(names: readonly (string | Buffer)[]): string {
  return digest(names.map(String).join('\0'));
}

/** A listing with each entry's type (`readdir` with `withFileTypes`): a file turned folder is a new listing. */
export function entriesFingerprint(entries: readonly Dirent[]): string {
  return digest(entries.map((entry) => `${entryType(entry)}${entry.name}`).join('\0'));
}

function entryType(entry: Dirent | Stats): string {
  if (entry.isFile()) return 'f';
  if (entry.isDirectory()) return 'd';
  if (entry.isSymbolicLink()) return 'l';
  return 'o';
}

/** What a reader of `stat` may go by: the type, and a file's size. */
export function statFingerprint(stats: Stats): string {
  return stats.isFile() ? `f${stats.size}` : entryType(stats);
}

/**
 * A variable's value, salted by the answer it belongs to: the cache folder holds no plain hash of a
 * password given in the environment (a database URL).
 */
export function environmentFingerprint(value: string | undefined, salt: string): string {
  return value === undefined ? ABSENT : digest(`${salt}\0${value}`);
}

/** The whole environment, for a run that listed it (to hand it on, with a project's `.env`). */
export function wholeEnvironmentFingerprint(environment: NodeJS.ProcessEnv, salt: string): string {
  const names = Object.keys(environment).sort();
  return digest(`${salt}\0${names.map((name) => `${name}=${environment[name]}`).join('\0')}`);
}

/** The fingerprint `input` would have now. */
export function currentFingerprint([kind, name]: AnswerInput, salt: string): string {
  try {
    switch (kind) {
      case 'file':
        return bytesFingerprint(readFileSync(name));
      case 'names':
        return namesFingerprint(readdirSync(name));
      case 'entries':
        return entriesFingerprint(readdirSync(name, { withFileTypes: true }));
      case 'stat':
        return statFingerprint(statSync(name));
      case 'exists':
        return String(existsSync(name));
      case 'realpath':
        // The system's realpath: one call, where Node's walks each component (a differing
        // spelling only costs the kept answer).
        return realpathSync.native(name);
      case 'access':
        accessSync(name);
        return 'true';
      case 'env':
        return environmentFingerprint(process.env[name], salt);
      case 'environment':
        return wholeEnvironmentFingerprint(process.env, salt);
    }
  } catch {
    return ABSENT;
  }
}

/** Whether every input still reads as it did. */
export function inputsUnchanged(inputs: readonly AnswerInput[], salt: string): boolean {
  return inputs.every((input) => currentFingerprint(input, salt) === input[2]);
}

/**
 * The files a run read whole, by folder: each name with its size, and one digest of all their
 * bytes in that order. Thousands of small files are checked again with one hash and three
 * system calls each (no `stat`: a file of another size reads short or long).
 */
export interface FileContents {
  readonly folders: readonly (readonly [folder: string, namesAndSizes: readonly (string | number)[]])[];
  readonly digest: string;
}

/** The contents of `files` (each path with the bytes the run read), in the order given. */
export function fileContents(files: Iterable<readonly [file: string, bytes: Uint8Array]>): FileContents {
  const hash = createHash('sha1');
  const folders: [string, (string | number)[]][] = [];
  for (const [file, bytes] of files) {
    const folder = path.dirname(file);
    if (folders.at(-1)?.[0] !== folder) folders.push([folder, []]);
    folders.at(-1)![1].push(path.basename(file), bytes.length);
    hash.update(bytes);
  }
  return { folders, digest: hash.digest('base64') };
}

/** Whether every file holds the bytes it held, read again in the same order. */
export function fileContentsUnchanged({ folders, digest }: FileContents): boolean {
  let total = 0;
  for (const [, namesAndSizes] of folders)
    for (let index = 1; index < namesAndSizes.length; index += 2) total += namesAndSizes[index] as number;
  // Every file end to end in one buffer, hashed once: one byte of room for the last to read long.
  const bytes = Buffer.allocUnsafe(total + 1);
  const flags = constants.O_RDONLY | constants.O_NONBLOCK;
  let offset = 0;
  for (const [folder, namesAndSizes] of folders) {
    const prefix = folder + path.sep;
    for (let index = 0; index < namesAndSizes.length; index += 2) {
      const size = namesAndSizes[index + 1] as number;
      let fd: number;
      try {
        // Non-blocking: a file turned into a pipe fails here instead of waiting for a writer.
        fd = openSync(prefix + (namesAndSizes[index] as string), flags);
      } catch {
        return false;
      }
      try {
        // One byte more than the file had (the next file's first, overwritten next): a longer
        // file reads long, a shorter one short.
        if (readSync(fd, bytes, offset, size + 1, 0) !== size) return false;
      } catch {
        return false;
      } finally {
        closeSync(fd);
      }
      offset += size;
    }
  }
  return createHash('sha1').update(bytes.subarray(0, total)).digest('base64') === digest;
}
