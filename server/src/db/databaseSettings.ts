import * as path from 'node:path';

/** The database kinds this layer can read; every other Django backend is `other`. */
export type DatabaseEngine = 'sqlite' | 'postgresql' | 'other';

/** Scalar values of a Django `OPTIONS` dict (nested values are irrelevant to reading). */
export type DatabaseOptionValue = string | number | boolean;

/** The connection settings of one entry of Django's `DATABASES`. */
export interface DatabaseSettings {
  readonly engine: DatabaseEngine;
  /** Django's `ENGINE`, kept so messages can name a backend this layer does not read. */
  readonly djangoEngine: string;
  /** `NAME`: the database name, or for SQLite the file path (`:memory:` for an in-memory one). */
  readonly name: string;
  readonly user?: string;
  readonly password?: string;
  /** A host name, an IP address, or (PostgreSQL) the directory of a Unix socket. */
  readonly host?: string;
  readonly port?: number;
  readonly options: Readonly<Record<string, DatabaseOptionValue>>;
}

export type DatabaseUrlResult =
  { readonly ok: true; readonly settings: DatabaseSettings } | { readonly ok: false; readonly problem: string };

export interface SettingsPathOptions {
  /** Directory that a relative SQLite path is relative to (where `manage.py` runs). */
  readonly baseDirectory?: string;
}

export const SQLITE_IN_MEMORY = ':memory:';

/** Last module name of a backend's ENGINE; wrappers such as django-prometheus keep it. */
const ENGINE_BY_BACKEND_MODULE: Readonly<Record<string, DatabaseEngine>> = {
  sqlite3: 'sqlite',
  spatialite: 'sqlite',
  postgresql: 'postgresql',
  postgresql_psycopg2: 'postgresql',
  postgis: 'postgresql',
  postgresql_backend: 'postgresql',
};

/** URL schemes as dj-database-url maps them to Django backends. */
const DJANGO_ENGINE_BY_URL_SCHEME: Readonly<Record<string, string>> = {
  postgres: 'django.db.backends.postgresql',
  postgresql: 'django.db.backends.postgresql',
  pgsql: 'django.db.backends.postgresql',
  postgis: 'django.contrib.gis.db.backends.postgis',
  timescale: 'timescale.db.backends.postgresql',
  timescalegis: 'timescale.db.backends.postgis',
  sqlite: 'django.db.backends.sqlite3',
  spatialite: 'django.contrib.gis.db.backends.spatialite',
  mysql: 'django.db.backends.mysql',
  mysqlgis: 'django.contrib.gis.db.backends.mysql',
  'mysql-connector': 'mysql.connector.django',
  oracle: 'django.db.backends.oracle',
  oraclegis: 'django.contrib.gis.db.backends.oracle',
  mssql: 'sql_server.pyodbc',
  mssqlms: 'mssql',
  redshift: 'django_redshift_backend',
  cockroach: 'django_cockroachdb',
};

/** Which kind of database a Django `ENGINE` string names. */
export function engineFromDjango(djangoEngine: string): DatabaseEngine {
  const module = djangoEngine.trim().split('.').pop() ?? '';
  return ENGINE_BY_BACKEND_MODULE[module] ?? 'other';
}

/**
 * Settings from one alias of Django's `DATABASES`, as the project's Python reports it.
 * Values of the wrong type are ignored rather than rejected: Django itself would fail later.
 */
export function databaseSettingsFromDjango(config: Readonly<Record<string, unknown>>, options: SettingsPathOptions = {}): DatabaseSettings {
  // Django fills in the dummy backend when ENGINE is missing.
  const djangoEngine = nonEmptyString(config.ENGINE) ?? 'django.db.backends.dummy';
  const engine = engineFromDjango(djangoEngine);
  const name = nonEmptyString(config.NAME) ?? '';
  return {
    engine,
    djangoEngine,
    name: engine === 'sqlite' ? resolveSqlitePath(name, options.baseDirectory) : name,
    user: nonEmptyString(config.USER),
    password: nonEmptyString(config.PASSWORD),
    host: nonEmptyString(config.HOST),
    port: portNumber(config.PORT),
    options: scalarOptions(config.OPTIONS),
  };
}

/**
 * Settings from a database URL in dj-database-url's conventions:
 * `postgres://user:password@host:port/name?option=value`, `sqlite:///relative/path`,
 * `sqlite:////absolute/path`, `sqlite://:memory:`. Percent-encoded parts are decoded, so a
 * socket directory can be given as the host (`postgres://%2Fvar%2Frun%2Fpostgresql/name`).
 */
export function parseDatabaseUrl(url: string, options: SettingsPathOptions = {}): DatabaseUrlResult {
  const trimmed = url.trim();
  const schemeEnd = trimmed.indexOf('://');
  if (schemeEnd <= 0) {
    return { ok: false, problem: 'A database URL starts with a scheme such as postgres:// or sqlite://.' };
  }
  const scheme = trimmed.slice(0, schemeEnd).toLowerCase();
  const djangoEngine = DJANGO_ENGINE_BY_URL_SCHEME[scheme] ?? scheme;
  const engine = engineFromDjango(djangoEngine);
  const rest = trimmed.slice(schemeEnd + 3);
  if (engine === 'sqlite') {
    return parseSqliteUrl(rest, djangoEngine, options);
  }
  return parseServerUrl(trimmed, engine, djangoEngine);
}

/** One line naming the database for status messages; never includes the password. */
export function describeDatabase(settings: DatabaseSettings): string {
  switch (settings.engine) {
    case 'sqlite':
      return `SQLite database ${settings.name || '(no NAME)'}`;
    case 'postgresql': {
      const where = settings.host
        ? `${settings.host}${settings.port === undefined ? '' : `:${settings.port}`}`
        : `the default host${settings.port === undefined ? '' : ` (port ${settings.port})`}`;
      const user = settings.user ? ` as ${settings.user}` : '';
      return `PostgreSQL database "${settings.name}" on ${where}${user}`;
    }
    case 'other':
      return `database "${settings.name}" (${settings.djangoEngine})`;
  }
}

function parseSqliteUrl(rest: string, djangoEngine: string, options: SettingsPathOptions): DatabaseUrlResult {
  const queryStart = rest.indexOf('?');
  const location = queryStart < 0 ? rest : rest.slice(0, queryStart);
  const query = queryStart < 0 ? '' : rest.slice(queryStart + 1);
  let name: string;
  if (location === '' || location === SQLITE_IN_MEMORY || location === `/${SQLITE_IN_MEMORY}`) {
    name = SQLITE_IN_MEMORY;
  } else if (location.startsWith('/')) {
    // dj-database-url drops the slash that ends the authority: three slashes mean relative.
    const decoded = safeDecode(location.slice(1));
    if (decoded === undefined) {
      return { ok: false, problem: 'The SQLite path of the database URL has invalid percent-encoding.' };
    }
    name = resolveSqlitePath(decoded, options.baseDirectory);
  } else {
    return { ok: false, problem: 'A SQLite database URL has the form sqlite:///relative/path or sqlite:////absolute/path.' };
  }
  return {
    ok: true,
    settings: { engine: 'sqlite', djangoEngine, name, options: queryOptions(new URLSearchParams(query)) },
  };
}

function parseServerUrl(url: string, engine: DatabaseEngine, djangoEngine: string): DatabaseUrlResult {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, problem: 'The database URL is not a valid URL.' };
  }
  let port: number | undefined;
  if (parsed.port !== '') {
    port = Number(parsed.port);
  }
  const host = safeDecode(parsed.hostname.replace(/^\[(.*)\]$/, '$1'));
  const user = safeDecode(parsed.username);
  const password = safeDecode(parsed.password);
  const name = safeDecode(parsed.pathname.replace(/^\//, ''));
  if (host === undefined || user === undefined || password === undefined || name === undefined) {
    return { ok: false, problem: 'The database URL has invalid percent-encoding.' };
  }
  return {
    ok: true,
    settings: {
      engine,
      djangoEngine,
      name,
      user: user || undefined,
      password: password || undefined,
      host: host || undefined,
      port,
      options: engine === 'postgresql' ? postgresUrlOptions(parsed.searchParams) : queryOptions(parsed.searchParams),
    },
  };
}

/** dj-database-url turns `currentSchema` into the startup option that sets the search path. */
function postgresUrlOptions(params: URLSearchParams): Record<string, DatabaseOptionValue> {
  const { currentSchema, ...options } = queryOptions(params);
  return currentSchema === undefined ? options : { ...options, options: `-c search_path=${currentSchema}` };
}

function resolveSqlitePath(name: string, baseDirectory: string | undefined): string {
  if (name === '' || name === SQLITE_IN_MEMORY || name.startsWith('file:') || baseDirectory === undefined) {
    return name;
  }
  return path.resolve(baseDirectory, name);
}

function queryOptions(params: URLSearchParams): Record<string, DatabaseOptionValue> {
  const options: Record<string, DatabaseOptionValue> = {};
  for (const [key, value] of params) {
    options[key] = value;
  }
  return options;
}

function scalarOptions(value: unknown): Record<string, DatabaseOptionValue> {
  const options: Record<string, DatabaseOptionValue> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return options;
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
      options[key] = item;
    }
  }
  return options;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function portNumber(value: unknown): number | undefined {
  const port = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
