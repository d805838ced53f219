import { InterpreterWatch, ModuleInterpreter, ModuleSource, ReadModule, Scope } from './moduleInterpreter';
import { PythonParser } from './pythonParser';
import { SourceLocation, StaticValue } from './staticEvaluator';

/** A literal Python value in JSON form: None is null, tuples are arrays. */
export type SettingLiteral = string | number | boolean | null | readonly SettingLiteral[] | { readonly [key: string]: SettingLiteral };

/** A value read from the environment when the settings are imported; resolved by another layer. */
export interface EnvironmentValue {
  readonly fromEnvironment: string;
  /** What Python uses when the variable is unset; absent for `os.environ['X']` (KeyError). */
  readonly default?: SettingLiteral;
}

export type SettingValue = SettingLiteral | EnvironmentValue;

export interface InstalledAppEntry {
  /** The entry as written: an app module (`shop`) or an AppConfig path (`shop.apps.ShopConfig`). */
  readonly value: string;
  readonly location: SourceLocation;
}

/** The literal keys of one `DATABASES` alias, keyed as Django keys them. */
export type DatabaseConfig = Readonly<Partial<Record<DatabaseKey, SettingValue>>>;
export type DatabaseKey = 'ENGINE' | 'NAME' | 'USER' | 'PASSWORD' | 'HOST' | 'PORT' | 'OPTIONS';

/** A setting, or part of one, whose value needs Python to run. */
export interface DynamicSetting {
  readonly location: SourceLocation;
  readonly description: string;
}

export type TrackedSetting = 'INSTALLED_APPS' | 'MIGRATION_MODULES' | 'AUTH_USER_MODEL' | 'DATABASES';

/** What a Django settings module (and the modules it star-imports) says, read statically. */
export interface StaticSettings {
  /** The settings module's file. */
  readonly file: string;
  /** Undefined when no module assigns INSTALLED_APPS. Entries that are not literal are in `dynamic`. */
  readonly installedApps?: readonly InstalledAppEntry[];
  /** Some part of INSTALLED_APPS is only known when Python runs: the list may be incomplete. */
  readonly installedAppsDynamic: boolean;
  /** App label to migrations module; null disables an app's migrations. */
  readonly migrationModules: ReadonlyMap<string, string | null>;
  /** Undefined when not set (Django's default is `auth.User`) or not literal. */
  readonly authUserModel?: string;
  /** AUTH_USER_MODEL is only known when Python runs (not a literal, or set by a module we could not read). */
  readonly authUserModelDynamic?: boolean;
  /** By alias. SQLite names computed from `__file__` are absolute paths. */
  readonly databases: Readonly<Record<string, DatabaseConfig>>;
  /** Where each setting was last assigned. */
  readonly locations: Readonly<Partial<Record<TrackedSetting, SourceLocation>>>;
  readonly dynamic: readonly DynamicSetting[];
  readonly syntaxErrors: readonly SourceLocation[];
  /** Modules whose parse ran past the time limit: what they assign is unknown, so every tracked setting is. */
  readonly overTimeLimit: readonly { readonly path: string; readonly message: string }[];
  /** Every file read, the settings module first. */
  readonly files: readonly string[];
}

const TRACKED_SETTINGS: readonly TrackedSetting[] = ['INSTALLED_APPS', 'MIGRATION_MODULES', 'AUTH_USER_MODEL', 'DATABASES'];
const TRACKED: ReadonlySet<string> = new Set(TRACKED_SETTINGS);
const DATABASE_KEYS: readonly DatabaseKey[] = ['ENGINE', 'NAME', 'USER', 'PASSWORD', 'HOST', 'PORT', 'OPTIONS'];
const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * Reads a settings module statically, following `from ... import *` (and named imports) through
 * `readModule` in Python's order. Never touches the file system itself and never throws.
 */
export function parseSettings(parser: PythonParser, source: ModuleSource, readModule: ReadModule): StaticSettings {
  const extractor = new SettingsExtractor();
  const interpreter = new ModuleInterpreter(parser, readModule, extractor);
  const scope = interpreter.execute(source);
  return extractor.result(scope, interpreter);
}

/** Follows the tracked settings while the modules run, then reads them from the final scope. */
class SettingsExtractor implements InterpreterWatch {
  readonly watched: ReadonlySet<string> = TRACKED;
  private readonly dynamicSettings: DynamicSetting[] = [];
  private readonly locations: Partial<Record<TrackedSetting, SourceLocation>> = {};
  private readonly incomplete = new Set<TrackedSetting>();

  /** Settings are UPPER_CASE; `from pathlib import Path` needs no reading. */
  follows(name: string): boolean {
    return SETTING_NAME.test(name);
  }

  assigned(name: string, location: SourceLocation): void {
    if (TRACKED.has(name)) this.locations[name as TrackedSetting] = location;
  }

  /** Records a dynamic construct; `settings` are the tracked settings it leaves incomplete. */
  dynamic(location: SourceLocation, description: string, settings: readonly string[]): void {
    this.dynamicSettings.push({ location, description });
    for (const setting of settings) this.incomplete.add(setting as TrackedSetting);
  }

  result(scope: Scope, interpreter: ModuleInterpreter): StaticSettings {
    const installedApps = this.installedApps(scope.get('INSTALLED_APPS'));
    const migrationModules = this.migrationModules(scope.get('MIGRATION_MODULES'));
    const authUserModel = this.authUserModel(scope.get('AUTH_USER_MODEL'));
    const databases = this.databases(scope.get('DATABASES'));
    return {
      file: interpreter.files[0],
      installedApps,
      installedAppsDynamic: this.incomplete.has('INSTALLED_APPS'),
      migrationModules,
      ...(authUserModel !== undefined ? { authUserModel } : {}),
      ...(this.incomplete.has('AUTH_USER_MODEL') ? { authUserModelDynamic: true } : {}),
      databases,
      locations: this.locations,
      dynamic: this.dynamicSettings,
      syntaxErrors: interpreter.syntaxErrors,
      overTimeLimit: interpreter.overTimeLimit,
      files: interpreter.files,
    };
  }

  private installedApps(value: StaticValue | undefined): InstalledAppEntry[] | undefined {
    if (!value) return undefined;
    if (value.kind !== 'list') {
      this.notLiteral('INSTALLED_APPS', '`INSTALLED_APPS`', value, 'is not a list of strings');
      return value.kind === 'unknown' ? undefined : [];
    }
    const entries: InstalledAppEntry[] = [];
    for (const item of value.items) {
      if (item.kind === 'str' && item.location) entries.push({ value: item.value, location: item.location });
      else this.notLiteral('INSTALLED_APPS', 'an `INSTALLED_APPS` entry', item, 'is not a literal string');
    }
    return entries;
  }

  private migrationModules(value: StaticValue | undefined): Map<string, string | null> {
    const modules = new Map<string, string | null>();
    if (!value) return modules;
    if (value.kind !== 'dict') {
      this.notLiteral('MIGRATION_MODULES', '`MIGRATION_MODULES`', value, 'is not a dict of strings');
      return modules;
    }
    for (const [label, module] of value.entries) {
      if (module.kind === 'str') modules.set(label, module.value);
      else if (module.kind === 'none') modules.set(label, null);
      else this.notLiteral('MIGRATION_MODULES', `\`MIGRATION_MODULES['${label}']\``, module, 'is not a string or None');
    }
    return modules;
  }

  private authUserModel(value: StaticValue | undefined): string | undefined {
    if (!value) return undefined;
    if (value.kind === 'str') return value.value;
    this.notLiteral('AUTH_USER_MODEL', '`AUTH_USER_MODEL`', value, 'is not a literal string');
    return undefined;
  }

  private databases(value: StaticValue | undefined): Record<string, DatabaseConfig> {
    const databases: Record<string, DatabaseConfig> = {};
    if (!value) return databases;
    if (value.kind !== 'dict') {
      this.notLiteral('DATABASES', '`DATABASES`', value, 'is not a dict');
      return databases;
    }
    for (const [alias, config] of value.entries) {
      if (config.kind !== 'dict') {
        this.notLiteral('DATABASES', `\`DATABASES['${alias}']\``, config, 'is not a dict');
        continue;
      }
      const fields: Partial<Record<DatabaseKey, SettingValue>> = {};
      for (const key of DATABASE_KEYS) {
        const field = config.entries.get(key);
        if (!field) continue;
        const converted = settingValue(field);
        if (converted !== undefined) fields[key] = converted;
        else this.notLiteral('DATABASES', `\`DATABASES['${alias}']['${key}']\``, field, 'is not a literal');
      }
      databases[alias] = fields;
    }
    return databases;
  }

  /**
   * Records why `value`, part of `setting` named in messages as `subject`, cannot be read: at the
   * expression Python would have to run, else where the setting was assigned.
   */
  private notLiteral(setting: TrackedSetting, subject: string, value: StaticValue, description: string): void {
    const unknown = firstUnknownIn(value);
    if (unknown?.kind === 'unknown') {
      this.dynamic(unknown.location, `${subject} ${unknown.description}`, [setting]);
      return;
    }
    const location = (value.kind === 'str' && value.location) || this.locations[setting];
    if (location) this.dynamic(location, `${subject} ${description}`, [setting]);
  }
}

function settingValue(value: StaticValue): SettingValue | undefined {
  if (value.kind === 'environment') {
    const fallback = value.default && literalValue(value.default);
    return fallback === undefined ? { fromEnvironment: value.variable } : { fromEnvironment: value.variable, default: fallback };
  }
  return literalValue(value);
}

function literalValue(value: StaticValue): SettingLiteral | undefined {
  switch (value.kind) {
    case 'str':
    case 'path':
    case 'number':
    case 'bool':
      return value.value;
    case 'none':
      return null;
    case 'list': {
      const items = value.items.map(literalValue);
      return items.every((item) => item !== undefined) ? (items as SettingLiteral[]) : undefined;
    }
    case 'dict': {
      const object: Record<string, SettingLiteral> = {};
      for (const [key, entry] of value.entries) {
        const converted = literalValue(entry);
        if (converted === undefined) return undefined;
        object[key] = converted;
      }
      return object;
    }
    default:
      return undefined;
  }
}

function firstUnknownIn(value: StaticValue): StaticValue | undefined {
  if (value.kind === 'unknown') return value;
  if (value.kind === 'list') return value.items.map(firstUnknownIn).find((found) => found !== undefined);
  if (value.kind === 'dict') return [...value.entries.values()].map(firstUnknownIn).find((found) => found !== undefined);
  if (value.kind === 'environment' && value.default) return firstUnknownIn(value.default);
  return undefined;
}
