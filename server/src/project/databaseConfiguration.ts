import { DatabaseSettings, databaseSettingsFromDjango } from '../db/databaseSettings';
import { SettingValue, StaticSettings } from '../python/settingsParser';

/**
 * One alias of the settings' DATABASES as connection settings, with values the settings read
 * from the environment taken from `environment`. Undefined when the alias is not there.
 */
export function databaseSettingsOf(
  settings: StaticSettings,
  alias: string,
  root: string,
  environment: NodeJS.ProcessEnv = process.env,
): DatabaseSettings | undefined {
  const config = settings.databases[alias];
  if (!config) return undefined;
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) resolved[key] = resolve(value, environment);
  return databaseSettingsFromDjango(resolved, { baseDirectory: root });
}

function resolve(value: SettingValue | undefined, environment: NodeJS.ProcessEnv): unknown {
  if (value !== null && typeof value === 'object' && 'fromEnvironment' in value) {
    const variable = value.fromEnvironment as string;
    return environment[variable] ?? value.default;
  }
  return value;
}
