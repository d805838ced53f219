import { MigrationKey, migrationKey } from '../core/migration';
import { readAppliedMigrations } from '../db/recorder';
import { DatabaseSettings, parseDatabaseUrl } from '../db/databaseSettings';
import { pythonSysPath } from '../django/pythonSysPath';
import { loadPythonParser } from '../python/pythonParser';
import { databaseSettingsOf } from './databaseConfiguration';
import { nodeFileSystem, ProjectFileSystem } from './fileSystem';
import { MigrationProject } from './migrationProject';
import { ParseCache } from './parseCache';
import { discoverProjects } from './projectDiscovery';

export interface LoadOptions {
  /** False in an untrusted workspace: no Python is run. */
  readonly trusted: boolean;
  readonly fileSystem?: ProjectFileSystem;
  readonly pythonPath?: string;
  readonly settingsModule?: string;
  /** Reads applied migrations from this database instead of the settings' alias. */
  readonly databaseUrl?: string;
  /** The DATABASES alias to read applied migrations from (default `default`). */
  readonly databaseAlias?: string;
  /** False: do not read any database (static analysis only). */
  readonly readDatabase?: boolean;
  /** Folder for the cache of parsed migrations (the editor's storage; the CLI's --cache-dir). */
  readonly cacheDirectory?: string;
  /** Told when applied migrations could not be read (the database is then taken as empty). */
  readonly onDatabaseProblem?: (message: string) => void;
}

/** Discovers, reads and parses every Django project below a folder, with its applied state. */
export async function loadProjects(folder: string, options: LoadOptions): Promise<MigrationProject[]> {
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  const parser = await loadPythonParser();
  const sysPath = options.trusted && options.pythonPath ? await pythonSysPath(options.pythonPath, folder) : undefined;
  const discovered = await discoverProjects(folder, {
    fileSystem,
    parser,
    settingsModule: options.settingsModule,
    pythonSysPath: sysPath,
  });
  return Promise.all(
    discovered.map(async ({ project, settings }) => {
      const migrationProject = new MigrationProject(project, parser, fileSystem, settings);
      const cache = options.cacheDirectory ? await ParseCache.open(options.cacheDirectory, project.root) : undefined;
      await migrationProject.load(cache);
      // Written in the background: nothing waits for it, and a failed write only costs a parse.
      void cache?.save();
      if (options.readDatabase !== false) {
        const database = options.databaseUrl
          ? urlSettings(options.databaseUrl, project.root)
          : settings && databaseSettingsOf(settings, options.databaseAlias ?? 'default', project.root);
        if (database) migrationProject.setApplied(await appliedKeys(database, options.onDatabaseProblem));
      }
      return migrationProject;
    }),
  );
}

function urlSettings(url: string, root: string): DatabaseSettings | undefined {
  const parsed = parseDatabaseUrl(url, { baseDirectory: root });
  return parsed.ok ? parsed.settings : undefined;
}

async function appliedKeys(
  database: DatabaseSettings,
  onProblem: ((message: string) => void) | undefined,
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
