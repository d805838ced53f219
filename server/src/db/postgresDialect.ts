import * as fs from 'node:fs';
import * as path from 'node:path';
import { PostgresDialect } from 'kysely';
import type * as Pg from 'pg';
import type { PoolConfig } from 'pg';
import { DatabaseSettings } from './databaseSettings';

export const DEFAULT_POSTGRES_CONNECT_TIMEOUT_MS = 3000;
export const DEFAULT_POSTGRES_QUERY_TIMEOUT_MS = 10000;

export interface PostgresConnectOptions {
  /** Overridden by `connect_timeout` (seconds) in the settings' OPTIONS, as in libpq. */
  readonly connectTimeoutMs?: number;
  readonly queryTimeoutMs?: number;
  readonly maxConnections?: number;
  /** Where libpq's `PGHOST`, `PGPORT` and `PGSSLMODE` are read when the settings do not say. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** How long an idle connection stays open (default 10 s). */
  readonly idleTimeoutMs?: number;
  /** Directories searched for the server's Unix socket when there is no host at all. */
  readonly socketDirectories?: readonly string[];
}

/** Where libpq builds look for the socket: Debian's directory, then the upstream default. */
const DEFAULT_SOCKET_DIRECTORIES = ['/var/run/postgresql', '/tmp'];

/** A kysely dialect over a small `pg` pool; the pool is created by the first query. */
export function createPostgresDialect(settings: DatabaseSettings, options: PostgresConnectOptions = {}): PostgresDialect {
  return new PostgresDialect({
    pool: async () => {
      // Required on demand: loading pg costs every process that never connects (most of `check`s).
      const { Pool } = require('pg') as typeof Pg;
      const pool = new Pool(postgresPoolConfig(settings, options));
      // An idle client whose server went away emits 'error' on the pool, which would otherwise
      // end the process; the next query reports the lost server instead.
      pool.on('error', () => undefined);
      return pool;
    },
  });
}

/** The `pg` pool configuration for Django's settings, following libpq's defaults where pg's differ. */
export function postgresPoolConfig(settings: DatabaseSettings, options: PostgresConnectOptions = {}): PoolConfig {
  const environment = options.environment ?? process.env;
  const port = settings.port ?? (Number(environment.PGPORT) || 5432);
  const connectTimeoutSeconds = Number(settings.options.connect_timeout);
  const startupOptions = settings.options.options;
  return {
    host: settings.host ?? defaultHost(port, environment, options.socketDirectories ?? DEFAULT_SOCKET_DIRECTORIES),
    port,
    user: settings.user,
    password: settings.password,
    // Django 4.x connects to the 'postgres' database when NAME is None.
    database: settings.name || 'postgres',
    ssl: sslForMode(settings.options.sslmode ?? environment.PGSSLMODE),
    options: typeof startupOptions === 'string' ? startupOptions : undefined,
    connectionTimeoutMillis:
      connectTimeoutSeconds > 0 ? connectTimeoutSeconds * 1000 : (options.connectTimeoutMs ?? DEFAULT_POSTGRES_CONNECT_TIMEOUT_MS),
    query_timeout: options.queryTimeoutMs ?? DEFAULT_POSTGRES_QUERY_TIMEOUT_MS,
    max: options.maxConnections ?? 2,
    idleTimeoutMillis: options.idleTimeoutMs ?? 10000,
    // A pool someone forgot to end never keeps the process alive.
    allowExitOnIdle: true,
  };
}

/**
 * libpq (and so Django) connects through the Unix socket when HOST is empty, where pg would
 * use TCP to localhost: peer authentication only works over the socket.
 */
function defaultHost(
  port: number,
  environment: Readonly<Record<string, string | undefined>>,
  socketDirectories: readonly string[],
): string {
  if (environment.PGHOST) {
    return environment.PGHOST;
  }
  const socketDirectory = socketDirectories.find((directory) => fs.existsSync(path.join(directory, `.s.PGSQL.${port}`)));
  return socketDirectory ?? 'localhost';
}

/** libpq's sslmode; `prefer` and `allow` become no TLS, as pg cannot retry the other way. */
function sslForMode(mode: unknown): PoolConfig['ssl'] {
  switch (mode) {
    case 'require':
      // libpq's `require` encrypts without verifying the certificate.
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      return false;
  }
}
