import { DatabaseOverride } from '../../../protocol/index';

/** The setting that names the databases to read, by `DATABASES` alias. */
export const CONNECTIONS_SETTING = 'djangoMigrations.databases.connections';
/** Its former name, still read (with a warning) until users move their aliases. */
export const LEGACY_CONNECTIONS_SETTING = 'djangoMigrations.databases';

/** Settings below `djangoMigrations.databases` that VS Code merges into the former setting's value. */
const NESTED_SETTINGS = new Set(['connections', 'refreshInterval', 'defaultAlias']);

export interface DatabaseConnections {
  readonly connections: Record<string, DatabaseOverride>;
  /** Aliases read from the former setting: the user is told to move them. */
  readonly legacyAliases: readonly string[];
}

/**
 * The aliases of `djangoMigrations.databases.connections`, with those still written under the
 * former `djangoMigrations.databases` (whose value VS Code also fills with the nested settings)
 * where the new setting does not name them.
 */
export function databaseConnections(connections: unknown, legacy: unknown): DatabaseConnections {
  const result: Record<string, DatabaseOverride> = {};
  const legacyAliases: string[] = [];
  for (const [alias, value] of entries(legacy)) {
    if (NESTED_SETTINGS.has(alias) || !isOverride(value)) continue;
    result[alias] = value;
    legacyAliases.push(alias);
  }
  for (const [alias, value] of entries(connections)) {
    if (!isOverride(value)) continue;
    result[alias] = value;
    const moved = legacyAliases.indexOf(alias);
    if (moved >= 0) legacyAliases.splice(moved, 1);
  }
  return { connections: result, legacyAliases };
}

/** The one-time warning for aliases still under the former setting. */
export function legacyConnectionsWarning(legacyAliases: readonly string[]): string | undefined {
  if (legacyAliases.length === 0) return undefined;
  const names = legacyAliases.map((alias) => `'${alias}'`).join(', ');
  return (
    `Django Migrations: the \`${LEGACY_CONNECTIONS_SETTING}\` setting is deprecated; move its ` +
    `${legacyAliases.length === 1 ? 'alias' : 'aliases'} ${names} to \`${CONNECTIONS_SETTING}\` (same format).`
  );
}

function entries(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}

function isOverride(value: unknown): value is DatabaseOverride {
  return typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value));
}
