/** Sent by the client in `initialize`. */
export interface InitializationOptions {
  /** VS Code Workspace Trust: when false the server never runs the project's Python. */
  readonly trusted: boolean;
  /** `djangoMigrations.python.path`. */
  readonly pythonPath?: string;
  /** `djangoMigrations.settings.module`. */
  readonly settingsModule?: string;
  /** `djangoMigrations.django.version` (`3.2`, `4.2`, `5.2`): used when the interpreter cannot tell. */
  readonly djangoVersion?: string;
  /**
   * A folder that belongs to the extension (VS Code's `storageUri`, else `globalStorageUri`),
   * where the server keeps what it remembers between sessions. Never inside the user's project.
   */
  readonly storagePath?: string;
  /** `djangoMigrations.databases.connections`: DATABASES aliases to read instead of the settings' own. */
  readonly databases?: Readonly<Record<string, DatabaseOverride>>;
  /** `djangoMigrations.databases.refreshInterval`: seconds between reads of database servers; 0: never. */
  readonly databaseRefreshInterval?: number;
  /** `djangoMigrations.databases.defaultAlias`: the alias that drives diagnostics, lenses and the status bar. */
  readonly defaultAlias?: string;
  /** `djangoMigrations.lint.serverVersion`: the production server's version when the database cannot be asked. */
  readonly lintServerVersion?: string | Readonly<Record<string, string>>;
  /** The workspace folders where `djangoMigrations.maxMigrationFile.enabled` is on: refactorings there create `max_migration.txt`. */
  readonly maxMigrationFileFolders?: readonly string[];
}

/**
 * One alias of the `djangoMigrations.databases.connections` setting: a database URL
 * (`postgres://user@host:5432/name`, `sqlite:///db.sqlite3`), or Django's DATABASES fields laid
 * over the settings' own entry for that alias.
 */
export type DatabaseOverride = string | Readonly<Record<string, string | number | boolean | Readonly<Record<string, unknown>> | null>>;

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
