import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseDatabaseUrl } from '../db/databaseSettings';
import { MigrationProject } from '../project/migrationProject';
import { loadWorkspaceProjects } from '../workspace/loadWorkspaceProjects';

export interface ProjectOptions {
  readonly python?: string;
  readonly settings?: string;
  readonly 'database-url'?: string;
  readonly database?: string;
  readonly 'cache-dir'?: string;
}

/** The projects under DIR for a CLI command, or the exit code of a usage error (2). */
export async function loadCommandProjects(
  command: string,
  directory: string | undefined,
  options: ProjectOptions,
): Promise<{ root: string; projects: MigrationProject[] } | number> {
  const root = path.resolve(directory ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) return usageError(command, `${root} is not a folder`);
  const url = options['database-url'];
  if (url !== undefined) {
    const parsed = parseDatabaseUrl(url, { baseDirectory: root });
    if (!parsed.ok) return usageError(command, `--database-url: ${parsed.problem}`);
  }
  const projects = await loadWorkspaceProjects(root, {
    pythonPath: options.python,
    settingsModule: options.settings,
    databaseUrl: url,
    databaseAlias: options.database,
    cacheDirectory: options['cache-dir'],
    trusted: true,
    onDatabaseProblem: (message) => process.stderr.write(`${command}: applied migrations not read: ${message}\n`),
  });
  return { root, projects };
}

export function usageError(command: string, message: string): number {
  process.stderr.write(`${command}: ${message}\n`);
  return 2;
}
