import * as path from 'node:path';
import { Problem } from '../core/problem';
import { FILE_START } from '../core/sourceRange';
import { PythonParser } from '../python/pythonParser';
import { AppConfigOptions, resolveAppConfig } from './appConfigResolver';
import { DjangoApp } from './djangoProject';
import { EditedTextParser } from './editedTextParser';
import { ProjectFileSystem } from './fileSystem';
import { ModuleFinder } from './moduleFinder';
import { parseTimeLimitProblem } from './parseTimeLimitProblem';
import { decodeSource } from './sourceText';

export interface PackageApps {
  readonly apps: DjangoApp[];
  readonly problems: Problem[];
}

/**
 * Without INSTALLED_APPS, every package holding a migrations package is taken as an app, named
 * by its full dotted path (the folders above it with `__init__.py`) and labelled as
 * `AppConfig.create()` would label it: its `apps.py`, its `default_app_config` resolved from the
 * import roots, or else the one AppConfig its `__init__.py` defines (how such an app is listed).
 */
export async function appsFromPackages(
  migrationPackages: readonly string[],
  fileSystem: ProjectFileSystem,
  parser: PythonParser,
  importRoots: readonly string[],
  options: AppConfigOptions = {},
): Promise<PackageApps> {
  const finders = new Map<string, ModuleFinder>();
  const apps: DjangoApp[] = [];
  const problems: Problem[] = [];
  const reading = options.reading ?? new EditedTextParser(parser.limitMs);
  for (const migrationsDirectory of migrationPackages) {
    const directory = path.dirname(migrationsDirectory);
    const { root, name } = await dottedPackage(fileSystem, directory);
    let finder = finders.get(root);
    if (!finder) finders.set(root, (finder = new ModuleFinder(fileSystem, [...new Set([root, ...importRoots])])));
    const resolved = await resolveAppConfig(name, finder, parser, fileSystem, { ...options, reading, problems });
    const initConfig =
      resolved && resolved.name === name && !(await fileSystem.isFile(path.join(directory, 'apps.py')))
        ? await soleInitConfig(fileSystem, parser, reading, directory, problems)
        : undefined;
    const appName = initConfig?.name ?? resolved?.name ?? name;
    const label = initConfig?.label ?? resolved?.label ?? name.slice(name.lastIndexOf('.') + 1);
    apps.push({ label, name: appName, directory, migrationsModule: `${name}.migrations`, migrationsDirectory, external: false });
  }
  const labelled = uniqueLabels(apps);
  // A module read twice (its `default_app_config`, then its own classes) is reported once.
  const once = problems.filter((problem, index) => problems.findIndex((other) => other.file === problem.file) === index);
  return { apps: labelled.apps, problems: [...once, ...labelled.problems] };
}

/**
 * Django refuses two apps with one label (ImproperlyConfigured: "Application labels aren't
 * unique"). The first stays so the rest of the project still works; each other one is named
 * where its migrations are, never dropped in silence.
 */
export function uniqueLabels(apps: readonly DjangoApp[]): PackageApps {
  const kept = new Map<string, DjangoApp>();
  const problems: Problem[] = [];
  for (const app of apps) {
    const first = kept.get(app.label);
    if (!first) {
      kept.set(app.label, app);
      continue;
    }
    problems.push({
      code: 'project-configuration',
      severity: 'warning',
      message:
        `Not analysed: app ${app.name} has the label '${app.label}', as ${first.name} does. Django refuses two installed apps with one ` +
        `label (ImproperlyConfigured: Application labels aren't unique), so only ${first.name}'s migrations are read under it.`,
      file: app.migrationsDirectory ? path.join(app.migrationsDirectory, '__init__.py') : (app.directory ?? ''),
      range: FILE_START,
    });
  }
  return { apps: [...kept.values()], problems };
}

/** The package's dotted name, from the highest folder above it that still has `__init__.py`. */
async function dottedPackage(fileSystem: ProjectFileSystem, directory: string): Promise<{ root: string; name: string }> {
  const parts = [path.basename(directory)];
  let root = path.dirname(directory);
  while (
    root !== path.dirname(root) &&
    (await fileSystem.isFile(path.join(root, '__init__.py'))) &&
    /^[A-Za-z_]\w*$/.test(path.basename(root))
  ) {
    parts.unshift(path.basename(root));
    root = path.dirname(root);
  }
  return { root, name: parts.join('.') };
}

/** The single AppConfig subclass an app's `__init__.py` defines, with its name and label. */
async function soleInitConfig(
  fileSystem: ProjectFileSystem,
  parser: PythonParser,
  reading: EditedTextParser,
  directory: string,
  problems: Problem[],
): Promise<{ name?: string; label?: string } | undefined> {
  const file = path.join(directory, '__init__.py');
  const bytes = await fileSystem.readFile(file);
  const module = bytes ? await reading.readFile('appConfigs', parser, { file }, decodeSource(bytes).text) : undefined;
  if (module?.overTimeLimit) {
    problems.push(
      parseTimeLimitProblem(file, module.overTimeLimit, 'the AppConfig classes of this file are not read, so its label may differ.'),
    );
  }
  const configs = module?.configs ?? [];
  return configs.length === 1 ? configs[0] : undefined;
}
