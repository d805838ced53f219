import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { encodedBody, lazyParsedMigration, MigrationHeader, migrationHeader } from './lazyParsedMigration';
import { CheckedMigrationFile } from './parsedMigrationFile';

/**
 * Bump when ParsedMigration's shape, what the parser reads or what a per-file check finds
 * changes: older caches are dropped.
 */
const CACHE_FORMAT = 6;

/** The SHA-1 of the rest of the file, first: a cache changed on disk (or cut short) is not read. */
const CHECKSUM_LENGTH = 20;

export interface FileContent {
  /** `contentHash` of the bytes the entry was parsed from. */
  readonly contentHash: string;
}

export type CacheEntry = Omit<CheckedMigrationFile, 'path' | 'text'> & FileContent;

/** What tells a file's bytes apart: a file edited within its clock's resolution has new bytes all the same. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64');
}

/** An entry as written: the body is stored apart, as a byte range after the index line. */
interface StoredEntry extends Omit<CacheEntry, 'parsed'> {
  readonly header: MigrationHeader;
  readonly body: readonly [offset: number, length: number];
}

interface CacheIndex {
  readonly format: number;
  readonly entries: Record<string, StoredEntry>;
}

/**
 * Parsed migrations and their per-file check results kept between runs, like Python's
 * `__pycache__`: an entry is used only while the file holds the very bytes it was parsed from. It lives in the editor's storage folder (or a folder the CLI is given), never
 * in the user's project.
 *
 * The file is a SHA-1 of the rest, then one JSON line (the index: per file, what the graph
 * reads and what the per-file checks found) followed by each file's body (operations, imports...). Bodies are decoded only
 * when something reads them, so reopening a project costs one small JSON parse.
 */
export class ParseCache {
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, CacheEntry>,
  ) {}

  /** The cache of one project root in `directory`; empty when missing, unreadable or outdated. */
  static async open(directory: string, projectRoot: string): Promise<ParseCache> {
    const name = `parsed-migrations-${createHash('sha1').update(projectRoot).digest('hex').slice(0, 16)}.cache`;
    const file = path.join(directory, name);
    let entries = new Map<string, CacheEntry>();
    try {
      entries = decodeCache(await fs.readFile(file));
    } catch {
      // No cache yet, or one we cannot read: parse everything.
    }
    return new ParseCache(file, entries);
  }

  get(file: string, content: FileContent): CacheEntry | undefined {
    const entry = this.entries.get(file);
    return entry && entry.contentHash === content.contentHash ? entry : undefined;
  }

  set(file: string, entry: CacheEntry): void {
    this.entries.set(file, entry);
    this.changed = true;
  }

  /** Keeps only the files still in the project. */
  retain(files: ReadonlySet<string>): void {
    for (const file of this.entries.keys()) {
      if (!files.has(file)) {
        this.entries.delete(file);
        this.changed = true;
      }
    }
  }

  /**
   * Writes the cache when it changed; atomically, so a reader never sees half a file. Each writer
   * (the CLI, the server, two projects of one process) has its own temporary file: the last
   * rename wins whole.
   */
  async save(): Promise<void> {
    if (!this.changed) return;
    const temporary = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.writeFile(temporary, encodeCache(this.entries));
      await fs.rename(temporary, this.file);
      this.changed = false;
    } catch {
      await fs.rm(temporary, { force: true }).catch(() => undefined);
    }
  }
}

function decodeCache(file: Buffer): Map<string, CacheEntry> {
  // Bodies are decoded long after the cache was opened: one damaged there must never reach them.
  const bytes = file.subarray(CHECKSUM_LENGTH);
  if (!createHash('sha1').update(bytes).digest().equals(file.subarray(0, CHECKSUM_LENGTH))) return new Map();
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return new Map();
  const index = JSON.parse(bytes.toString('utf8', 0, newline)) as CacheIndex;
  if (index.format !== CACHE_FORMAT) return new Map();
  const bodies = bytes.subarray(newline + 1);
  const entries = new Map<string, CacheEntry>();
  for (const file in index.entries) {
    const { contentHash, fingerprint, invalidUtf8, app, problems, header, body } = index.entries[file];
    const [offset, length] = body;
    if (offset + length > bodies.length) throw new Error('truncated parse cache');
    const parsed = lazyParsedMigration(header, () => bodies.toString('utf8', offset, offset + length));
    entries.set(file, { contentHash, fingerprint, invalidUtf8, app, problems, parsed });
  }
  return entries;
}

function encodeCache(entries: ReadonlyMap<string, CacheEntry>): Buffer {
  const stored: Record<string, StoredEntry> = {};
  const bodies: string[] = [];
  let offset = 0;
  for (const [file, { parsed, ...entry }] of entries) {
    const body = encodedBody(parsed);
    const length = Buffer.byteLength(body);
    stored[file] = { ...entry, header: migrationHeader(parsed), body: [offset, length] };
    bodies.push(body);
    offset += length;
  }
  // JSON.stringify escapes every newline inside strings: the first newline ends the index.
  const index: CacheIndex = { format: CACHE_FORMAT, entries: stored };
  // One text encoded once: thousands of small buffers joined cost several times more.
  const text = `${JSON.stringify(index)}\n${bodies.join('')}`;
  const file = Buffer.allocUnsafe(CHECKSUM_LENGTH + Buffer.byteLength(text));
  file.write(text, CHECKSUM_LENGTH);
  createHash('sha1').update(file.subarray(CHECKSUM_LENGTH)).digest().copy(file);
  return file;
}
