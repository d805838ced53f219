/**
 * The custom part of the protocol between client and server, typed in one place. Documented in
 * docs/protocol.md.
 */
import type { DatabaseProblemKind } from './db/databaseProblem';

/** Sent by the client in `initialize`. */
export interface InitializationOptions {
  /** VS Code Workspace Trust: when false the server never runs the project's Python. */
  readonly trusted: boolean;
  /** `djangoMigrations.python.path`. */
  readonly pythonPath?: string;
  /** `djangoMigrations.settings.module`. */
  readonly settingsModule?: string;
  /**
   * A folder that belongs to the extension (VS Code's `storageUri`, else `globalStorageUri`),
   * where the server keeps what it remembers between sessions. Never inside the user's project.
   */
  readonly storagePath?: string;
  /** `djangoMigrations.databases`: DATABASES aliases to read instead of the settings' own. */
  readonly databases?: Readonly<Record<string, DatabaseOverride>>;
  /** `djangoMigrations.databases.refreshInterval`: seconds between reads of database servers; 0: never. */
  readonly databaseRefreshInterval?: number;
  /** `djangoMigrations.databases.defaultAlias`: the alias that drives diagnostics, lenses and the status bar. */
  readonly defaultAlias?: string;
}

/**
 * One alias of the `djangoMigrations.databases` setting: a database URL
 * (`postgres://user@host:5432/name`, `sqlite:///db.sqlite3`), or Django's DATABASES fields laid
 * over the settings' own entry for that alias.
 */
export type DatabaseOverride = string | Readonly<Record<string, string | number | boolean | Readonly<Record<string, unknown>> | null>>;

// ---- Running the project's Django: SQL previews, plans and the commands' pickers ----

/** Why a request that needs the project's Django has no answer. */
export type DjangoFailureReason =
  /** Workspace Trust's restricted mode: no Python is started. */
  | 'untrusted'
  /** No Django project with that root is indexed. */
  | 'noProject'
  /** Neither a setting, the environment nor manage.py names a settings module. */
  | 'noSettings'
  | 'pythonNotFound'
  | 'djangoImport'
  /** `django.setup()` failed: settings or an app could not load. */
  | 'djangoSetup'
  /** Django raised while answering; `type` is the exception class. */
  | 'djangoError'
  /** Django read other applied migrations than the tree shows: nothing is run on that plan. */
  | 'stateChanged'
  | 'timeout'
  | 'cancelled'
  | 'exited';

export interface DjangoFailure {
  readonly ok: false;
  readonly reason: DjangoFailureReason;
  /** What went wrong and what to do about it, for the user. */
  readonly message: string;
  /** The Python exception class name, when Django raised. */
  readonly type?: string;
}

/** An answer computed by the project's Django, or why there is none. */
export type DjangoAnswer<T> = (T & { readonly ok: true }) | DjangoFailure;

/** Which project, and which interpreter the client chose for it. */
export interface DjangoRequestParams {
  /** Folder of the project's manage.py (`CommandProject.root`). */
  readonly projectRoot: string;
  /**
   * The interpreter selected in the Python extension for this folder; absent: the
   * `djangoMigrations.python.path` setting, then `.venv`/`venv`, then `python3`.
   */
  readonly python?: string;
}

/** `djangoMigrations/sqlmigrate`: exactly what `manage.py sqlmigrate` prints. */
export const SQLMIGRATE_REQUEST = 'djangoMigrations/sqlmigrate';

export interface SqlmigrateRequestParams extends DjangoRequestParams {
  readonly app: string;
  readonly name: string;
  readonly backwards?: boolean;
  /** A DATABASES alias; `default` when absent. */
  readonly database?: string;
}

export interface SqlmigrateAnswer {
  /** What sqlmigrate wrote to stdout. */
  readonly sql: string;
  readonly stderr: string;
}

/** `djangoMigrations/plan`: `migrate --plan` for some targets, without touching the database. */
export const PLAN_REQUEST = 'djangoMigrations/plan';

export interface PlanRequestParams extends DjangoRequestParams {
  /** As `migrate` takes them: `[app, null]` the app's leaves, `[app, 'zero']`, `[app, name]`. Absent: all leaves. */
  readonly targets?: ReadonlyArray<readonly [string, string | null]>;
  /** Instead of targets: unapply this migration (`[app, name]`) through the target Django remaps it to after squashes. */
  readonly unapply?: readonly [string, string];
  readonly database?: string;
}

export interface PlannedOperation {
  /** The line `migrate --plan` prints for it. */
  readonly message: string;
  /** Backwards without a reverse: `migrate` stops here with IrreversibleError. */
  readonly irreversible: boolean;
  /** Operation class name (`CreateModel`, `RunPython`...). */
  readonly type: string;
  /** Django's `Operation.describe()`. */
  readonly describe: string;
}

export interface PlannedMigration {
  readonly app: string;
  readonly name: string;
  readonly backwards: boolean;
  readonly operations: readonly PlannedOperation[];
}

export interface PlanAnswer {
  readonly lines: readonly string[];
  readonly plan: readonly PlannedMigration[];
  /** With `unapply`: the migration `migrate APP TARGET` goes to (`zero` for the first). */
  readonly target?: string;
}

/** `djangoMigrations/databases`: the aliases of DATABASES (never their passwords). */
export const DATABASES_REQUEST = 'djangoMigrations/databases';

export interface DatabasesAnswer {
  readonly default: string;
  readonly databases: ReadonlyArray<{ readonly alias: string; readonly vendor: string | null; readonly name: string | null }>;
}

/** `djangoMigrations/makemigrationsPreview`: what `makemigrations --dry-run` would write. */
export const MAKEMIGRATIONS_PREVIEW_REQUEST = 'djangoMigrations/makemigrationsPreview';

export interface MakemigrationsPreviewParams extends DjangoRequestParams {
  /** App labels; all apps when absent. */
  readonly apps?: readonly string[];
}

export interface MakemigrationsPreviewAnswer {
  /** By app label: the files makemigrations would write. */
  readonly changes: Readonly<Record<string, ReadonlyArray<{ readonly name: string; readonly path: string; readonly content: string; readonly operations: readonly string[] }>>>;
  /** What the command printed (`No changes detected` ...). */
  readonly stdout: string;
}

/** `djangoMigrations/commandTargets`: projects, apps and migrations to pick from (static; works untrusted). */
export const COMMAND_TARGETS_REQUEST = 'djangoMigrations/commandTargets';

export interface CommandTargets {
  readonly projects: readonly CommandProject[];
}

export interface CommandProject {
  readonly root: string;
  readonly managePy?: string;
  /** The settings module the server uses: the setting, else what manage.py sets. */
  readonly settingsModule?: string;
  readonly apps: readonly CommandApp[];
}

export interface CommandApp {
  readonly label: string;
  /** Lives outside the workspace (django.contrib, site-packages). */
  readonly external: boolean;
  /** The app package's folder. */
  readonly directory?: string;
  readonly migrationsDirectory?: string;
  /** Models the app's migrations leave in place, for a data migration's `apps.get_model`. */
  readonly models: readonly string[];
  /** Leaf migrations; more than one is a conflict `makemigrations --merge` resolves. */
  readonly leafNodes: readonly string[];
  /** By name, which is Django's numbering. */
  readonly migrations: readonly CommandMigration[];
}

export interface CommandMigration {
  readonly name: string;
  readonly file: string;
  /** As last read from the database; false when it could not be read. */
  readonly applied: boolean;
  /** Names of the migrations it replaces (a squashed migration). */
  readonly replaces: readonly string[];
}

/** `djangoMigrations/dataMigrationScaffold`: a migration written by `makemigrations --empty`, made a data migration. */
export const DATA_MIGRATION_SCAFFOLD_REQUEST = 'djangoMigrations/dataMigrationScaffold';

export interface DataMigrationScaffoldParams {
  /** The migration file `makemigrations --empty` wrote. */
  readonly file: string;
  readonly app: string;
  /** Models the RunPython functions load with `apps.get_model`. */
  readonly models: readonly string[];
}

export type DataMigrationScaffoldAnswer = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/**
 * `djangoMigrations/refreshDatabase` (client → server notification): a command changed the
 * database or the migration files; read the applied state again and refresh views and
 * diagnostics.
 */
export const REFRESH_DATABASE_NOTIFICATION = 'djangoMigrations/refreshDatabase';

export interface RefreshDatabaseParams {
  /** The project the command ran in; all projects when absent. */
  readonly projectRoot?: string;
}

/**
 * The argument of the commands that act on one migration (lenses, the tree's migration nodes,
 * quick fixes): `djangoMigrations.showSql`, `.showBackwardsSql`, `.migrateToMigration`,
 * `.unapplyMigration`.
 */
export interface MigrationCommandArguments {
  readonly projectRoot: string;
  readonly app: string;
  readonly name: string;
  readonly file?: string;
  /** The DATABASES alias the node belongs to; `default` when absent. */
  readonly alias?: string;
}

// ---- Live migration state from the database: the migrations tree and the status bar ----

/**
 * Server → client notification: the state of some project or database changed (a database
 * was read with a new result, migration files changed, the projects were indexed again). The
 * client asks for the state again with `djangoMigrations/migrationState`.
 */
export const MIGRATION_STATE_CHANGED_NOTIFICATION = 'djangoMigrations/migrationStateChanged';

export interface MigrationStateChangedParams {
  /** Increases with every change; the same number as `MigrationStateResult.version`. */
  readonly version: number;
}

/** `djangoMigrations/migrationState`: every project, database alias, app and migration with its state. */
export const MIGRATION_STATE_REQUEST = 'djangoMigrations/migrationState';

/**
 * `djangoMigrations/refreshMigrationState`: read the databases now (the tree's Refresh button),
 * all of them or one project's, and answer once they were read.
 */
export const REFRESH_MIGRATION_STATE_REQUEST = 'djangoMigrations/refreshMigrationState';

export interface RefreshMigrationStateParams {
  readonly projectRoot?: string;
}

export interface MigrationStateResult {
  readonly version: number;
  readonly projects: readonly ProjectMigrationState[];
}

export interface ProjectMigrationState {
  /** Folder of manage.py. */
  readonly root: string;
  /** The folder's name, for display. */
  readonly name: string;
  /** The alias whose applied state drives the graph, diagnostics, lenses and the status bar. */
  readonly primaryAlias: string;
  readonly aliases: readonly AliasMigrationState[];
}

/** Whether and how a database could be read; the problem kinds are those of the db layer. */
export type DatabaseStatus =
  | 'ok'
  /** Not read yet. */
  | 'pending'
  /** No connection settings could be found for the alias. */
  | 'not-configured'
  | DatabaseProblemKind;

/** Where an alias's connection settings came from. */
export type DatabaseSource = 'settings' | 'django' | 'setting';

export interface AliasMigrationState {
  readonly alias: string;
  /** One line naming the database (engine, name, host, user), never its password. */
  readonly database: string;
  readonly engine: 'sqlite' | 'postgresql' | 'other' | 'unknown';
  readonly source: DatabaseSource;
  readonly status: DatabaseStatus;
  /** Why the database could not be read, and what to do; absent when `ok`. */
  readonly message?: string;
  /** False when the database has no `django_migrations` table: nothing is applied. */
  readonly hasTable: boolean;
  /** When it was last read (ISO 8601). */
  readonly checkedAt?: string;
  /** Whether the server reads it again by itself (SQLite file watched, server polled, retries). */
  readonly retrying: boolean;
  /** By app label, sorted as `showmigrations` sorts them; empty while the database cannot be read. */
  readonly apps: readonly AppMigrationState[];
  /** Migrations Django would apply: `showmigrations` entries marked `[ ]`. */
  readonly unapplied: number;
  /** What `migrate` would raise as InconsistentMigrationHistory, when the history is inconsistent. */
  readonly consistencyError?: string;
}

export interface AppMigrationState {
  readonly app: string;
  /** An app whose migration files were not read (outside the workspace, no Python environment): rows only. */
  readonly external: boolean;
  /** In `showmigrations` order, then migrations Django does not list (partly applied squashes, rows without files). */
  readonly migrations: readonly MigrationNodeState[];
  /** Counted over the entries `showmigrations` lists. */
  readonly applied: number;
  readonly unapplied: number;
}

/**
 * The tree's states: also the last part of the tree item's contextValue
 * (`djangoMigrations.migration.<state>`).
 */
export type MigrationState = 'applied' | 'unapplied' | 'squashed' | 'replaced' | 'conflicting' | 'missingFile' | 'inconsistent';

export interface MigrationNodeState {
  readonly app: string;
  readonly name: string;
  /** Absolute path; absent for a row whose file is gone and for external apps. */
  readonly file?: string;
  readonly state: MigrationState;
  /** Counted as applied by Django (`loader.applied_migrations`): `[X]` in showmigrations. */
  readonly applied: boolean;
  /** Has its own row in `django_migrations`. */
  readonly recorded: boolean;
  /**
   * The row's `applied` value as stored (SQLite: naive text, UTC when USE_TZ; PostgreSQL: ISO
   * with `Z`). A squash counted as applied without a row of its own: the latest of its replaced.
   */
  readonly appliedAt?: string;
  /** A node of Django's graph, listed by showmigrations. */
  readonly listed: boolean;
  /** How many migrations name this one in `dependencies` (or are named by its `run_before`). */
  readonly dependents: number;
  /** A squashed migration: how many it replaces, how many of those are recorded, whether Django uses it. */
  readonly squash?: { readonly replaces: number; readonly appliedReplaced: number; readonly inGraph: boolean };
  /** A replaced migration: the name of the squash Django uses instead. */
  readonly replacedBy?: string;
  /** A leaf node of an app that has more than one. */
  readonly conflicting?: boolean;
  /** Applied while these dependencies (`app.name`) are not. */
  readonly unappliedDependencies?: readonly string[];
  /** The migrations a squash replaces, when Django uses the squash. */
  readonly children?: readonly MigrationNodeState[];
}

/**
 * Passwords the user stored with "Set Database Password" (VS Code's secret storage) reach the
 * server in this environment variable of its process, as JSON `DatabasePassword[]`: never
 * through LSP messages, which the client can trace to its output channel. The server removes
 * the variable from its environment once read, so processes it starts do not inherit it.
 */
export const DATABASE_PASSWORDS_VARIABLE = 'DJANGO_MIGRATIONS_DATABASE_PASSWORDS';

export interface DatabasePassword {
  readonly projectRoot: string;
  readonly alias: string;
  readonly password: string;
}
