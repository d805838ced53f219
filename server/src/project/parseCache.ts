import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ParsedMigration } from '../core/migration';

/** Bump when ParsedMigration's shape or what the parser reads changes: older caches are dropped. */
const CACHE_FORMAT = 2;

interface CacheEntry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly fingerprint: string;
  readonly invalidUtf8: boolean;
  readonly parsed: ParsedMigration;
}

interface CacheFile {
  readonly format: number;
  readonly entries: Record<string, CacheEntry>;
}

/**
 * Parsed migrations kept between runs, like Python's `__pycache__`: an entry is used only while
 * the file's size and modification time are the ones it was parsed at. It lives in the editor's
 * storage folder (or a folder the CLI is given), never in the user's project.
 */
export class ParseCache {
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, CacheEntry>,
  ) {}

  /** The cache of one project root in `directory`; empty when missing, unreadable or outdated. */
  static async open(directory: string, projectRoot: string): Promise<ParseCache> {
    const name = `parsed-migrations-${createHash('sha1').update(projectRoot).digest('hex').slice(0, 16)}.json`;
    const file = path.join(directory, name);
    let entries = new Map<string, CacheEntry>();
    try {
      const content = JSON.parse(await fs.readFile(file, 'utf8')) as CacheFile;
      if (content.format === CACHE_FORMAT) entries = new Map(Object.entries(content.entries));
    } catch {
      // No cache yet, or one we cannot read: parse everything.
    }
    return new ParseCache(file, entries);
  }

  get(file: string, size: number, mtimeMs: number): CacheEntry | undefined {
    const entry = this.entries.get(file);
    return entry && entry.size === size && entry.mtimeMs === mtimeMs ? entry : undefined;
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

  /** Writes the cache when it changed; atomically, so a reader never sees half a file. */
  async save(): Promise<void> {
    if (!this.changed) return;
    const content: CacheFile = { format: CACHE_FORMAT, entries: Object.fromEntries(this.entries) };
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.writeFile(temporary, JSON.stringify(content));
      await fs.rename(temporary, this.file);
      this.changed = false;
    } catch {
      await fs.rm(temporary, { force: true }).catch(() => undefined);
    }
  }
}
