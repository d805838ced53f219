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

/** Why a database could not be read; each kind suggests a different fix to the user. */
export type DatabaseProblemKind =
  | 'unreachable'
  | 'authentication-failed'
  | 'missing-database'
  | 'missing-file'
  | 'locked'
  | 'corrupt'
  | 'unsupported-engine'
  | 'driver-unavailable'
  | 'error';

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
