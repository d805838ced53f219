import { DatabaseSettings, databaseSettingsFromDjango, parseDatabaseUrl } from '../db/databaseSettings';
import { DatabaseOverride, DatabaseSource } from '../../../protocol/index';
import { EnvironmentValue, SettingValue, StaticSettings } from '../python/settingsParser';

/** One alias of a project's databases and the settings to read it with. */
export interface ConfiguredDatabase {
  readonly alias: string;
  readonly source: DatabaseSource;
  /** Absent when the connection settings cannot be known. */
  readonly settings?: DatabaseSettings;
  /** Why there are no settings (or why they may be incomplete), for the user. */
  readonly problem?: string;
}

export interface ConfiguredDatabasesInput {
  /** The project folder: relative SQLite paths are relative to it, as for `manage.py`. */
  readonly root: string;
  /** DATABASES as read statically from the settings module. */
  readonly settings?: StaticSettings;
  /** The environment the settings would be imported in (the process's, with the project's `.env`). */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** DATABASES as the project's own Django reports it, passwords included, when it was asked. */
  readonly django?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The `djangoMigrations.databases.connections` setting. */
  readonly overrides?: Readonly<Record<string, DatabaseOverride>>;
  /** A password the user stored for this project and alias (VS Code's secret storage). */
  readonly password?: (alias: string) => string | undefined;
}

/** Django ENGINE names for the short forms the setting accepts. */
const ENGINE_SHORTHANDS: Readonly<Record<string, string>> = {
  sqlite: 'django.db.backends.sqlite3',
  sqlite3: 'django.db.backends.sqlite3',
  postgres: 'django.db.backends.postgresql',
  postgresql: 'django.db.backends.postgresql',
};

/**
 * Every alias to read, in DATABASES order then the setting's own: the settings' values (the
 * project's Django's when it was asked, which is right for values built at import time), with
 * the setting's URL replacing an alias or its fields laid over it, and a stored password last.
 * Never throws: what cannot be known becomes a problem on the alias.
 */
export function configuredDatabases(input: ConfiguredDatabasesInput): ConfiguredDatabase[] {
  const bases = new Map<string, { source: DatabaseSource; config: Record<string, unknown>; problem?: string }>();
  if (input.django) {
    for (const [alias, config] of Object.entries(input.django)) bases.set(alias, { source: 'django', config: { ...config } });
  } else {
    for (const [alias, config] of Object.entries(input.settings?.databases ?? {})) {
      const resolved: Record<string, unknown> = {};
      const unset: string[] = [];
      for (const [key, value] of Object.entries(config)) {
        const result = fromEnvironment(value, input.environment);
        if ('unset' in result) unset.push(result.unset);
        else resolved[key] = result.value;
      }
      const problem = unset.length > 0 ? `reads ${unset.join(', ')} from the environment, which is not set here` : undefined;
      bases.set(alias, { source: 'settings', config: resolved, problem });
    }
  }

  const databases: ConfiguredDatabase[] = [];
  const aliases = [...bases.keys(), ...Object.keys(input.overrides ?? {}).filter((alias) => !bases.has(alias))];
  for (const alias of aliases) {
    const base = bases.get(alias);
    const override = input.overrides?.[alias];
    let configured: ConfiguredDatabase;
    if (typeof override === 'string') {
      const parsed = parseDatabaseUrl(override, { baseDirectory: input.root });
      configured = parsed.ok
        ? { alias, source: 'setting', settings: parsed.settings }
        : { alias, source: 'setting', problem: `djangoMigrations.databases.connections.${alias}: ${parsed.problem}` };
    } else if (override && typeof override === 'object') {
      const config = { ...base?.config, ...overrideFields(override) };
      configured = { alias, source: 'setting', settings: databaseSettingsFromDjango(config, { baseDirectory: input.root }) };
    } else if (base) {
      configured = {
        alias,
        source: base.source,
        settings: databaseSettingsFromDjango(base.config, { baseDirectory: input.root }),
        ...(base.problem ? { problem: base.problem } : {}),
      };
    } else {
      continue;
    }
    const password = input.password?.(alias);
    if (password && configured.settings) configured = { ...configured, settings: { ...configured.settings, password } };
    databases.push(configured);
  }
  return databases;
}

/**
 * Whether the settings leave DATABASES to be computed when Python imports them (values from the
 * environment, calls such as `dj_database_url.config()`): then the project's Django knows better.
 */
export function databasesNeedDjango(settings: StaticSettings | undefined): boolean {
  if (!settings) return true;
  const configs = Object.values(settings.databases);
  if (configs.length === 0) return true;
  if (configs.some((config) => Object.values(config).some((value) => isEnvironmentValue(value)))) return true;
  return settings.dynamic.some((entry) => entry.description.includes('DATABASES'));
}

function fromEnvironment(
  value: SettingValue | undefined,
  environment: Readonly<Record<string, string | undefined>>,
): { value: unknown } | { unset: string } {
  if (!isEnvironmentValue(value)) return { value };
  const found = environment[value.fromEnvironment];
  if (found !== undefined) return { value: found };
  if (value.default !== undefined) return { value: value.default };
  return { unset: value.fromEnvironment };
}

function isEnvironmentValue(value: SettingValue | undefined): value is EnvironmentValue {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'fromEnvironment' in value;
}

/** Django's field names in upper case; `ENGINE` may be a short form such as `postgresql`. */
function overrideFields(override: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(override)) {
    const field = key.toUpperCase();
    fields[field] = field === 'ENGINE' && typeof value === 'string' ? (ENGINE_SHORTHANDS[value.toLowerCase()] ?? value) : value;
  }
  return fields;
}
