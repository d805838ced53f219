import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseDjangoVersion } from '../core/djangoVersion';
import { parseDatabaseUrl } from '../db/databaseSettings';
import { MigrationProject } from '../project/migrationProject';
import { Workspace } from '../workspace/workspace';
import { printable } from './terminalText';

export interface ProjectOptions {
  readonly python?: string;
  readonly settings?: string;
  readonly 'database-url'?: string;
  readonly database?: string;
  readonly 'cache-dir'?: string;
  readonly 'django-version'?: string;
}

/** The workspace of one command: its folder, and the projects the workspace indexed there. */
export interface CommandProjects {
  readonly root: string;
  readonly workspace: Workspace;
  readonly projects: MigrationProject[];
}

/**
 * Runs a CLI command on the projects under DIR, through the workspace the language server is
 * built from (so databases resolve as in the editor), and disposes it after: no helper or pool
 * outlives the command. Unless told not to, each project's graph first takes the applied rows of
 * `--database` (or `--database-url`). Returns the command's exit code, or 2 for a usage error.
 */
export async function withCommandProjects(
  command: string,
  directory: string | undefined,
  options: ProjectOptions,
  action: (loaded: CommandProjects) => Promise<number>,
  { readApplied = true }: { readApplied?: boolean } = {},
): Promise<number> {
  const root = path.resolve(directory ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) return usageError(command, `${root} is not a folder`);
  const url = options['database-url'];
  if (url !== undefined) {
    const parsed = parseDatabaseUrl(url, { baseDirectory: root });
    if (!parsed.ok) return usageError(command, `--database-url: ${parsed.problem}`);
  }
  const djangoVersion = parseDjangoVersion(options['django-version']);
  if (options['django-version'] !== undefined && !djangoVersion)
    return usageError(command, `--django-version: not a Django version: ${options['django-version']}`);
  // Written once the command has answered: encoding the parsed migrations would hold its output back.
  const cacheWrites: (() => Promise<void>)[] = [];
  const workspace = await Workspace.forCommandLine(root, {
    pythonPath: options.python,
    settingsModule: options.settings,
    djangoVersion,
    databaseUrl: url,
    databaseAlias: options.database,
    cacheDirectory: options['cache-dir'],
    keepParseCache: (save) => cacheWrites.push(save),
    // Running a command is the user's explicit request to run the project's Python.
    trusted: true,
    onScanLimit: (message) => process.stderr.write(`${command}: ${printable(message)}\n`),
  });
  try {
    const projects = [...workspace.projects()];
    if (readApplied) {
      for (const { result } of await Promise.all(projects.map((project) => workspace.readApplied(project)))) {
        // A missing SQLite file is a database nobody migrated yet: nothing applied, nothing to say.
        if (result && result.status !== 'ok' && result.status !== 'missing-file')
          process.stderr.write(`${command}: applied migrations not read: ${printable(result.message)}\n`);
      }
    }
    return await action({ root, workspace, projects });
  } finally {
    await Promise.all(cacheWrites.map((save) => save()));
    await workspace.dispose();
  }
}

export function usageError(command: string, message: string): number {
  process.stderr.write(`${command}: ${message}\n`);
  return 2;
}
