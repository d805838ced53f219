import { appliedRows, databaseOf } from '../databases/appliedRows';
import { MigrationProject } from '../project/migrationProject';
import { loadProjects, LoadOptions } from '../project/projectLoader';

export interface WorkspaceLoadOptions extends LoadOptions {
  /** Reads applied migrations from this database instead of the settings' alias. */
  readonly databaseUrl?: string;
  /** The DATABASES alias to read applied migrations from (default `default`). */
  readonly databaseAlias?: string;
  /** False: do not read any database (static analysis only). */
  readonly readDatabase?: boolean;
  /** Told when applied migrations could not be read (the database is then taken as empty). */
  readonly onDatabaseProblem?: (message: string) => void;
}

/**
 * The command line's workspace: every project below a folder, each with the applied rows of one
 * alias, resolved as the language server resolves it. The server reads its databases in the
 * background instead (databases/migrationStateService.ts), so indexing never waits for one.
 */
export async function loadWorkspaceProjects(folder: string, options: WorkspaceLoadOptions): Promise<MigrationProject[]> {
  const projects = await loadProjects(folder, options);
  if (options.readDatabase === false) return projects;
  await Promise.all(
    projects.map(async (project) => {
      const database = databaseOf(project, { databaseUrl: options.databaseUrl, alias: options.databaseAlias });
      if (database) project.setApplied(await appliedRows(database, options.onDatabaseProblem));
    }),
  );
  return projects;
}
