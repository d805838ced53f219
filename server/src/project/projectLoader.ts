import { DjangoVersion, NEWEST_LTS, parseDjangoVersion } from '../core/djangoVersion';
import { probePythonEnvironment } from '../django/pythonSysPath';
import { loadPythonParser } from '../python/pythonParser';
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
  /**
   * The Django release when the interpreter cannot say (untrusted workspace, no Django found):
   * the `djangoMigrations.django.version` setting or the CLI's `--django-version`.
   */
  readonly djangoVersion?: DjangoVersion;
  /** Folder for the cache of parsed migrations (the editor's storage; the CLI's --cache-dir). */
  readonly cacheDirectory?: string;
  /** Told when the search for projects stopped at its cap of files without finding one. */
  readonly onScanLimit?: (message: string) => void;
  /** Told the projects of the folder once they are found, before their migrations are read. */
  readonly onDiscovered?: (projects: readonly MigrationProject[]) => void;
  /**
   * Given the write of each project's parse cache, once read: it encodes thousands of parsed
   * migrations on this thread, which the server puts off until its first diagnostics are out.
   * Without it, the cache is written at once.
   */
  readonly keepParseCache?: (save: () => Promise<void>) => void;
}

/** Discovers, reads and parses every Django project below a folder; what is applied is read elsewhere. */
export async function loadProjects(folder: string, options: LoadOptions): Promise<MigrationProject[]> {
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  const parser = await loadPythonParser();
  const probe = options.trusted && options.pythonPath ? await probePythonEnvironment(options.pythonPath, folder) : undefined;
  const sysPath = probe?.sysPath;
  const knownVersion = parseDjangoVersion(probe?.djangoVersion) ?? options.djangoVersion;
  const discovered = await discoverProjects(folder, {
    fileSystem,
    parser,
    settingsModule: options.settingsModule,
    pythonSysPath: sysPath,
    djangoVersion: knownVersion ?? NEWEST_LTS,
    onScanLimit: options.onScanLimit,
  });
  const projects = discovered.map(
    ({ project, settings }) =>
      new MigrationProject(project, parser, fileSystem, settings, knownVersion ?? NEWEST_LTS, knownVersion === undefined),
  );
  options.onDiscovered?.(projects);
  return Promise.all(
    projects.map(async (migrationProject) => {
      const project = migrationProject.project;
      const cache = options.cacheDirectory ? await ParseCache.open(options.cacheDirectory, project.root) : undefined;
      await migrationProject.load(cache);
      // Nothing waits for the write, and a failed one only costs a parse.
      if (cache) {
        if (options.keepParseCache) options.keepParseCache(() => cache.save());
        else void cache.save();
      }
      return migrationProject;
    }),
  );
}
