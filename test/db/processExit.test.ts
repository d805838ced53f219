import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createTestDatabase, dropTestDatabase, runSql, testPostgresUrl } from './postgresCluster';
import { createMigrationsDatabase } from './sqliteFiles';
import { temporaryFolder } from '../support/projectFolder';

const appliedMigrationsModule = path.resolve(__dirname, '../../server/src/db/recorder');

/** Runs `code` in a fresh Node; resolves with its exit code, or 'still running' after `limitMs`. */
function runNode(code: string, limitMs: number): Promise<{ exit: number | 'still running'; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill();
      resolve({ exit: 'still running', output });
    }, limitMs);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ exit: exitCode ?? -1, output });
    });
  });
}

describe('readAppliedMigrations leaves nothing open', function () {
  this.timeout(120000);

  it('lets a process that read every kind of database exit by itself', async () => {
    const serverUrl = await testPostgresUrl();
    const databaseUrl = await createTestDatabase(serverUrl, 'exit');
    try {
      await runSql(databaseUrl, 'CREATE TABLE django_migrations (id serial PRIMARY KEY, app text, name text, applied timestamptz)');
      const file = createMigrationsDatabase(path.join(temporaryFolder('exit'), 'db.sqlite3'), [
        ['auth', '0001_initial', '2024-05-01 10:00:00'],
      ]);
      const wrongPassword = new URL(databaseUrl);
      wrongPassword.password = 'wrong';
      const reads = [
        [`sqlite:///${file}`, { sqlite: { drivers: ['better-sqlite3'] } }],
        [`sqlite:///${file}`, { sqlite: { drivers: ['sql.js'] } }],
        [databaseUrl, {}],
        [wrongPassword.toString(), {}],
        ['postgres://django:secret@127.0.0.1:1/none', {}],
      ];
      const code = `
        const { readAppliedMigrations } = require(${JSON.stringify(appliedMigrationsModule)});
        const { parseDatabaseUrl } = require(${JSON.stringify(path.resolve(appliedMigrationsModule, '../databaseSettings'))});
        (async () => {
          for (const [url, options] of ${JSON.stringify(reads)}) {
            console.log((await readAppliedMigrations(parseDatabaseUrl(url).settings, options)).status);
          }
        })();
      `;
      // A leaked connection or pool would keep the process alive well past this.
      const { exit, output } = await runNode(code, 30000);
      assert.equal(exit, 0, output);
      assert.deepEqual(output.trim().split('\n'), ['ok', 'ok', 'ok', 'authentication-failed', 'unreachable']);
    } finally {
      await dropTestDatabase(databaseUrl);
    }
  });
});
