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
  /** Names of this migration's dependencies in the same app (where `migrate APP NAME` goes to unapply it). */
  readonly parents: readonly string[];
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
