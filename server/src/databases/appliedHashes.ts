import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MigrationKey } from '../core/migration';

/** The file in the extension's storage folder. */
export const APPLIED_HASHES_FILE = 'applied-migration-hashes.json';
const WRITE_DELAY_MS = 500;

interface StoredHashes {
  readonly version: 1;
  /** Database key to migration key to the git blob id of the file when first seen applied. */
  readonly databases: Record<string, Record<MigrationKey, string>>;
  /** A migration (project root, `|`, key) to the blob ids of texts left by quick fixes that do not change what it applies. */
  readonly accepted?: Record<string, string[]>;
}

/** Accepted texts kept per migration: the latest few quick fixes. */
const ACCEPTED_PER_MIGRATION = 16;

/**
 * What each applied migration's file held when it was first seen applied, per database, so an
 * edit made after applying it can be told apart. Kept in the extension's storage folder (never
 * in the user's project); without one, for this session only. Writes are batched.
 */
export class AppliedHashes {
  private writeTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string | undefined,
    private readonly databases: Map<string, Map<MigrationKey, string>>,
    private readonly acceptedTexts: Map<string, string[]>,
  ) {}

  /** Reads the store of `storagePath`; an unreadable or malformed one starts empty. */
  static async open(storagePath: string | undefined): Promise<AppliedHashes> {
    const file = storagePath ? path.join(storagePath, APPLIED_HASHES_FILE) : undefined;
    const databases = new Map<string, Map<MigrationKey, string>>();
    const accepted = new Map<string, string[]>();
    if (file) {
      try {
        const stored = JSON.parse(await fs.readFile(file, 'utf8')) as StoredHashes;
        if (stored.version === 1 && stored.databases && typeof stored.databases === 'object') {
          for (const [database, hashes] of Object.entries(stored.databases)) {
            databases.set(database, new Map(Object.entries(hashes).filter(([, hash]) => typeof hash === 'string')));
          }
          for (const [migration, ids] of Object.entries(stored.accepted ?? {})) {
            if (Array.isArray(ids))
              accepted.set(
                migration,
                ids.filter((id) => typeof id === 'string'),
              );
          }
        }
      } catch {
        // First run, or a file from elsewhere: start afresh.
      }
    }
    return new AppliedHashes(file, databases, accepted);
  }

  /** Whether this database was seen before (in this session or an earlier one). */
  knows(database: string): boolean {
    return this.databases.has(database);
  }

  get(database: string, key: MigrationKey): string | undefined {
    return this.databases.get(database)?.get(key);
  }

  /** Applies the changes of one read: hashes of newly applied migrations, keys no longer applied. */
  update(database: string, remember: ReadonlyMap<MigrationKey, string>, forget: Iterable<MigrationKey>): void {
    let hashes = this.databases.get(database);
    const isNew = !hashes;
    if (!hashes) this.databases.set(database, (hashes = new Map()));
    let changed = isNew;
    for (const key of forget) changed = hashes.delete(key) || changed;
    for (const [key, hash] of remember) {
      if (hashes.get(key) === hash) continue;
      hashes.set(key, hash);
      changed = true;
    }
    if (changed) this.scheduleWrite();
  }

  /**
   * Remembers texts of a migration that differ from what was applied only where it cannot matter
   * (a reverse function, a dependency's corrected name): a quick fix's result, which no warning
   * should then ask to undo.
   */
  accept(migration: string, blobIds: readonly string[]): void {
    const known = this.acceptedTexts.get(migration) ?? [];
    const added = blobIds.filter((id) => !known.includes(id));
    if (added.length === 0) return;
    this.acceptedTexts.set(migration, [...known, ...added].slice(-ACCEPTED_PER_MIGRATION));
    this.scheduleWrite();
  }

  /** Whether one of these blob ids is a text accepted for the migration. */
  isAccepted(migration: string, blobIds: readonly string[]): boolean {
    const known = this.acceptedTexts.get(migration);
    return known !== undefined && blobIds.some((id) => known.includes(id));
  }

  /** The keys remembered for a database. */
  keys(database: string): MigrationKey[] {
    return [...(this.databases.get(database)?.keys() ?? [])];
  }

  /** Resolves once every change so far is on disk. */
  async flush(): Promise<void> {
    if (this.writeTimer) {
      clearTimeout(this.writeTimer);
      this.writeTimer = undefined;
      this.write();
    }
    await this.writing;
  }

  private scheduleWrite(): void {
    if (!this.file || this.writeTimer) return;
    this.writeTimer = setTimeout(() => {
      this.writeTimer = undefined;
      this.write();
    }, WRITE_DELAY_MS);
  }

  private write(): void {
    const file = this.file;
    if (!file) return;
    const stored: StoredHashes = {
      version: 1,
      databases: Object.fromEntries([...this.databases].map(([database, hashes]) => [database, Object.fromEntries(hashes)])),
      accepted: Object.fromEntries(this.acceptedTexts),
    };
    this.writing = this.writing.then(async () => {
      try {
        await fs.mkdir(path.dirname(file), { recursive: true });
        // Written beside and renamed over, so a crash never leaves half a file.
        const temporary = `${file}.${process.pid}.tmp`;
        await fs.writeFile(temporary, JSON.stringify(stored));
        await fs.rename(temporary, file);
      } catch {
        // The storage folder is not writable: the hashes last for this session.
      }
    });
  }
}
