import { LintTarget, ServerVersion, Vendor } from './lintRule';

const VENDOR_NAMES: Record<Vendor, string> = {
  postgresql: 'PostgreSQL',
  mysql: 'MySQL',
  sqlite: 'SQLite',
  oracle: 'Oracle',
  other: 'this database',
};

export function vendorName(vendor: Vendor): string {
  return VENDOR_NAMES[vendor];
}

/** `PostgreSQL 15.4`, `MariaDB 10.11`, `PostgreSQL 9.6 (assumed: the oldest version the project's Django supports; ...)`, `MySQL`. */
export function targetLabel(target: LintTarget): string {
  const name = target.mariadb ? 'MariaDB' : vendorName(target.vendor);
  if (!target.version) return name;
  const version = formatVersion(target.version);
  switch (target.versionSource) {
    case 'oldest-supported':
      return `${name} ${version} (assumed: the oldest version the project's Django supports; set the server version to be exact)`;
    case 'setting':
      return `${name} ${version} (configured server version)`;
    default:
      return `${name} ${version}`;
  }
}

export function formatVersion(version: ServerVersion): string {
  return `${version[0]}.${version[1]}`;
}

/** a < b. */
export function versionBefore(a: ServerVersion, b: ServerVersion): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** Whether a version as a MySQL-family server reports it (`10.11.6-MariaDB-0+deb12u1`) or a setting gives it is MariaDB's. */
export function isMariaDbVersion(text: string): boolean {
  return /mariadb/i.test(text);
}

/** `15`, `15.4`, `150004` (server_version_num), `8.0.36`, `10.11.6-MariaDB` -> [major, minor]; undefined when unreadable. */
export function parseServerVersion(text: string): ServerVersion | undefined {
  const trimmed = text.trim();
  if (/^\d{5,6}$/.test(trimmed)) {
    const number = Number(trimmed);
    // PostgreSQL 10+: major * 10000 + minor; 9.x: 90600 = 9.6.
    return number >= 100000 ? [Math.floor(number / 10000), number % 10000] : [Math.floor(number / 10000), Math.floor(number / 100) % 100];
  }
  const match = /^(\d+)(?:\.(\d+))?/.exec(trimmed);
  return match ? [Number(match[1]), Number(match[2] ?? 0)] : undefined;
}

/**
 * The oldest server version each Django release supports (its docs' "Supported databases"):
 * what a rule assumes when the server cannot be asked and no version is configured.
 */
export function oldestSupportedVersion(vendor: Vendor, django: ServerVersion | undefined): ServerVersion | undefined {
  const release = django ?? [3, 2];
  const at = (table: readonly [ServerVersion, ServerVersion][]) =>
    [...table].reverse().find(([since]) => !versionBefore(release, since))?.[1] ?? table[0][1];
  switch (vendor) {
    case 'postgresql':
      return at([
        [
          [3, 2],
          [9, 6],
        ],
        [
          [4, 0],
          [10, 0],
        ],
        [
          [4, 1],
          [11, 0],
        ],
        [
          [4, 2],
          [12, 0],
        ],
        [
          [5, 0],
          [12, 0],
        ],
        [
          [5, 1],
          [13, 0],
        ],
        [
          [5, 2],
          [14, 0],
        ],
      ]);
    case 'mysql':
      return at([
        [
          [3, 2],
          [5, 7],
        ],
        [
          [4, 2],
          [8, 0],
        ],
      ]);
    default:
      return undefined;
  }
}

/** Django's `connection.vendor` for an ENGINE string (wrappers keep the backend's module name). */
export function vendorOfEngine(engine: string): Vendor {
  const module = engine.trim().split('.').pop() ?? '';
  if (['postgresql', 'postgresql_psycopg2', 'postgis', 'postgresql_backend'].includes(module)) return 'postgresql';
  if (['sqlite3', 'spatialite'].includes(module)) return 'sqlite';
  if (module === 'mysql' || engine.startsWith('mysql.connector')) return 'mysql';
  if (module === 'oracle') return 'oracle';
  return 'other';
}
