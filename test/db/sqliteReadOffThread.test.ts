import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import workerThreads = require('node:worker_threads');
import { DatabaseMonitor } from '../../server/src/databases/databaseMonitor';
import { parseDatabaseUrl } from '../../server/src/db/databaseSettings';
import { readSqliteOffThread } from '../../server/src/db/readOffThread';
import { AppliedMigrationsResult } from '../../server/src/db/recorder';
import { temporaryFolder } from '../support/projectFolder';
import { waitUntil } from '../support/waitFor';
import { createMigrationsDatabase, holdExclusiveLock, MigrationRow } from './sqliteFiles';

function sqlite(file: string) {
  const parsed = parseDatabaseUrl(`sqlite:///${file}`);
  assert.ok(parsed.ok);
  return parsed.settings;
}

/** Counts the main thread's timer ticks while `work` runs: a thread held by a driver counts none. */
async function ticksDuring<T>(work: Promise<T>): Promise<{ result: T; ticks: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    const result = await work;
    return { result, ticks };
  } finally {
    clearInterval(timer);
  }
}

/**
 * SQLite's drivers block the thread that waits on a lock (the busy timeout). The server reads
 * on a worker thread, so its own thread keeps answering, and a read that does not end is given
 * up as a status. Durations are the harness's, never asserted.
 */
describe('SQLite reads off the main thread', function () {
  this.timeout(60_000);

  for (const drivers of [['better-sqlite3'], ['node:sqlite', 'sql.js'], ['sql.js']] as const) {
    it(`reads the rows on a worker thread (${drivers.join(', ')})`, async () => {
      const file = createMigrationsDatabase(path.join(temporaryFolder('worker'), 'db.sqlite3'), [
        ['shop', '0001_initial', '2024-05-01 10:00:00'],
      ]);
      const result = await readSqliteOffThread(sqlite(file), { sqlite: { drivers } });
      assert.deepEqual(result, {
        status: 'ok',
        hasTable: true,
        rows: [{ app: 'shop', name: '0001_initial', applied: '2024-05-01 10:00:00' }],
      });
    });
  }

  it('keeps the main thread ticking while a read waits on a lock, and gives the read up as a status', async () => {
    const file = createMigrationsDatabase(path.join(temporaryFolder('blocked'), 'db.sqlite3'), [
      ['shop', '0001_initial', '2024-05-01 10:00:00'],
    ]);
    const lock = await holdExclusiveLock(file);
    try {
      // The driver would wait ten minutes for the lock: only the time limit ends the read.
      const read = readSqliteOffThread(sqlite(file), { sqlite: { drivers: ['better-sqlite3'], busyTimeoutMs: 600_000 } }, 1_000);
      const { result, ticks } = await ticksDuring(read);
      assert.equal(result.status, 'error');
      assert.match('message' in result ? result.message : '', /no answer within 1 s/);
      assert.ok(ticks >= 2, `the main thread's timer ticked ${ticks} time(s) while the read waited`);
    } finally {
      await lock.release();
    }
    // Once the lock is gone, the next read answers.
    assert.equal((await readSqliteOffThread(sqlite(file))).status, 'ok');
  });

  it('keeps one thread for reads one after another, and starts another for a read asked while it waits on a lock', async () => {
    const rows: MigrationRow[] = [['shop', '0001_initial', '2024-05-01 10:00:00']];
    const free = createMigrationsDatabase(path.join(temporaryFolder('kept'), 'db.sqlite3'), rows);
    const started: unknown[] = [];
    const original = workerThreads.Worker;
    // Counts the threads started, through the binding the module reads at each call.
    workerThreads.Worker = class extends original {
      constructor(...args: ConstructorParameters<typeof original>) {
        super(...args);
        started.push(args[0]);
      }
    };
    try {
      for (let read = 0; read < 3; read++) assert.equal((await readSqliteOffThread(sqlite(free))).status, 'ok');
      assert.ok(started.length <= 1, `${started.length} threads for three reads`);

      const locked = createMigrationsDatabase(path.join(temporaryFolder('kept-locked'), 'db.sqlite3'), rows);
      const lock = await holdExclusiveLock(locked);
      let waiting: Promise<AppliedMigrationsResult> | undefined;
      try {
        waiting = readSqliteOffThread(sqlite(locked), { sqlite: { drivers: ['better-sqlite3'], busyTimeoutMs: 600_000 } }, 30_000);
        const before = started.length;
        assert.equal((await readSqliteOffThread(sqlite(free))).status, 'ok', 'not held up by the read that waits');
        assert.equal(started.length, before + 1, 'a thread of its own');
      } finally {
        await lock.release();
      }
      assert.equal((await waiting).status, 'ok', 'the lock gone, the waiting read answers');
    } finally {
      workerThreads.Worker = original;
    }
  });

  it('does not keep the process alive once its reads are answered', () => {
    const file = createMigrationsDatabase(path.join(temporaryFolder('exit'), 'db.sqlite3'), [
      ['shop', '0001_initial', '2024-05-01 10:00:00'],
    ]);
    const module = require.resolve('../../server/src/db/readOffThread');
    const script = `require(${JSON.stringify(module)}).readSqliteOffThread({ engine: 'sqlite', name: ${JSON.stringify(file)} }).then((result) => console.log(result.status));`;
    // The process ends on its own once the read is answered; a thread holding it would reach the time limit.
    assert.equal(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 }).trim(), 'ok');
  });

  it('the monitor shows a read past its time limit as a status, and reads again later', async () => {
    const file = createMigrationsDatabase(path.join(temporaryFolder('slow'), 'db.sqlite3'), [
      ['shop', '0001_initial', '2024-05-01 10:00:00'],
    ]);
    let limitMs = 0;
    const monitor = new DatabaseMonitor(
      { alias: 'default', source: 'settings', settings: sqlite(file) },
      {
        pollIntervalMs: 0,
        retryDelaysMs: [50],
        get sqliteReadTimeLimitMs() {
          return limitMs;
        },
        onDidChange: () => undefined,
      },
    );
    try {
      // No read answers within no time: the first read is given up.
      await monitor.start();
      assert.equal(monitor.snapshot.status, 'error');
      assert.match(monitor.snapshot.message ?? '', /no answer within 0 s/);
      limitMs = 60_000;
      await waitUntil('read again with time enough', () => monitor.snapshot.status === 'ok');
      assert.deepEqual(
        monitor.snapshot.rows.map((row) => row.name),
        ['0001_initial'],
      );
    } finally {
      monitor.dispose();
    }
  });
});
