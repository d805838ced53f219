import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ParsedMigration } from '../core/migration';
import { parseMigration } from '../python/migrationParser';
import { PythonParser } from '../python/pythonParser';
import { decodeSource } from './sourceText';

/** A migration file read and parsed. */
export interface ParsedMigrationFile {
  readonly path: string;
  /** Tells whether later text is the same without keeping every file's text in memory. */
  readonly fingerprint: string;
  readonly invalidUtf8: boolean;
  readonly parsed: ParsedMigration;
}

export function parseMigrationBytes(file: string, bytes: Uint8Array | undefined, parser: PythonParser): ParsedMigrationFile {
  const { text, invalidUtf8 } = decodeSource(bytes ?? new Uint8Array());
  return { path: file, fingerprint: sourceFingerprint(text), invalidUtf8, parsed: parseMigration(parser, text) };
}

/** Reads synchronously: in a batch of thousands, one thread reading in turn beats a queue of async reads. */
export function readAndParseMigration(file: string, parser: PythonParser): ParsedMigrationFile {
  let bytes: Uint8Array | undefined;
  try {
    bytes = readFileSync(file);
  } catch {
    bytes = undefined;
  }
  return parseMigrationBytes(file, bytes, parser);
}

export function sourceFingerprint(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
