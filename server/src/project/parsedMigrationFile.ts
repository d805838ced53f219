import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runMigrationChecks } from '../core/checks/index';
import { ParsedMigration } from '../core/migration';
import { Problem } from '../core/problem';
import { parseMigration } from '../python/migrationParser';
import { PythonParser } from '../python/pythonParser';
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
}

export function checkMigrationBytes(module: AppMigrationModule, bytes: Uint8Array | undefined, parser: PythonParser): CheckedMigrationFile {
  const { text, invalidUtf8 } = decodeSource(bytes ?? new Uint8Array());
  const parsed = parseMigration(parser, text);
  const problems = runMigrationChecks({ appLabel: module.app, name: module.name, path: module.path, parsed });
  return { path: module.path, fingerprint: sourceFingerprint(text), invalidUtf8, parsed, app: module.app, problems };
}

/** Reads synchronously: in a batch of thousands, one thread reading in turn beats a queue of async reads. */
export function readAndCheckMigration(module: AppMigrationModule, parser: PythonParser): CheckedMigrationFile {
  let bytes: Uint8Array | undefined;
  try {
    bytes = readFileSync(module.path);
  } catch {
    bytes = undefined;
  }
  return checkMigrationBytes(module, bytes, parser);
}

export function sourceFingerprint(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
