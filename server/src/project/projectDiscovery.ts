import * as path from 'node:path';
import { DjangoVersion } from '../core/djangoVersion';
import { Problem } from '../core/problem';
import { FILE_START } from '../core/sourceRange';
import { PythonParser } from '../python/pythonParser';
import { StaticSettings } from '../python/settingsParser';
import { guessedLabel, resolveAppConfig } from './appConfigResolver';
import { DjangoApp, DjangoProject } from './djangoProject';
import { EditedTextParser } from './editedTextParser';
import { ProjectFileSystem } from './fileSystem';
import { ModuleFinder } from './moduleFinder';
import { readProjectSettings } from './projectSettings';
import { decodeSource } from './sourceText';
import { appsFromPackages, uniqueLabels } from './packageApps';
import { parseTimeLimitProblem } from './parseTimeLimitProblem';
import { scanLimitMessage, scanLimitProblem, scanWorkspace } from './workspaceScan';

export interface DiscoveryOptions {
  readonly fileSystem: ProjectFileSystem;
  readonly parser: PythonParser;
  /** Overrides what manage.py sets. */
  readonly settingsModule?: string;
  /** `sys.path` of the project's interpreter, when known: finds apps outside the workspace. */
  readonly pythonSysPath?: readonly string[];
  /** The Django the projects run (the newest LTS when unknown): how app labels are found follows it. */
  readonly djangoVersion?: DjangoVersion;
  /** Told when the search stopped at its cap without finding any project: there is no project to say it on. */
  readonly onScanLimit?: (message: string) => void;
  /** The search's cap of files and folders (`MAX_SCANNED_ENTRIES` unless said). */
  readonly maxScannedEntries?: number;
}

export interface DiscoveredProject {
  readonly project: DjangoProject;
  readonly settings?: StaticSettings;
}

/**
 * The Django projects of a workspace folder: one per manage.py (a project nested in another, such
 * as `examples/demo/`, is a project of its own), with its apps read from the settings it names.
 * With no manage.py but an explicit settings module, the folder itself is the project.
 * Migrations packages outside every project form one more project of reusable apps, in which
 * every app we cannot see is external.
 */
export async function discoverProjects(workspace: string, options: DiscoveryOptions): Promise<DiscoveredProject[]> {
  const scan = await scanWorkspace(options.fileSystem, workspace, options.pythonSysPath, options.maxScannedEntries);
  const projects: DiscoveredProject[] = [];
  const covered = new Set<string>();
  const roots = scan.managePyFiles.map((managePy) => path.dirname(managePy));
  // manage.py, settings and app configs parse here within a slice, else on a worker: never a stall.
  const reading = new EditedTextParser(options.parser.limitMs);
  const entries: [root: string, managePy?: string][] = scan.managePyFiles.map((managePy) => [path.dirname(managePy), managePy]);
  if (entries.length === 0 && options.settingsModule) entries.push([workspace]);
  for (const [root, managePy] of entries) {
    const nested = roots.filter((other) => other !== root && isInside(other, root));
    const discovered = await discoverManagedProject(root, managePy, workspace, nested, options, reading);
    projects.push(discovered);
    for (const app of discovered.project.apps) if (app.migrationsDirectory) covered.add(app.migrationsDirectory);
  }
  const loose = scan.migrationPackages.filter(
    (directory) =>
      !covered.has(directory) && !projects.some(({ project }) => isInside(directory, project.root) && !project.externalApps.has('*')),
  );
  if (loose.length > 0) projects.push({ project: await reusableAppsProject(workspace, loose, options, reading) });
  if (scan.limitReached && projects.length > 0) {
    const [first] = projects;
    const problem = scanLimitProblem(first.project.managePy ?? first.project.root);
    projects[0] = { ...first, project: { ...first.project, problems: [...first.project.problems, problem] } };
  } else if (scan.limitReached) {
    options.onScanLimit?.(scanLimitMessage(workspace, options.maxScannedEntries));
  }
  return projects;
}

async function discoverManagedProject(
  root: string,
  managePy: string | undefined,
  workspace: string,
  nestedProjects: readonly string[],
  options: DiscoveryOptions,
  reading: EditedTextParser,
): Promise<DiscoveredProject> {
  const { fileSystem, parser } = options;
  const problems: Problem[] = [];
  const manageText = managePy ? decodeSource((await fileSystem.readFile(managePy)) ?? new Uint8Array()).text : '';
  const configurationFile = managePy ?? root;
  let settingsModule = options.settingsModule;
  let manageUnread = false;
  const manage = settingsModule ? undefined : await reading.readFile('manage', parser, { file: configurationFile }, manageText);
  if (manage && 'overTimeLimit' in manage) {
    manageUnread = true;
    problems.push(
      parseTimeLimitProblem(
        configurationFile,
        manage.overTimeLimit,
        'its DJANGO_SETTINGS_MODULE is not read (set djangoMigrations.settings.module).',
      ),
    );
  } else settingsModule ||= manage?.settingsModule;
  const roots = unique([root, workspace, ...(options.pythonSysPath ?? [])]);
  const finder = new ModuleFinder(fileSystem, roots);

  const settings = settingsModule ? await readProjectSettings(settingsModule, finder, parser, fileSystem, reading) : undefined;
  for (const { path: file, message } of settings?.overTimeLimit ?? []) {
    problems.push(parseTimeLimitProblem(file, message, 'the settings it assigns (INSTALLED_APPS, DATABASES, ...) are not read.'));
  }
  const appOptions = { djangoVersion: options.djangoVersion, problems, reading };
  if (!settingsModule && !manageUnread) {
    problems.push(
      discoveryProblem(
        configurationFile,
        'manage.py does not set DJANGO_SETTINGS_MODULE: set djangoMigrations.settings.module to read INSTALLED_APPS.',
      ),
    );
  } else if (!settings) {
    problems.push(
      discoveryProblem(
        configurationFile,
        `The settings module ${settingsModule} was not found; every app with a migrations package is used instead.`,
      ),
    );
  }

  const apps: DjangoApp[] = [];
  const externalApps = new Set<string>();
  const installed = settings?.installedApps;
  if (!installed || settings.installedAppsDynamic) externalApps.add('*');
  // Resolved side by side (each is a few file look-ups), kept in INSTALLED_APPS order.
  const resolvedApps = await Promise.all(
    (installed ?? []).map(async (entry) => {
      const resolved = await resolveAppConfig(entry.value, finder, parser, fileSystem, appOptions);
      if (!resolved?.module || resolved.module.kind !== 'package')
        return { app: undefined, external: resolved?.label ?? guessedLabel(entry.value) };
      const explicit = settings!.migrationModules.has(resolved.label);
      const migrationsModule = explicit ? settings!.migrationModules.get(resolved.label)! : `${resolved.name}.migrations`;
      const migrations = migrationsModule ? await finder.find(migrationsModule) : undefined;
      if (explicit && migrationsModule && !migrations) {
        problems.push(
          await missingMigrationModule(resolved.label, migrationsModule, finder, settings!, options.pythonSysPath !== undefined),
        );
      }
      const app: DjangoApp = {
        label: resolved.label,
        name: resolved.name,
        directory: resolved.module.directory,
        migrationsModule,
        migrationsDirectory: migrations?.kind === 'package' ? migrations.directory : undefined,
        external: !isInside(resolved.module.directory, workspace),
      };
      return { app, external: undefined };
    }),
  );
  for (const { app, external } of resolvedApps) {
    if (app) apps.push(app);
    if (external) externalApps.add(external);
  }
  if (!installed) {
    const packages = (await scanWorkspace(fileSystem, root, options.pythonSysPath)).migrationPackages;
    const found = await appsFromPackages(
      packages.filter((p) => !nestedProjects.some((nested) => isInside(p, nested))),
      fileSystem,
      parser,
      roots,
      appOptions,
    );
    apps.push(...found.apps);
    problems.push(...found.problems);
  }

  const duplicates = apps.map((app) => app.label).filter((label, index, labels) => labels.indexOf(label) !== index);
  // Django's own error, where INSTALLED_APPS is; apps guessed from packages are only noted one by one.
  if (duplicates.length > 0 && settings && installed) {
    const location = settings.locations.INSTALLED_APPS;
    problems.push({
      code: 'project-configuration',
      severity: 'error',
      message: `ImproperlyConfigured: Application labels aren't unique, duplicates: ${unique(duplicates).join(', ')}`,
      file: location?.path ?? settings.file,
      range: location?.range ?? FILE_START,
    });
  }
  const labelled = uniqueLabels(apps);
  problems.push(...labelled.problems);
  return {
    project: {
      root,
      managePy,
      settingsModule,
      settingsFile: settings?.file,
      apps: labelled.apps,
      externalApps,
      swappableSettings: swappableSettings(settings),
      importRoots: roots,
      problems,
    },
    settings,
  };
}

/**
 * `MIGRATION_MODULES` naming a module that does not exist: Django's loader raises
 * ModuleNotFoundError (only `makemigrations` passes over it). Certain when the module's parent
 * package was found, or the interpreter's `sys.path` was searched; else it may live in an
 * environment we cannot see, and is a warning.
 */
async function missingMigrationModule(
  label: string,
  module: string,
  finder: ModuleFinder,
  settings: StaticSettings,
  sysPathSearched: boolean,
): Promise<Problem> {
  const dot = module.lastIndexOf('.');
  const parent = dot > 0 ? await finder.find(module.slice(0, dot)) : undefined;
  const location = settings.locations.MIGRATION_MODULES;
  const severity = parent?.kind === 'package' || sysPathSearched ? 'error' : 'warning';
  return {
    code: 'project-configuration',
    severity,
    message: `MIGRATION_MODULES['${label}'] names ${module}, which does not exist: Django's loader raises ModuleNotFoundError: No module named '${module}' (migrate, showmigrations).`,
    file: location?.path ?? settings.file,
    range: location?.range ?? FILE_START,
  };
}

/** Without settings, every package holding a migrations package is an app. */
async function reusableAppsProject(
  workspace: string,
  migrationPackages: readonly string[],
  options: DiscoveryOptions,
  reading: EditedTextParser,
): Promise<DjangoProject> {
  const roots = [workspace, ...(options.pythonSysPath ?? [])];
  const { apps, problems } = await appsFromPackages(migrationPackages, options.fileSystem, options.parser, roots, {
    djangoVersion: options.djangoVersion,
    reading,
  });
  return {
    root: workspace,
    apps,
    externalApps: new Set(['*']),
    // No settings: which user model the project installs is unknown, not `auth.User`.
    swappableSettings: new Map(),
    importRoots: roots,
    problems,
  };
}

/**
 * What Django would use for AUTH_USER_MODEL: the settings' literal, or Django's global default
 * `auth.User` when settings were read and do not set it. Unknown (absent) when no settings were
 * read or its value is only known when Python runs.
 */
function swappableSettings(settings: StaticSettings | undefined): Map<string, string> {
  if (!settings || settings.authUserModelDynamic) return new Map();
  return new Map([['AUTH_USER_MODEL', settings.authUserModel ?? 'auth.User']]);
}

function discoveryProblem(file: string, message: string, severity: Problem['severity'] = 'warning'): Problem {
  return { code: 'project-configuration', severity, message, file, range: FILE_START };
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
