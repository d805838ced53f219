import { MigrationKey, migrationKey } from '../core/migration';
import { DatabaseSettings, parseDatabaseUrl } from '../db/databaseSettings';
import { readAppliedMigrations } from '../db/recorder';
import { MigrationProject } from '../project/migrationProject';
import { configuredDatabases } from './configuredDatabases';

export interface DatabaseChoice {
  /** A database URL that replaces the settings' alias. */
  readonly databaseUrl?: string;
  /** The DATABASES alias (default `default`). */
  readonly alias?: string;
  /** The environment the settings read values from; the process's by default. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/** The database one alias of the project names, through the one resolver of DATABASES; a URL replaces it. */
export function databaseOf(project: MigrationProject, choice: DatabaseChoice): DatabaseSettings | undefined {
  const root = project.project.root;
  if (choice.databaseUrl) {
    const parsed = parseDatabaseUrl(choice.databaseUrl, { baseDirectory: root });
    return parsed.ok ? parsed.settings : undefined;
  }
  if (!project.settings) return undefined;
  const alias = choice.alias ?? 'default';
  const databases = configuredDatabases({ root, settings: project.settings, environment: choice.environment ?? process.env });
  return databases.find((database) => database.alias === alias)?.settings;
}

/** The `django_migrations` rows as the loader takes them; empty when the database cannot be read. */
export async function appliedRows(
  database: DatabaseSettings,
  onProblem?: (message: string) => void,
): Promise<Map<MigrationKey, string | null>> {
  const result = await readAppliedMigrations(database);
  const applied = new Map<MigrationKey, string | null>();
  if (result.status !== 'ok') {
    // A missing SQLite file is a database nobody migrated yet: nothing applied, nothing to say.
    if (result.status !== 'missing-file') onProblem?.(result.message);
    return applied;
  }
  for (const row of result.rows) applied.set(migrationKey(row.app, row.name), row.applied);
  return applied;
}
