import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSqliteOffThread } from '../db/readOffThread';
import { AppliedMigration, AppliedMigrationsReader, AppliedMigrationsResult } from '../db/recorder';
import { DatabaseSettings, describeDatabase } from '../db/databaseSettings';
import { DatabaseStatus } from '../../../protocol/index';
import { ConfiguredDatabase } from './configuredDatabases';

/** What is known about one database, as last read. */
export interface DatabaseSnapshot {
  readonly status: DatabaseStatus;
  readonly message?: string;
  /** False when there is no `django_migrations` table (or no SQLite file): nothing is applied. */
  readonly hasTable: boolean;
  readonly rows: readonly AppliedMigration[];
  /** When it was last read (epoch ms). */
  readonly checkedAt?: number;
  /** Bumped each time the status or the rows changed. */
  readonly generation: number;
  /** Whether it will be read again by itself: watched, polled or retried. */
  readonly retrying: boolean;
}

export interface DatabaseMonitorOptions {
  /** Between reads of a database server, and between checks of a SQLite file's size and time; 0: never. */
  readonly pollIntervalMs: number;
  /** After a failure, the waits before each retry; the last one repeats. */
  readonly retryDelaysMs?: readonly number[];
  /** A SQLite file locked by a running `migrate` is shown as locked only after this long. */
  readonly lockGraceMs?: number;
  /** A SQLite read (on its own thread) that has not answered after this long becomes a status. */
  readonly sqliteReadTimeLimitMs?: number;
  /** How the rows are read; the db layer's read-only reader by default. */
  readonly read?: (settings: DatabaseSettings) => Promise<AppliedMigrationsResult>;
  /** Called after the snapshot changed. */
  readonly onDidChange: () => void;
  /**
   * An untrusted workspace: its files chose the host, so a server is never contacted (the
   * user's stored, environment and pgpass credentials would go to it); SQLite files are read.
   */
  readonly restricted?: boolean;
}

const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 5000, 10000, 30000];
const DEFAULT_LOCK_GRACE_MS = 3000;
/** A server's idle connection is kept at least this long (and two poll intervals). */
const MIN_IDLE_CONNECTION_MS = 60_000;
/** Waits for a burst of writes to a SQLite file (a migrate run) to settle before reading. */
const WATCH_DEBOUNCE_MS = 100;
/** Problems that reading again cannot fix; they change only with the configuration. */
const PERMANENT: ReadonlySet<DatabaseStatus> = new Set(['not-configured', 'restricted', 'unsupported-engine', 'driver-unavailable']);

/**
 * Keeps one database's applied migrations up to date: reads it once started, again when its
 * SQLite file changes (watched, and checked on the poll interval) or on the poll interval for a
 * server, and retries failures with growing waits. Reading never throws; every outcome is a
 * status. Timers and watchers never keep the process alive.
 */
export class DatabaseMonitor {
  private current: DatabaseSnapshot = { status: 'pending', hasTable: false, rows: [], generation: 0, retrying: true };
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private failures = 0;
  private lockedSince: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private watcher: fs.FSWatcher | undefined;
  /** The SQLite file's size and times when it was last read successfully. */
  private fileSignature: string | undefined;
  private disposed = false;
  /** A server's connection is kept between reads; a SQLite file is opened for each read. */
  private readonly reader: AppliedMigrationsReader | undefined;

  constructor(
    readonly configured: ConfiguredDatabase,
    private readonly options: DatabaseMonitorOptions,
  ) {
    if (this.serverInRestrictedMode) {
      this.current = {
        status: 'restricted',
        message: `${this.description} is not read in Restricted Mode: a database server is contacted only once the workspace is trusted.`,
        hasTable: false,
        rows: [],
        generation: 1,
        retrying: false,
      };
      return;
    }
    if (configured.settings?.engine === 'postgresql' && !options.read) {
      const idleTimeoutMs = Math.max(2 * options.pollIntervalMs, MIN_IDLE_CONNECTION_MS);
      this.reader = new AppliedMigrationsReader(configured.settings, { postgres: { idleTimeoutMs } });
    }
    if (!configured.settings) {
      this.current = {
        status: 'not-configured',
        message: `No connection settings for the alias '${configured.alias}'${configured.problem ? `: ${configured.problem}` : ''}.`,
        hasTable: false,
        rows: [],
        generation: 1,
        retrying: false,
      };
    }
  }

  get snapshot(): DatabaseSnapshot {
    return this.current;
  }

  /** One line naming the database, never its password. */
  get description(): string {
    return this.configured.settings ? describeDatabase(this.configured.settings) : `alias '${this.configured.alias}'`;
  }

  private get serverInRestrictedMode(): boolean {
    return !!this.options.restricted && !!this.configured.settings && this.configured.settings.engine !== 'sqlite';
  }

  /** Reads it now and starts watching or polling. */
  start(): Promise<void> {
    const settings = this.configured.settings;
    if (!settings || this.serverInRestrictedMode) return Promise.resolve();
    if (settings.engine === 'sqlite') this.watchFile(settings.name);
    if (this.options.pollIntervalMs > 0) {
      this.pollTimer = setInterval(
        () => void (settings.engine === 'sqlite' ? this.refreshIfFileChanged() : this.refresh()),
        this.options.pollIntervalMs,
      );
      this.pollTimer.unref();
    }
    return this.refresh();
  }

  /** Reads it again now; concurrent calls share one read, and a call during a read reads once more after it. */
  refresh(): Promise<void> {
    if (this.disposed || !this.configured.settings || this.serverInRestrictedMode) return Promise.resolve();
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.readAgain = false;
          await this.readOnce(this.configured.settings!);
        } while (this.readAgain && !this.disposed);
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.debounceTimer);
    clearInterval(this.pollTimer);
    this.watcher?.close();
    void this.reader?.close();
  }

  private async readOnce(settings: DatabaseSettings): Promise<void> {
    clearTimeout(this.retryTimer);
    const signature = settings.engine === 'sqlite' ? sqliteSignature(settings.name) : undefined;
    // A SQLite file is read on a thread of its own (its drivers are synchronous). A locked file
    // answers at once (busy timeout 0), and the lock is retried on a timer instead.
    const read =
      this.options.read ??
      (this.reader
        ? () => this.reader!.read()
        : (settings: DatabaseSettings) =>
            readSqliteOffThread(settings, { sqlite: { busyTimeoutMs: 0 } }, this.options.sqliteReadTimeLimitMs));
    const result = await read(settings).catch((error: unknown): AppliedMigrationsResult => ({
      status: 'error',
      message: `${this.description} could not be read: ${String(error)}`,
    }));
    if (this.disposed) return;
    const now = Date.now();
    if (result.status === 'ok') {
      this.failures = 0;
      this.lockedSince = undefined;
      this.fileSignature = signature;
      this.publish({ status: 'ok', hasTable: result.hasTable, rows: result.rows, checkedAt: now, retrying: true });
      return;
    }
    if (result.status === 'locked' && this.current.status === 'ok') {
      // A migrate run holds the lock for a moment: keep what was read until it lasts.
      this.lockedSince ??= now;
      if (now - this.lockedSince < (this.options.lockGraceMs ?? DEFAULT_LOCK_GRACE_MS)) {
        this.scheduleRetry(Math.min(500, this.options.lockGraceMs ?? DEFAULT_LOCK_GRACE_MS));
        return;
      }
    }
    const permanent = PERMANENT.has(result.status);
    // Django creates a missing SQLite file on the first migrate: until then nothing is applied.
    const missingFile = result.status === 'missing-file';
    this.publish({ status: result.status, message: result.message, hasTable: false, rows: [], checkedAt: now, retrying: !permanent });
    if (permanent) return;
    if (missingFile && this.watcher) return; // The watcher sees the file appear.
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.scheduleRetry(delays[Math.min(this.failures++, delays.length - 1)]);
  }

  private scheduleRetry(delayMs: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.refresh(), delayMs);
    this.retryTimer.unref();
  }

  private publish(next: Omit<DatabaseSnapshot, 'generation'>): void {
    const previous = this.current;
    const changed =
      previous.status !== next.status ||
      previous.message !== next.message ||
      previous.hasTable !== next.hasTable ||
      previous.retrying !== next.retrying ||
      !sameRows(previous.rows, next.rows);
    this.current = { ...next, generation: previous.generation + (changed ? 1 : 0) };
    if (changed) this.options.onDidChange();
  }

  /** Watches the file's folder: SQLite writes the file in place, and its journal or WAL beside it. */
  private watchFile(file: string): void {
    const directory = path.dirname(file);
    const base = path.basename(file);
    try {
      this.watcher = fs.watch(directory, { persistent: false }, (_event, changed) => {
        if (changed !== null && !String(changed).startsWith(base)) return;
        clearTimeout(this.debounceTimer);
        this.debounceTimer = setTimeout(() => void this.refreshIfFileChanged(), WATCH_DEBOUNCE_MS);
        this.debounceTimer.unref();
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      // No folder yet, or no watching here: the poll interval and retries read it instead.
      this.watcher = undefined;
    }
  }

  /** Reads the SQLite file again only when its size or times changed since the last read. */
  private refreshIfFileChanged(): Promise<void> {
    const settings = this.configured.settings;
    if (settings?.engine === 'sqlite' && this.current.status === 'ok' && sqliteSignature(settings.name) === this.fileSignature) {
      return Promise.resolve();
    }
    return this.refresh();
  }
}

/** Size, modification time and inode of the file and its WAL: what a commit changes. */
function sqliteSignature(file: string): string {
  return [file, `${file}-wal`]
    .map((candidate) => {
      try {
        const stat = fs.statSync(candidate);
        return `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

function sameRows(a: readonly AppliedMigration[], b: readonly AppliedMigration[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) {
    if (a[index].app !== b[index].app || a[index].name !== b[index].name || a[index].applied !== b[index].applied) return false;
  }
  return true;
}
