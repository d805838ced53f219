import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { LintSource, needsLintSource, readLintSource, readWithTree } from '../python/lintSourceReader';
import { readLintSourceFast } from '../python/fastMigrationReader';
import { PythonParser } from '../python/pythonParser';

/** Bump when what `readWithTree` (and so `readLintSourceFast`) reads changes: older caches are dropped. */
const CACHE_FORMAT = 1;

interface Entry {
  readonly textHash: string;
  readonly source: LintSource;
}

interface Stored {
  readonly format: number;
  readonly root: string;
  readonly entries: Map<string, Entry>;
}

const HASH_LENGTH = 20;

/**
 * What the lint rules read beside the Migration class (comments, function signatures), kept
 * between runs in the cache folder beside the parse cache: an entry holds while its file has the
 * very text it was read from. Written with `v8.serialize` behind a SHA-1 of the payload, so a
 * cache cut short, changed or written by another release reads as empty.
 */
export class LintSourceCache {
  private changed = false;
  private readonly used = new Set<string>();

  private constructor(
    private readonly file: string,
    private readonly root: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  /** The cache of one project root in `directory`; empty when missing, unreadable or outdated. */
  static open(directory: string, projectRoot: string): LintSourceCache {
    const name = `lint-sources-${createHash('sha1').update(projectRoot).digest('hex').slice(0, 16)}.cache`;
    const file = path.join(directory, name);
    let entries = new Map<string, Entry>();
    try {
      entries = decode(readFileSync(file), projectRoot);
    } catch {
      // No cache yet, or one we cannot read: read every file with a tree.
    }
    return new LintSourceCache(file, projectRoot, entries);
  }

  /**
   * `readLintSource` of the file's text, from the cache while the text is the same; `known` is a
   * reading of this very text made already (the load's), kept instead of reading it again.
   */
  read(parser: PythonParser, file: string, text: string, known?: LintSource): LintSource {
    if (!needsLintSource(text)) return readLintSource(parser, text);
    const textHash = createHash('sha1').update(text).digest('base64');
    const entry = this.entries.get(file);
    this.used.add(file);
    if (entry?.textHash === textHash) return entry.source;
    let source: LintSource;
    try {
      source = known ?? readLintSourceFast(text) ?? readWithTree(parser, text);
    } catch {
      // A parse out of time (or failed) is not an answer to keep.
      this.entries.delete(file);
      return readLintSource(parser, text);
    }
    this.entries.set(file, { textHash, source });
    this.changed = true;
    return source;
  }

  /** Writes the entries of the files read this run when any changed; atomically, with a temporary file of its own. */
  async save(): Promise<void> {
    for (const file of this.entries.keys()) {
      if (!this.used.has(file)) {
        this.entries.delete(file);
        this.changed = true;
      }
    }
    if (!this.changed) return;
    const temporary = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const stored: Stored = { format: CACHE_FORMAT, root: this.root, entries: this.entries };
      const payload = serialize(stored);
      await fs.writeFile(temporary, Buffer.concat([createHash('sha1').update(payload).digest(), payload]));
      await fs.rename(temporary, this.file);
      this.changed = false;
    } catch {
      await fs.rm(temporary, { force: true }).catch(() => undefined);
    }
  }
}

function decode(bytes: Buffer, projectRoot: string): Map<string, Entry> {
  const payload = bytes.subarray(HASH_LENGTH);
  if (!createHash('sha1').update(payload).digest().equals(bytes.subarray(0, HASH_LENGTH))) return new Map();
  const stored = deserialize(payload) as Partial<Stored> | null;
  if (stored?.format !== CACHE_FORMAT || stored.root !== projectRoot || !(stored.entries instanceof Map)) return new Map();
  return stored.entries;
}
