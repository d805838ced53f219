import { MysqlDialect } from 'kysely';
import type { PoolOptions } from 'mysql2';
import { DatabaseSettings } from './databaseSettings';

export const DEFAULT_MYSQL_CONNECT_TIMEOUT_MS = 3000;

export interface MysqlConnectOptions {
  /** Overridden by `connect_timeout` (seconds) in the settings' OPTIONS, as in mysqlclient. */
  readonly connectTimeoutMs?: number;
  /** Where libmysqlclient's `MYSQL_HOST`, `MYSQL_TCP_PORT`, `MYSQL_UNIX_PORT` and `MYSQL_PWD` are read. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/** Where Debian's MySQL and MariaDB put their socket, libmysqlclient's default there. */
const DEFAULT_SOCKET = '/run/mysqld/mysqld.sock';

/** The last module of Django's MySQL backends (and mysql-connector's), as in `ENGINE`. */
export function isMysqlBackend(djangoEngine: string): boolean {
  const module = djangoEngine.trim().split('.').pop() ?? '';
  return module === 'mysql' || djangoEngine.trim().startsWith('mysql.connector');
}

/**
 * A kysely dialect over a one-connection `mysql2` pool, created by the first query. mysql2 (about
 * 1 MB with its character set tables) is loaded then, not when the server starts.
 */
export function createMysqlDialect(settings: DatabaseSettings, options: MysqlConnectOptions = {}): MysqlDialect {
  return new MysqlDialect({
    pool: async () => {
      const { createPool } = await import('mysql2');
      return createPool(mysqlPoolOptions(settings, options));
    },
  });
}

/**
 * The `mysql2` options for Django's settings, as Django's MySQL backend hands them to
 * mysqlclient: HOST starting with `/` (or OPTIONS' `unix_socket`) is a socket, an empty HOST or
 * `localhost` means the local socket (libmysqlclient's rule), else TCP.
 */
export function mysqlPoolOptions(settings: DatabaseSettings, options: MysqlConnectOptions = {}): PoolOptions {
  const environment = options.environment ?? process.env;
  const host = settings.host ?? environment.MYSQL_HOST;
  const socket =
    stringOption(settings.options.unix_socket) ??
    (host?.startsWith('/') ? host : !host || host === 'localhost' ? (environment.MYSQL_UNIX_PORT ?? DEFAULT_SOCKET) : undefined);
  const connectTimeoutSeconds = Number(settings.options.connect_timeout);
  return {
    ...(socket !== undefined ? { socketPath: socket } : { host, port: settings.port ?? (Number(environment.MYSQL_TCP_PORT) || 3306) }),
    user: settings.user,
    password: settings.password ?? environment.MYSQL_PWD,
    database: settings.name || undefined,
    connectTimeout:
      connectTimeoutSeconds > 0 ? connectTimeoutSeconds * 1000 : (options.connectTimeoutMs ?? DEFAULT_MYSQL_CONNECT_TIMEOUT_MS),
    connectionLimit: 1,
    maxIdle: 0,
  };
}

function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
