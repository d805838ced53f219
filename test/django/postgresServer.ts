import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { scratchDirectory } from './commandsProject';

const run = promisify(execFile);
const POSTGRES_SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'postgres.sh');

export interface PostgresDatabase {
  /** A fresh, empty database on the server. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A fresh database on the server named by DJANGO_MIGRATIONS_TEST_POSTGRES_URL, or on a private
 * cluster started with scripts/postgres.sh on a free loopback port.
 */
export async function startPostgresDatabase(name: string): Promise<PostgresDatabase> {
  let serverUrl = process.env.DJANGO_MIGRATIONS_TEST_POSTGRES_URL;
  let stopServer = async (): Promise<void> => undefined;
  if (!serverUrl) {
    const scratch = scratchDirectory('django-postgres');
    const port = await freePort();
    const { stdout } = await run('bash', [POSTGRES_SCRIPT, 'start', scratch.dir, String(port)]);
    serverUrl = stdout.trim().split('\n').pop() ?? '';
    stopServer = async () => {
      await run('bash', [POSTGRES_SCRIPT, 'stop', scratch.dir]);
      scratch.cleanup();
    };
  }
  const database = `${name}_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    stop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await client.end();
      await stopServer();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
