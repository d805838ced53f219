import { djangoAtLeast, DjangoVersion, NEWEST_LTS } from '../core/djangoVersion';
import { Problem } from '../core/problem';
import { PythonParser } from '../python/pythonParser';
import { EditedTextParser } from './editedTextParser';
import { ProjectFileSystem } from './fileSystem';
import { FoundModule, ModuleFinder } from './moduleFinder';
import { parseTimeLimitProblem } from './parseTimeLimitProblem';
import { decodeSource } from './sourceText';

/** An INSTALLED_APPS entry resolved as Django 3.2's `AppConfig.create()` would resolve it. */
export interface ResolvedAppConfig {
  readonly label: string;
  readonly name: string;
  readonly module?: FoundModule;
}

export interface AppConfigOptions {
  /** The Django the project runs: `default_app_config` counts before 4.1 only. */
  readonly djangoVersion?: DjangoVersion;
  /** Receives what could not be read (a module whose parse ran past the time limit). */
  readonly problems?: Problem[];
  /** Parses apps.py and __init__.py off the server's thread when a slice is not enough (one per discovery). */
  readonly reading?: EditedTextParser;
}

/**
 * Django's `AppConfig.create(entry)`, read statically: an app module uses the single AppConfig
 * subclass of its `apps.py` (or the one marked `default = True`), or, before Django 4.1, the one
 * named by `default_app_config`; a dotted path to a class uses that class. The label is the
 * class's `label`, else the last part of the app's name.
 */
export async function resolveAppConfig(
  entry: string,
  finder: ModuleFinder,
  parser: PythonParser,
  fileSystem: ProjectFileSystem,
  options: AppConfigOptions = {},
): Promise<ResolvedAppConfig | undefined> {
  const reading = options.reading ?? new EditedTextParser(parser.limitMs);
  const readConfigs = async (file: string) => {
    const bytes = await fileSystem.readFile(file);
    const module = bytes ? await reading.readFile('appConfigs', parser, { file }, decodeSource(bytes).text) : undefined;
    if (module?.overTimeLimit) {
      options.problems?.push(
        parseTimeLimitProblem(
          file,
          module.overTimeLimit,
          `the AppConfig classes of this file are not read, so the label of ${entry} may differ.`,
        ),
      );
    }
    return module;
  };
  // Removed in 4.1: from then on only the AppConfig classes of `apps.py` count.
  const followsDefaultAppConfig = !djangoAtLeast(options.djangoVersion ?? NEWEST_LTS, 4, 1);

  const appModule = await finder.find(entry);
  if (appModule) {
    let configEntry: string | undefined;
    let chosen: { name?: string; label?: string } | undefined;
    if (appModule.kind === 'package') {
      const apps = await finder.find(`${entry}.apps`);
      if (apps?.kind === 'module') {
        const module = await readConfigs(apps.file);
        const candidates = (module?.configs ?? []).filter((config) => config.default !== false);
        const explicit = candidates.filter((config) => config.default === true);
        chosen = candidates.length === 1 ? candidates[0] : explicit.length === 1 ? explicit[0] : undefined;
      }
      // default_app_config is deprecated in 3.2 but still takes over the automatic choice.
      const init = followsDefaultAppConfig && appModule.initFile ? await readConfigs(appModule.initFile) : undefined;
      if (init?.defaultAppConfig) configEntry = init.defaultAppConfig;
    }
    if (!configEntry) {
      const name = chosen?.name ?? entry;
      return { name, label: chosen?.label ?? lastPart(name), module: chosen?.name ? await finder.find(chosen.name) : appModule };
    }
    entry = configEntry;
  }

  // A dotted path to an AppConfig subclass.
  const dot = entry.lastIndexOf('.');
  if (dot < 0) return undefined;
  const classModule = await finder.find(entry.slice(0, dot));
  if (classModule?.kind !== 'module' && !(classModule?.kind === 'package' && classModule.initFile)) return undefined;
  const file = classModule.kind === 'module' ? classModule.file : classModule.initFile!;
  const config = (await readConfigs(file))?.configs.find((c) => c.className === entry.slice(dot + 1));
  if (!config?.name) return undefined;
  return { name: config.name, label: config.label ?? lastPart(config.name), module: await finder.find(config.name) };
}

/** The label Django gives an app it cannot see into: the last part of its module path. */
export function guessedLabel(entry: string): string {
  const parts = entry.split('.');
  // `shop.apps.ShopConfig` names a class; the app is the module before `apps`.
  if (parts.length >= 3 && /^[A-Z]/.test(parts[parts.length - 1]) && parts[parts.length - 2] === 'apps') {
    return parts[parts.length - 3];
  }
  return parts[parts.length - 1];
}

function lastPart(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
