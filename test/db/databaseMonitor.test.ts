import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDatabaseUrl } from '../../server/src/db/databaseSettings';
import { configuredDatabases } from '../../server/src/databases/configuredDatabases';
import { DatabaseMonitor, DatabaseMonitorOptions } from '../../server/src/databases/databaseMonitor';
import { DatabasePasswords } from '../../server/src/databases/databasePasswords';
import { DATABASE_PASSWORDS_VARIABLE } from '../../protocol/index';
import { djangoPostgresDatabase, migrateDjangoProject } from './migratedDjangoProject';
import { createTestDatabase, dropTestDatabase, ownPostgresCluster } from './postgresCluster';
import { holdExclusiveLock } from './sqliteFiles';
import { DjangoProject } from '../django/djangoProject';
import { waitUntil } from '../support/waitFor';
import { temporaryFolder } from '../support/projectFolder';

/** A monitor of one database URL, with short retries; disposed after the test. */
function monitorOf(url: string, options: Partial<DatabaseMonitorOptions> = {}, monitors: DatabaseMonitor[]): DatabaseMonitor {
  const parsed = parseDatabaseUrl(url);
  assert.ok(parsed.ok, url);
  const monitor = new DatabaseMonitor(
    { alias: 'default', source: 'setting', settings: parsed.settings },
    { pollIntervalMs: 0, retryDelaysMs: [200], lockGraceMs: 0, onDidChange: () => undefined, ...options },
  );
  monitors.push(monitor);
  return monitor;
}

/** The snapshot now: read through a call, so an earlier assertion does not narrow its type. */
function snapshotOf(monitor: DatabaseMonitor) {
  return monitor.snapshot;
}

describe('DatabaseMonitor', function () {
  this.timeout(120_000);
  const monitors: DatabaseMonitor[] = [];
  afterEach(() => monitors.splice(0).forEach((monitor) => monitor.dispose()));

  describe('on SQLite', () => {
    it('sees the file Django creates on the first migrate, by watching its folder', async () => {
      const project = await DjangoProject.fromFixture('linear');
      try {
        let changes = 0;
        const monitor = monitorOf(project.databaseUrl, { onDidChange: () => changes++ }, monitors);
        await monitor.start();
        assert.equal(monitor.snapshot.status, 'missing-file');
        assert.equal(monitor.snapshot.retrying, true);
        assert.deepEqual(monitor.snapshot.rows, []);
        await project.manage('migrate', 'shop', '0002');
        await waitUntil('the migrate is seen', () => monitor.snapshot.status === 'ok' && monitor.snapshot.rows.length === 2);
        assert.deepEqual(
          snapshotOf(monitor).rows.map((row) => row.name),
          ['0001_initial', '0002_product_price'],
        );
        const seen = changes;
        await project.manage('migrate');
        await waitUntil('the second migrate is seen', () => monitor.snapshot.rows.length === 3);
        assert.ok(changes > seen);
      } finally {
        await project.remove();
      }
    });

    it('reports a file locked by another connection, and reads it by itself once released', async () => {
      const project = await DjangoProject.fromFixture('linear');
      try {
        await project.manage('migrate');
        const lock = await holdExclusiveLock(project.databasePath);
        const monitor = monitorOf(project.databaseUrl, {}, monitors);
        try {
          await monitor.start();
          assert.equal(monitor.snapshot.status, 'locked', JSON.stringify(monitor.snapshot));
          assert.equal(monitor.snapshot.retrying, true);
          assert.ok(monitor.snapshot.message?.includes(project.databasePath));
        } finally {
          await lock.release();
        }
        await waitUntil('read again after the lock is released', () => monitor.snapshot.status === 'ok');
        assert.equal(monitor.snapshot.rows.length, 3);
      } finally {
        await project.remove();
      }
    });

    it('keeps what it read while a migrate holds the lock for a moment', async () => {
      const project = await DjangoProject.fromFixture('linear');
      try {
        await project.manage('migrate');
        const monitor = monitorOf(project.databaseUrl, { lockGraceMs: 60_000 }, monitors);
        await monitor.start();
        const before = monitor.snapshot;
        assert.equal(before.status, 'ok');
        const lock = await holdExclusiveLock(project.databasePath);
        try {
          await monitor.refresh();
          assert.equal(monitor.snapshot.status, 'ok');
          assert.equal(monitor.snapshot.generation, before.generation, 'nothing was published');
        } finally {
          await lock.release();
        }
      } finally {
        await project.remove();
      }
    });

    it('reports a corrupt file without throwing', async () => {
      const directory = temporaryFolder('monitor-corrupt');
      const file = path.join(directory, 'db.sqlite3');
      fs.writeFileSync(file, 'this is not a SQLite database\n'.repeat(200));
      const monitor = monitorOf(`sqlite:///${file}`, {}, monitors);
      await monitor.start();
      assert.equal(monitor.snapshot.status, 'corrupt', JSON.stringify(monitor.snapshot));
      assert.ok(!monitor.snapshot.message?.includes('\n'));
      assert.ok(monitor.snapshot.message?.includes(file));
      assert.deepEqual(monitor.snapshot.rows, []);
    });
  });

  describe('on PostgreSQL', () => {
    it('goes unreachable when the server stops mid-session, and back to ok by itself when it starts again', async () => {
      const cluster = await ownPostgresCluster();
      const url = await createTestDatabase(cluster.url, 'monitor');
      const site = temporaryFolder('monitor-site');
      await migrateDjangoProject(site, djangoPostgresDatabase(url));
      try {
        const monitor = monitorOf(url, { retryDelaysMs: [300] }, monitors);
        await monitor.start();
        assert.equal(monitor.snapshot.status, 'ok');
        const applied = monitor.snapshot.rows.length;
        assert.ok(applied > 10, 'contenttypes and auth');
        await cluster.stop();
        await monitor.refresh();
        assert.equal(monitor.snapshot.status, 'unreachable', JSON.stringify(monitor.snapshot));
        assert.equal(monitor.snapshot.retrying, true);
        assert.deepEqual(monitor.snapshot.rows, []);
        await cluster.startAgain();
        await waitUntil('read again once the server is back', () => monitor.snapshot.status === 'ok', 30_000);
        assert.equal(monitor.snapshot.rows.length, applied);
      } finally {
        await cluster.startAgain().catch(() => undefined);
        await dropTestDatabase(url);
      }
    });

    it('reports a wrong password, never showing it, and reads with the password the user stored', async () => {
      const cluster = await ownPostgresCluster();
      const url = new URL(cluster.url);
      const rightPassword = decodeURIComponent(url.password);
      url.password = 'not-the-right-one';
      const wrong = monitorOf(url.toString(), {}, monitors);
      await wrong.start();
      assert.equal(wrong.snapshot.status, 'authentication-failed', JSON.stringify(wrong.snapshot));
      assert.ok(!wrong.snapshot.message?.includes('not-the-right-one'), wrong.snapshot.message);

      const environment: Record<string, string | undefined> = {
        [DATABASE_PASSWORDS_VARIABLE]: JSON.stringify([{ projectRoot: '/project', alias: 'default', password: rightPassword }]),
      };
      const passwords = DatabasePasswords.takeFrom(environment);
      assert.equal(environment[DATABASE_PASSWORDS_VARIABLE], undefined, 'removed from the environment');
      const [configured] = configuredDatabases({
        root: '/project',
        environment: {},
        overrides: { default: url.toString() },
        password: (alias) => passwords.get('/project', alias),
      });
      const stored = new DatabaseMonitor(configured, { pollIntervalMs: 0, onDidChange: () => undefined });
      monitors.push(stored);
      await stored.start();
      assert.equal(stored.snapshot.status, 'ok', JSON.stringify(stored.snapshot));
    });
  });
});
