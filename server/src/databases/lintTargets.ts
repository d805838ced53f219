import { LintTarget, ServerVersion } from '../core/lints/lintRule';
import { isMariaDbVersion, oldestSupportedVersion, parseServerVersion, vendorOfEngine } from '../core/lints/lintTarget';
import { LintConfiguration } from '../core/lints/lintConfiguration';
import { ConfiguredDatabase } from './configuredDatabases';

export interface LintTargetsInput {
  readonly databases: readonly ConfiguredDatabase[];
  /** The server's own version (PostgreSQL's server_version_num, MySQL's VERSION()), undefined when it cannot be asked. */
  readonly serverVersion: (database: ConfiguredDatabase) => Promise<string | undefined>;
  /** The editor setting or CLI flag: one version for every alias, or one per alias. */
  readonly versionSetting?: string | Readonly<Record<string, string>>;
  readonly configuration: LintConfiguration;
  readonly djangoVersion?: ServerVersion;
}

/**
 * The vendor and version of every configured alias: the version the server reports, else the
 * setting (editor or CLI, then pyproject.toml), else the oldest version the project's Django
 * supports. An alias whose ENGINE cannot be known is left out: no rule guesses a backend.
 */
export async function lintTargets(input: LintTargetsInput): Promise<LintTarget[]> {
  return Promise.all(
    input.databases
      .filter((database) => database.settings !== undefined)
      .map(async (database) => {
        const vendor = vendorOfEngine(database.settings!.djangoEngine);
        if (vendor === 'sqlite' || vendor === 'other') return { alias: database.alias, vendor };
        const reported = (await input.serverVersion(database)) ?? '';
        const fromServer = parseServerVersion(reported);
        if (fromServer)
          return { alias: database.alias, vendor, version: fromServer, versionSource: 'server' as const, ...flavor(reported) };
        const configured =
          configuredVersion(input.versionSetting, database.alias) ?? configuredVersion(input.configuration.serverVersion, database.alias);
        const fromSetting = configured !== undefined ? parseServerVersion(configured) : undefined;
        if (fromSetting)
          return { alias: database.alias, vendor, version: fromSetting, versionSource: 'setting' as const, ...flavor(configured!) };
        const oldest = oldestSupportedVersion(vendor, input.djangoVersion);
        return oldest
          ? { alias: database.alias, vendor, version: oldest, versionSource: 'oldest-supported' as const }
          : { alias: database.alias, vendor };
      }),
  );
}

/** MariaDB numbers its versions on its own (10.11 is not newer than MySQL 8.0): the target says so. */
function flavor(version: string): { mariadb?: true } {
  return isMariaDbVersion(version) ? { mariadb: true } : {};
}

function configuredVersion(setting: string | Readonly<Record<string, string>> | undefined, alias: string): string | undefined {
  if (setting === undefined) return undefined;
  if (typeof setting === 'string') return setting.trim() === '' ? undefined : setting;
  return setting[alias] ?? setting['*'];
}
