import { promises as fs } from 'node:fs';
import { LoaderResult, replaceAppliedMigrations } from '../core/loader';
import { MigrationKey, migrationKey } from '../core/migration';
import { AppliedMigrationsResult } from '../db/recorder';
import { DatabaseSettings, describeDatabase } from '../db/databaseSettings';
import { resolvePythonEnvironment } from '../django/pythonEnvironment';
import { MigrationProject } from '../project/migrationProject';
import { InitializationOptions } from '../../../protocol/index';
import { AppliedHashes } from './appliedHashes';
import { AppliedState, appliedState } from './appliedState';
import { ConfiguredDatabase, configuredDatabases, databasesNeedDjango } from './configuredDatabases';
import { DatabaseMonitor, DatabaseSnapshot } from './databaseMonitor';
import { DatabasePasswords } from './databasePasswords';
import { GitRepository, gitBlobId, textBlobIds } from '../git/gitRepository';

/** What the service needs of the running server. */
export interface MigrationStateHost {
  projects(): readonly MigrationProject[];
  readonly options: InitializationOptions;
  log(message: string): void;
}

export interface MigrationStateServiceOptions {
  readonly passwords?: DatabasePasswords;
  readonly hashes?: AppliedHashes;
  /** DATABASES as the project's own Django reports it (trusted workspaces); undefined when it cannot say. */
  readonly djangoDatabases?: (project: MigrationProject) => Promise<Record<string, Record<string, unknown>> | undefined>;
  /** How each database is read; the db layer's read-only reader by default. */
  readonly read?: (settings: DatabaseSettings) => Promise<AppliedMigrationsResult>;
  /** For tests: waits between retries of a failed read. */
  readonly retryDelaysMs?: readonly number[];
  readonly lockGraceMs?: number;
}

/** One database of one project, with what it says of the migrations once asked for. */
export interface DatabaseView {
  readonly project: MigrationProject;
  readonly alias: string;
  readonly primary: boolean;
  readonly configured: ConfiguredDatabase;
  readonly snapshot: DatabaseSnapshot;
  /** Identifies the database for remembered hashes: project, alias and where it points. */
  readonly databaseKey: string;
  /** What the database says of the migrations; absent while it cannot be read. */
  applied(): AppliedState | undefined;
  /** The loader's result with this database's applied migrations. */
  loaded(): LoaderResult;
}

interface ProjectDatabases {
  project: MigrationProject;
  /** In DATABASES order, then the setting's. */
  monitors: Map<string, DatabaseMonitor>;
  primaryAlias: string;
  /** The primary snapshot last given to `project.setApplied`. */
  applied?: { project: MigrationProject; alias: string; generation: number };
  git?: Promise<GitRepository | undefined>;
}

interface CachedState {
  readonly generation: number;
  /** The project's own loader result the state was computed from (or with). */
  readonly base: LoaderResult;
  readonly applied: AppliedState;
}

const CHANGE_DELAY_MS = 50;
const DEFAULT_REFRESH_INTERVAL_S = 10;
/** Files read at once when remembering what applied migrations hold. */
const READ_BATCH = 64;

/**
 * The live state of every project's databases: which aliases there are and how to reach them,
 * a monitor per alias that keeps its applied migrations current, the tree of each, and what was
 * applied as it was (remembered hashes, for edits made after applying). The primary alias (the
 * `defaultAlias` option, else `default`) drives the project's graph and diagnostics.
 */
export class MigrationStateService {
  private readonly byRoot = new Map<string, ProjectDatabases>();
  private readonly states = new WeakMap<DatabaseMonitor, CachedState>();
  private readonly listeners: ((version: number) => void)[] = [];
  private version = 0;
  private changeTimer: NodeJS.Timeout | undefined;
  private updating: Promise<void> = Promise.resolve();
  private hashesOpened: Promise<AppliedHashes> | undefined;

  constructor(
    private readonly host: MigrationStateHost,
    private readonly options: MigrationStateServiceOptions = {},
  ) {}

  /** Called (after a short delay that gathers a burst) with the new version after every change. */
  onDidChange(listener: (version: number) => void): void {
    this.listeners.push(listener);
  }

  /** After the projects were indexed: resolve each project's databases and (re)start their monitors. */
  update(): Promise<void> {
    this.updating = this.updating
      .then(() => this.updateNow())
      .catch((error: unknown) => this.host.log(`Reading databases failed: ${describe(error)}`));
    return this.updating;
  }

  /** Reads the databases again now: every project's, or one's. */
  async refresh(projectRoot?: string): Promise<void> {
    await this.updating;
    const projects = [...this.byRoot.entries()].filter(([root]) => projectRoot === undefined || root === projectRoot);
    await Promise.all(projects.flatMap(([, databases]) => [...databases.monitors.values()].map((monitor) => monitor.refresh())));
  }

  /** Bumped after every change of a database or of the migration files. */
  get currentVersion(): number {
    return this.version;
  }

  /** Migration files changed: the applied states are computed again when next asked for. */
  projectChanged(): void {
    this.changed();
  }

  /** The alias that drives the project's graph and diagnostics. */
  primaryAlias(project: MigrationProject): string {
    return this.byRoot.get(project.project.root)?.primaryAlias ?? 'default';
  }

  /** The databases of a project, primary alias first. */
  views(project: MigrationProject): DatabaseView[] {
    const databases = this.byRoot.get(project.project.root);
    if (!databases) return [];
    databases.project = project;
    this.applyPrimary(databases);
    const views = [...databases.monitors.values()].map((monitor) => this.view(databases, monitor));
    return views.sort((a, b) => Number(b.primary) - Number(a.primary));
  }

  /** The git work tree of a project, if any. */
  git(project: MigrationProject): Promise<GitRepository | undefined> {
    const databases = this.byRoot.get(project.project.root);
    if (!databases) return Promise.resolve(undefined);
    databases.git ??= GitRepository.find(project.project.root);
    return databases.git;
  }

  /** The remembered hash of what a migration's file held when first seen applied on a database. */
  async rememberedHash(view: DatabaseView, key: MigrationKey): Promise<string | undefined> {
    return (await this.hashes()).get(view.databaseKey, key);
  }

  /** Accepts a text of a migration that a quick fix left without changing what it applies. */
  async acceptEdit(project: MigrationProject, key: MigrationKey, text: string): Promise<void> {
    (await this.hashes()).accept(acceptedKey(project, key), textBlobIds(text));
  }

  /** Whether the text (by its blob ids) is one a quick fix left: no warning asks to undo it. */
  async isAcceptedEdit(project: MigrationProject, key: MigrationKey, blobIds: readonly string[]): Promise<boolean> {
    return (await this.hashes()).isAccepted(acceptedKey(project, key), blobIds);
  }

  dispose(): void {
    clearTimeout(this.changeTimer);
    for (const databases of this.byRoot.values()) for (const monitor of databases.monitors.values()) monitor.dispose();
    this.byRoot.clear();
  }

  private async updateNow(): Promise<void> {
    const options = this.host.options;
    const seen = new Set<string>();
    const started: Promise<void>[] = [];
    for (const project of this.host.projects()) {
      const root = project.project.root;
      seen.add(root);
      let databases = this.byRoot.get(root);
      if (!databases) {
        databases = { project, monitors: new Map(), primaryAlias: 'default' };
        this.byRoot.set(root, databases);
      }
      databases.project = project;
      const configured = await this.configuredDatabases(project);
      const aliases = new Set(configured.map((database) => database.alias));
      for (const [alias, monitor] of databases.monitors) {
        const next = configured.find((database) => database.alias === alias);
        if (next && sameConfiguration(next, monitor.configured)) continue;
        monitor.dispose();
        databases.monitors.delete(alias);
      }
      const monitors = new Map<string, DatabaseMonitor>();
      for (const database of configured) {
        let monitor = databases.monitors.get(database.alias);
        if (!monitor) {
          monitor = this.createMonitor(databases, database);
          started.push(monitor.start());
        }
        monitors.set(database.alias, monitor);
      }
      databases.monitors = monitors;
      const wanted = options.defaultAlias || 'default';
      databases.primaryAlias = aliases.has(wanted) ? wanted : (configured[0]?.alias ?? wanted);
      // A new project object after a reload: give it the applied state known already.
      this.applyPrimary(databases);
    }
    for (const [root, databases] of this.byRoot) {
      if (seen.has(root)) continue;
      for (const monitor of databases.monitors.values()) monitor.dispose();
      this.byRoot.delete(root);
    }
    this.changed();
    await Promise.all(started);
  }

  /** The project's aliases, resolved now: the one resolution of DATABASES, for the server and the command line. */
  async configuredDatabases(project: MigrationProject): Promise<ConfiguredDatabase[]> {
    const options = this.host.options;
    const root = project.project.root;
    const environment = resolvePythonEnvironment({
      projectRoot: root,
      pythonPath: options.pythonPath,
      settingsModule: options.settingsModule,
      manageSettingsModule: project.project.settingsModule,
    });
    const settings = project.settings;
    const django =
      options.trusted && this.options.djangoDatabases && databasesNeedDjango(settings)
        ? await this.options.djangoDatabases(project).catch(() => undefined)
        : undefined;
    return configuredDatabases({
      root,
      settings,
      environment: environment.variables,
      django,
      overrides: options.databases,
      password: (alias) => this.options.passwords?.get(root, alias),
    });
  }

  private createMonitor(databases: ProjectDatabases, configured: ConfiguredDatabase): DatabaseMonitor {
    const interval = this.host.options.databaseRefreshInterval ?? DEFAULT_REFRESH_INTERVAL_S;
    const monitor: DatabaseMonitor = new DatabaseMonitor(configured, {
      pollIntervalMs: Math.max(0, interval) * 1000,
      read: this.options.read,
      retryDelaysMs: this.options.retryDelaysMs,
      lockGraceMs: this.options.lockGraceMs,
      restricted: !this.host.options.trusted,
      onDidChange: () => {
        if (databases.monitors.get(configured.alias) !== monitor) return;
        this.applyPrimary(databases);
        void this.rememberApplied(databases, monitor);
        this.changed();
      },
    });
    return monitor;
  }

  /** Gives the primary database's applied migrations to the project's graph, once per change. */
  private applyPrimary(databases: ProjectDatabases): void {
    const monitor = databases.monitors.get(databases.primaryAlias);
    const snapshot = monitor?.snapshot;
    // While it cannot be read the graph keeps the last state that was read.
    if (!snapshot || (snapshot.status !== 'ok' && snapshot.status !== 'missing-file')) return;
    const applied = databases.applied;
    if (applied?.project === databases.project && applied.alias === databases.primaryAlias && applied.generation === snapshot.generation)
      return;
    databases.project.setApplied(appliedMap(snapshot));
    databases.applied = { project: databases.project, alias: databases.primaryAlias, generation: snapshot.generation };
  }

  private view(databases: ProjectDatabases, monitor: DatabaseMonitor): DatabaseView {
    const project = databases.project;
    const alias = monitor.configured.alias;
    const primary = alias === databases.primaryAlias;
    const cached = (): CachedState => {
      // The graph only: the checks of `analyse()` wait until diagnostics are asked for.
      const base = project.loaderResult();
      const snapshot = monitor.snapshot;
      const previous = this.states.get(monitor);
      if (previous && previous.generation === snapshot.generation && previous.base === base) return previous;
      const applied = primary ? undefined : appliedMap(snapshot);
      const loaded = applied ? (replaceAppliedMigrations(base, applied) ?? project.buildGraph(true, applied)) : base;
      const entry: CachedState = { generation: snapshot.generation, base, applied: appliedState(alias, loaded, snapshot.rows) };
      this.states.set(monitor, entry);
      return entry;
    };
    return {
      project,
      alias,
      primary,
      configured: monitor.configured,
      snapshot: monitor.snapshot,
      databaseKey: databaseKey(project.project.root, monitor.configured),
      applied: () => (readable(monitor.snapshot) ? cached().applied : undefined),
      loaded: () => cached().applied.loaded,
    };
  }

  /**
   * Remembers what each newly applied migration's file holds, and forgets migrations no longer
   * applied. A database seen for the first time was migrated before we watched it: what is
   * committed at HEAD is then the better guess of what was applied than the file as it is now.
   */
  private async rememberApplied(databases: ProjectDatabases, monitor: DatabaseMonitor): Promise<void> {
    const snapshot = monitor.snapshot;
    if (snapshot.status !== 'ok') return;
    const hashes = await this.hashes();
    const key = databaseKey(databases.project.project.root, monitor.configured);
    const recorded = new Set(snapshot.rows.map((row) => migrationKey(row.app, row.name)));
    const forget = hashes.keys(key).filter((known) => !recorded.has(known));
    const firstSight = !hashes.knows(key);
    const disk = databases.project.loaderResult().diskMigrations;
    const pending = [...recorded].filter((applied) => hashes.get(key, applied) === undefined && disk.has(applied));
    const remember = new Map<MigrationKey, string>();
    const git = firstSight ? await this.git(databases.project) : undefined;
    const head = git && (await git.headCommit());
    for (let start = 0; start < pending.length; start += READ_BATCH) {
      await Promise.all(
        pending.slice(start, start + READ_BATCH).map(async (applied) => {
          const file = disk.get(applied)!.path;
          const committed = git && head ? await git.blobId(head, file) : undefined;
          const hash = committed ?? (await fs.readFile(file).then(gitBlobId, () => undefined));
          if (hash) remember.set(applied, hash);
        }),
      );
    }
    if (monitor.snapshot.generation !== snapshot.generation) return; // Read again meanwhile: that read remembers.
    hashes.update(key, remember, forget);
    if (remember.size > 0 || forget.length > 0) this.changed();
  }

  private hashes(): Promise<AppliedHashes> {
    this.hashesOpened ??= this.options.hashes ? Promise.resolve(this.options.hashes) : AppliedHashes.open(this.host.options.storagePath);
    return this.hashesOpened;
  }

  private changed(): void {
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.version++;
      for (const listener of this.listeners) {
        try {
          listener(this.version);
        } catch (error) {
          this.host.log(`A migration state listener failed: ${describe(error)}`);
        }
      }
    }, CHANGE_DELAY_MS);
  }
}

/** Whether the snapshot says what is applied: read, or a SQLite file not created yet (nothing is). */
function readable(snapshot: DatabaseSnapshot): boolean {
  return snapshot.status === 'ok' || snapshot.status === 'missing-file';
}

function appliedMap(snapshot: DatabaseSnapshot): Map<MigrationKey, string | null> {
  return new Map(snapshot.rows.map((row) => [migrationKey(row.app, row.name), row.applied]));
}

function databaseKey(root: string, configured: ConfiguredDatabase): string {
  return [root, configured.alias, configured.settings ? describeDatabase(configured.settings) : ''].join('\u0000');
}

function sameConfiguration(a: ConfiguredDatabase, b: ConfiguredDatabase): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function acceptedKey(project: MigrationProject, key: MigrationKey): string {
  return `${project.project.root}|${key}`;
}
