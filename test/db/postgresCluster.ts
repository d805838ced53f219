import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const execFileAsync = promisify(execFile);

/** scripts/postgres.sh, found from out/test/db as from test/db. */
const postgresScript = path.join(findRepositoryRoot(__dirname), 'scripts', 'postgres.sh');

/** The environment variable that points the tests at a server someone else runs (CI's). */
export const POSTGRES_URL_VARIABLE = 'DJANGO_MIGRATIONS_TEST_POSTGRES_URL';

/** A private cluster started by scripts/postgres.sh in a temporary folder. */
export class PostgresCluster {
  private constructor(
    readonly directory: string,
    readonly port: number,
    /** postgres://django:secret@127.0.0.1:PORT/postgres */
    readonly url: string,
  ) {}

  /** Starts a new cluster; it is stopped and removed when the process exits, at the latest. */
  static async start(): Promise<PostgresCluster> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'django-migrations-pg-'));
    const remove = () => {
      spawnSync(postgresScript, ['stop', directory]);
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
    const port = await freePort();
    const { stdout } = await execFileAsync(postgresScript, ['start', directory, String(port)]);
    return new PostgresCluster(directory, port, stdout.trim());
  }

  async stop(): Promise<void> {
    await execFileAsync(postgresScript, ['stop', this.directory]);
  }

  /** Starts the stopped cluster again on the same port. */
  async startAgain(): Promise<void> {
    await execFileAsync(postgresScript, ['start', this.directory, String(this.port)]);
  }
}

let sharedCluster: Promise<PostgresCluster> | undefined;

/** The server the tests use: DJANGO_MIGRATIONS_TEST_POSTGRES_URL, else this run's own cluster. */
export async function testPostgresUrl(): Promise<string> {
  return process.env[POSTGRES_URL_VARIABLE] || (await ownPostgresCluster()).url;
}

/**
 * A cluster the tests may stop and start: the run's own one (also used by testPostgresUrl when
 * no URL is given), started on first use.
 */
export function ownPostgresCluster(): Promise<PostgresCluster> {
  sharedCluster ??= PostgresCluster.start();
  return sharedCluster;
}

/** A new empty database on the server of `url`, owned by the URL's user; its URL. */
export async function createTestDatabase(url: string, prefix: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await withClient(url, (client) => client.query(`CREATE DATABASE "${name}"`));
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  return databaseUrl.toString();
}

export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  await withClient(url.toString(), (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Runs SQL statements on the database of `url`. */
export async function runSql(url: string, ...statements: string[]): Promise<void> {
  await withClient(url, async (client) => {
    for (const statement of statements) {
      await client.query(statement);
    }
  });
}

/** How many other sessions are connected to the database of `url`. */
export async function countOtherConnections(url: string): Promise<number> {
  const result = await withClient(url, (client) =>
    client.query<{ count: string }>('SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()'),
  );
  return Number(result.rows[0].count);
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
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

function findRepositoryRoot(start: string): string {
  let directory = start;
  while (!fs.existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory);
    if (parent === directory) {
      throw new Error(`no package.json above ${start}`);
    }
    directory = parent;
  }
  return directory;
}
