import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runMigrationChecks } from '../core/checks/index';
import { ParsedMigration } from '../core/migration';
import { Problem } from '../core/problem';
import { readMigrationWithLintSourceFast } from '../python/fastMigrationReader';
import { LintSource, needsLintSource } from '../python/lintSourceReader';
import { parseMigration } from '../python/migrationParser';
import { ParseTimeLimitError, PythonParser } from '../python/pythonParser';
import { FILE_START } from '../core/sourceRange';
import { decodeSource } from './sourceText';

/** A migration module of an app: what is needed to read, parse and check it. */
export interface AppMigrationModule {
  readonly path: string;
  /** Module name as Django's loader keys it: the file name without `.py`. */
  readonly name: string;
  /** The app's label. */
  readonly app: string;
}

/** A migration file read, parsed, and checked on its own. */
export interface CheckedMigrationFile {
  readonly path: string;
  /** Tells whether later text is the same without keeping every file's text in memory. */
  readonly fingerprint: string;
  readonly invalidUtf8: boolean;
  readonly parsed: ParsedMigration;
  /** The app label the per-file checks ran under: their messages name it. */
  readonly app: string;
  /** What the per-file checks found. */
  readonly problems: readonly Problem[];
  /** The decoded text, when this thread read it: the lint rules read it again without a second read. */
  readonly text?: string;
  /** What the lint rules read besides the class, when the fast reader read it with the rest. */
  readonly lintSource?: LintSource;
}

/** `readError`: why the bytes could not be read (Node's error code), when they could not. */
export function checkMigrationBytes(
  module: AppMigrationModule,
  bytes: Uint8Array | undefined,
  parser: PythonParser,
  readError?: string,
): CheckedMigrationFile {
  if (!bytes) return unreadableMigration(module, parser, readError);
  const source = decodeSource(bytes);
  const { text, invalidUtf8 } = source;
  let parsed: ParsedMigration;
  try {
    parsed = parseMigration(parser, text, source);
  } catch (error) {
    if (!(error instanceof ParseTimeLimitError)) throw error;
    return overTimeLimit(module, text, invalidUtf8, error, parser);
  }
  return checkedMigration(module, text, invalidUtf8, parsed);
}

function checkedMigration(
  module: AppMigrationModule,
  text: string,
  invalidUtf8: boolean,
  parsed: ParsedMigration,
  lintSource?: LintSource,
): CheckedMigrationFile {
  const problems = runMigrationChecks({ appLabel: module.app, name: module.name, path: module.path, parsed });
  const checked = { path: module.path, fingerprint: sourceFingerprint(text), invalidUtf8, parsed, app: module.app, problems, text };
  return lintSource ? { ...checked, lintSource } : checked;
}

/**
 * Reads and checks a migration that the fast reader can read (see readMigrationFast), with no
 * syntax tree; undefined for every other file, which then needs the parser. `known`: its bytes,
 * when they were read already.
 */
export function readAndCheckMigrationFast(module: AppMigrationModule, known?: Uint8Array): CheckedMigrationFile | undefined {
  let bytes: Uint8Array;
  try {
    bytes = known ?? readFileSync(module.path);
  } catch {
    return undefined;
  }
  const source = decodeSource(bytes);
  const read = readMigrationWithLintSourceFast(source.text, source, needsLintSource(source.text));
  return read && checkedMigration(module, source.text, source.invalidUtf8, read.parsed, read.lintSource);
}

/** Reads synchronously: in a batch of thousands, one thread reading in turn beats a queue of async reads. */
export function readAndCheckMigration(module: AppMigrationModule, parser: PythonParser): CheckedMigrationFile {
  let bytes: Uint8Array | undefined;
  try {
    bytes = readFileSync(module.path);
  } catch (error) {
    return checkMigrationBytes(module, undefined, parser, (error as NodeJS.ErrnoException).code);
  }
  return checkMigrationBytes(module, bytes, parser);
}

/** A file too slow to parse is reported and left out: the rest of the project goes on. */
function overTimeLimit(
  module: AppMigrationModule,
  text: string,
  invalidUtf8: boolean,
  error: ParseTimeLimitError,
  parser: PythonParser,
): CheckedMigrationFile {
  const problem: Problem = {
    code: 'parse-time-limit',
    severity: 'warning',
    message: `${error.message}: this file was not analysed.`,
    file: module.path,
    range: FILE_START,
  };
  return {
    path: module.path,
    fingerprint: sourceFingerprint(text),
    invalidUtf8,
    parsed: parseMigration(parser, ''),
    app: module.app,
    problems: [problem],
  };
}

/** Python's own words for what Django's loader meets when it imports an unreadable module. */
const READ_ERRORS: Readonly<Record<string, string>> = {
  EACCES: 'PermissionError: [Errno 13] Permission denied',
  EPERM: 'PermissionError: [Errno 1] Operation not permitted',
  EISDIR: 'IsADirectoryError: [Errno 21] Is a directory',
  ENOENT: 'FileNotFoundError: [Errno 2] No such file or directory',
};

/** A migration whose file cannot be read: named as such, never as "no Migration class". */
function unreadableMigration(module: AppMigrationModule, parser: PythonParser, readError: string | undefined): CheckedMigrationFile {
  const parsed = parseMigration(parser, '');
  const reason = (readError && READ_ERRORS[readError]) ?? `OSError${readError ? ` (${readError})` : ''}`;
  const problems: Problem[] = [
    {
      code: 'unimportable-migration',
      severity: 'error',
      message: `${reason}: Django cannot import migration ${module.name} of app ${module.app}, and neither can this extension read it.`,
      file: module.path,
      range: FILE_START,
    },
  ];
  return { path: module.path, fingerprint: '', invalidUtf8: false, parsed, app: module.app, problems };
}

export function sourceFingerprint(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
