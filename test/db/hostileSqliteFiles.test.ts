import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseMonitor } from '../../server/src/databases/databaseMonitor';
import { readAppliedMigrations } from '../../server/src/db/recorder';
import { parseDatabaseUrl } from '../../server/src/db/databaseSettings';
import { temporaryFolder } from '../support/projectFolder';
import { waitUntil } from '../support/waitFor';
import { createMigrationsDatabase, holdExclusiveLock } from './sqliteFiles';

function sqlite(file: string) {
  const parsed = parseDatabaseUrl(`sqlite:///${file}`);
  assert.ok(parsed.ok);
  return parsed.settings;
}

/** Database files a cloned repository may hold: read without a hang and without leaving files. */
describe('SQLite files that are not plain databases', function () {
  this.timeout(60_000);

  for (const drivers of [['better-sqlite3'], ['sql.js'], ['node:sqlite', 'sql.js']] as const) {
    it(`reads a WAL-mode database without creating -wal or -shm files in the user's folder (${drivers.join(', ')})`, async () => {
      const folder = temporaryFolder('wal');
      const file = createMigrationsDatabase(path.join(folder, 'db.sqlite3'), [['shop', '0001_initial', '2024-05-01 10:00:00']]);
      const database = new Database(file);
      database.pragma('journal_mode = WAL');
      database.close();
      assert.deepEqual(fs.readdirSync(folder), ['db.sqlite3']);
      const result = await readAppliedMigrations(sqlite(file), { sqlite: { drivers } });
      assert.equal(result.status, 'ok');
      assert.deepEqual(result.status === 'ok' && result.rows, [{ app: 'shop', name: '0001_initial', applied: '2024-05-01 10:00:00' }]);
      assert.deepEqual(fs.readdirSync(folder), ['db.sqlite3']);
    });
  }

  it('reports a FIFO named like the database instead of waiting for a writer', async () => {
    const fifo = path.join(temporaryFolder('fifo'), 'db.sqlite3');
    execFileSync('mkfifo', [fifo]);
    const result = await readAppliedMigrations(sqlite(fifo));
    assert.equal(result.status, 'error');
    assert.match('message' in result ? result.message : '', /not a regular file/);
  });

  it('answers at once while another process holds an exclusive lock, and reads again once it is released', async () => {
    const file = createMigrationsDatabase(path.join(temporaryFolder('locked'), 'db.sqlite3'), [
      ['shop', '0001_initial', '2024-05-01 10:00:00'],
    ]);
    const lock = await holdExclusiveLock(file, [
      "INSERT INTO django_migrations (app, name, applied) VALUES ('shop', '0002_x', '2024-05-01 10:00:00');",
    ]);
    const monitor = new DatabaseMonitor(
      { alias: 'default', source: 'settings', settings: sqlite(file) },
      { pollIntervalMs: 0, retryDelaysMs: [50], lockGraceMs: 0, onDidChange: () => undefined },
    );
    try {
      await monitor.start();
      assert.equal(monitor.snapshot.status, 'locked');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await lock.release();
      await waitUntil('read once the lock is gone', () => monitor.snapshot.status === 'ok');
      assert.deepEqual(
        monitor.snapshot.rows.map((row) => row.name),
        ['0001_initial'],
      );
    } finally {
      monitor.dispose();
    }
  });
});
