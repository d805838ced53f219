import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { repositoryRoot } from '../support/repositoryPaths';

const execFileAsync = promisify(execFile);

const mariadbScript = path.join(repositoryRoot, 'scripts', 'mariadb.sh');

/** The environment variable that points the tests at a server someone else runs (CI's). */
export const MARIADB_URL_VARIABLE = 'DJANGO_MIGRATIONS_TEST_MARIADB_URL';

/** A private server started by scripts/mariadb.sh in a temporary folder. */
export class MariadbServer {
  private constructor(
    readonly directory: string,
    /** mysql://django:secret@127.0.0.1:PORT/mysql */
    readonly url: string,
  ) {}

  /** Starts a new server; it is stopped and removed when the process exits, at the latest. */
  static async start(): Promise<MariadbServer> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'django-migrations-mariadb-'));
    const remove = () => {
      spawnSync(mariadbScript, ['stop', directory]);
      fs.rmSync(directory, { recursive: true, force: true });
    };
    process.once('exit', remove);
    // A run ended by a signal (a timeout, Ctrl+C) skips 'exit': remove, then die of the signal.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        remove();
        process.kill(process.pid, signal);
      });
    }
    const { stdout } = await execFileAsync(mariadbScript, ['start', directory, String(await freePort())]);
    return new MariadbServer(directory, stdout.trim());
  }
}

let shared: Promise<MariadbServer> | undefined;

/** The server the tests use: DJANGO_MIGRATIONS_TEST_MARIADB_URL, else this run's own server. */
export async function testMariadbUrl(): Promise<string> {
  const given = process.env[MARIADB_URL_VARIABLE];
  if (given) return given;
  shared ??= MariadbServer.start();
  return (await shared).url;
}

/** A new empty database on the server of `url`; its URL. */
export async function createMariadbDatabase(url: string, prefix: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await runMariadbSql(url, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  return databaseUrl.toString();
}

export async function dropMariadbDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  await runMariadbSql(databaseUrl, `DROP DATABASE IF EXISTS \`${name}\``);
}

/** Runs statements on the database of `url`; the rows of the last one. */
export async function runMariadbSql(url: string, ...statements: string[]): Promise<Record<string, unknown>[]> {
  const connection = await createConnection(url);
  try {
    let rows: Record<string, unknown>[] = [];
    for (const statement of statements) {
      const [result] = await connection.query(statement);
      rows = Array.isArray(result) ? (result as Record<string, unknown>[]) : [];
    }
    return rows;
  } finally {
    await connection.end();
  }
}

/** DATABASES['default'] of Django's MySQL backend for a mysql:// URL. */
export function djangoMysqlDatabase(databaseUrl: string): Record<string, unknown> {
  const url = new URL(databaseUrl);
  return {
    ENGINE: 'django.db.backends.mysql',
    NAME: decodeURIComponent(url.pathname.slice(1)),
    USER: decodeURIComponent(url.username),
    PASSWORD: decodeURIComponent(url.password),
    HOST: url.hostname,
    PORT: url.port,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
