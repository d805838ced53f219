import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { encodedBody, lazyParsedMigration, MigrationHeader, migrationHeader } from './lazyParsedMigration';
import { CheckedMigrationFile } from './parsedMigrationFile';

/**
 * Bump when ParsedMigration's shape, what the parser reads or what a per-file check finds
 * changes: older caches are dropped.
 */
const CACHE_FORMAT = 7;

/** The SHA-1 of the rest of the file, first: a cache changed on disk (or cut short) is not read. */
const CHECKSUM_LENGTH = 20;

/** The longest a write of the cache holds the thread at a time: the server answers in between. */
const WRITE_SLICE_MS = 10;
/** Index entries to a line: each line is written, and parsed, in one go. */
const INDEX_SLICE = 500;
/** Bytes of the cache hashed at a time, when it is opened. */
const HASH_SLICE_BYTES = 4 << 20;

export interface FileContent {
  /** `contentHash` of the bytes the entry was parsed from. */
  readonly contentHash: string;
}

export type CacheEntry = Omit<CheckedMigrationFile, 'path' | 'text'> & FileContent;

/** What tells a file's bytes apart: a file edited within its clock's resolution has new bytes all the same. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64');
}

/** An entry as written: the body is stored apart, as a byte range of the bodies. */
interface StoredEntry extends Omit<CacheEntry, 'parsed'> {
  readonly header: MigrationHeader;
  readonly body: readonly [offset: number, length: number];
}

/** The file's last line: its format, and where the bodies end and the index begins. */
interface CacheTrailer {
  readonly format: number;
  readonly index: number;
}

/**
 * Parsed migrations and their per-file check results kept between runs, like Python's
 * `__pycache__`: an entry is used only while the file holds the very bytes it was parsed from.
 * It lives in the editor's storage folder (or a folder the CLI is given), never in the user's
 * project.
 *
 * The file is a SHA-1 of the rest, then each file's body (operations, imports...), then the index
 * (JSON objects, one line each: per file, what the graph reads, what the per-file checks found
 * and where its body is), then a last line with the format and where the index starts. Bodies
 * are decoded only when something reads them, so reopening a project parses the index alone. The
 * file is written in order and read a slice at a time, so that neither holds the server for long.
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
      entries = await decodeCache(await fs.readFile(file));
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
    // What is set while the write is under way is written next time.
    this.changed = false;
    const entries = [...this.entries];
    const temporary = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    let handle: fs.FileHandle | undefined;
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await removeAbandonedWrites(this.file);
      handle = await fs.open(temporary, 'wx');
      await writeCache(handle, entries);
      await handle.close();
      handle = undefined;
      await fs.rename(temporary, this.file);
    } catch {
      this.changed = true;
      await handle?.close().catch(() => undefined);
      await fs.rm(temporary, { force: true }).catch(() => undefined);
    }
  }
}

/**
 * Removes the temporary files of `file` whose writer stopped before renaming them (a process
 * killed, a machine turned off): each is as large as the cache.
 */
async function removeAbandonedWrites(file: string): Promise<void> {
  const directory = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  // What cannot be listed or removed (another user's) is left: the write goes on all the same.
  for (const name of await fs.readdir(directory).catch(() => [])) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const writer = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(writer) && writer !== process.pid && !isRunning(writer)) {
      await fs.rm(path.join(directory, name), { force: true }).catch(() => undefined);
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The entries of a cache file; empty when it is damaged or of another format. A slice of the
 * thread at a time: on 20,000 migrations the checksum and the index took 400 ms in one block.
 */
async function decodeCache(file: Buffer): Promise<Map<string, CacheEntry>> {
  // Bodies are decoded long after the cache was opened: one damaged there must never reach them.
  const bytes = file.subarray(CHECKSUM_LENGTH);
  const hash = createHash('sha1');
  for (let start = 0; start < bytes.length; start += HASH_SLICE_BYTES) {
    hash.update(bytes.subarray(start, start + HASH_SLICE_BYTES));
    await new Promise(setImmediate);
  }
  if (!hash.digest().equals(file.subarray(0, CHECKSUM_LENGTH))) return new Map();
  const end = bytes.length - 1;
  const last = bytes.lastIndexOf(0x0a, end - 1);
  if (end < 0 || bytes[end] !== 0x0a || last < 0) return new Map();
  const trailer = JSON.parse(bytes.toString('utf8', last + 1, end)) as CacheTrailer;
  if (trailer.format !== CACHE_FORMAT || !(trailer.index >= 0 && trailer.index <= last)) return new Map();
  const bodies = bytes.subarray(0, trailer.index);
  const entries = new Map<string, CacheEntry>();
  // The index is a line per slice of entries: each is parsed in a slice of its own.
  for (let line = trailer.index; line < last;) {
    const lineEnd = bytes.indexOf(0x0a, line);
    const index = JSON.parse(bytes.toString('utf8', line, lineEnd)) as Record<string, StoredEntry>;
    for (const file in index) {
      const { contentHash, fingerprint, invalidUtf8, app, problems, header, body } = index[file];
      const [offset, length] = body;
      if (offset + length > bodies.length) throw new Error('truncated parse cache');
      const parsed = lazyParsedMigration(header, () => bodies.toString('utf8', offset, offset + length));
      entries.set(file, { contentHash, fingerprint, invalidUtf8, app, problems, parsed });
    }
    line = lineEnd + 1;
    await new Promise(setImmediate);
  }
  return entries;
}

/**
 * Writes the cache in order, hashing as it goes, a slice of the thread at a time; then the
 * checksum in its place at the start.
 */
async function writeCache(handle: fs.FileHandle, entries: readonly (readonly [string, CacheEntry])[]): Promise<void> {
  const hash = createHash('sha1');
  let position = CHECKSUM_LENGTH;
  const append = async (texts: readonly string[]) => {
    const bytes = Buffer.from(texts.join(''));
    hash.update(bytes);
    await handle.write(bytes, 0, bytes.length, position);
    position += bytes.length;
  };
  const index: string[] = [];
  let bodies: string[] = [];
  let offset = 0;
  let sliceStart = performance.now();
  for (const [file, { parsed, ...entry }] of entries) {
    const body = encodedBody(parsed);
    const length = Buffer.byteLength(body);
    const stored: StoredEntry = { ...entry, header: migrationHeader(parsed), body: [offset, length] };
    index.push(`${JSON.stringify(file)}:${JSON.stringify(stored)}`);
    bodies.push(body);
    offset += length;
    if (performance.now() - sliceStart > WRITE_SLICE_MS) {
      await append(bodies);
      bodies = [];
      sliceStart = performance.now();
    }
  }
  await append(bodies);
  // JSON.stringify escapes every newline inside strings: each line of the index is one object,
  // and the last line is the trailer.
  for (let start = 0; start < index.length; start += INDEX_SLICE)
    await append([`{${index.slice(start, start + INDEX_SLICE).join(',')}}\n`]);
  const trailer: CacheTrailer = { format: CACHE_FORMAT, index: offset };
  await append([`${JSON.stringify(trailer)}\n`]);
  await handle.write(hash.digest(), 0, CHECKSUM_LENGTH, 0);
}
