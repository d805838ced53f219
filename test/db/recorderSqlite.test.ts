import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { AppliedMigrationsResult, readAppliedMigrations } from '../../server/src/db/recorder';
import { DatabaseSettings, parseDatabaseUrl } from '../../server/src/db/databaseSettings';
import { SqliteDriverName } from '../../server/src/db/sqliteDriver';
import { migrateDjangoProject, recordedMigrations } from './migratedDjangoProject';
import { createMigrationsDatabase, DJANGO_MIGRATIONS_DDL, holdExclusiveLock, MigrationRow, SPILLING_WRITE } from './sqliteFiles';
import { temporaryFolder } from '../support/projectFolder';

function sqliteSettings(file: string): DatabaseSettings {
  const result = parseDatabaseUrl(`sqlite:///${file}`);
  assert.ok(result.ok);
  return result.settings;
}

function assertProblem(result: AppliedMigrationsResult, status: string, ...mentions: string[]): void {
  assert.equal(result.status, status, JSON.stringify(result));
  assert.ok('message' in result);
  assert.ok(!result.message.includes('\n'), 'one line');
  for (const mention of mentions) {
    assert.ok(result.message.includes(mention), `"${result.message}" mentions "${mention}"`);
  }
}

const rows: MigrationRow[] = [
  ['contenttypes', '0001_initial', '2024-05-01 10:00:00.123456'],
  ['auth', '0001_initial', '2024-05-01 10:00:01.5'],
  ['contenttypes', '0002_remove_content_type_name', '2024-05-01 10:00:02'],
];

describe('readAppliedMigrations on SQLite', () => {
  const directory = temporaryFolder('applied-sqlite');

  describe('a database migrated by Django', () => {
    const project = path.join(directory, 'site');
    const file = path.join(project, 'db.sqlite3');
    let django: readonly (readonly [string, string, string])[];

    before(async function () {
      this.timeout(120000);
      fs.mkdirSync(project);
      await migrateDjangoProject(project, { ENGINE: 'django.db.backends.sqlite3', NAME: file });
      django = await recordedMigrations(project, '%Y-%m-%d %H:%M:%S.%f');
    });

    for (const driver of ['better-sqlite3', 'sql.js'] as const) {
      it(`reads what Django's MigrationRecorder reads (${driver})`, async () => {
        const result = await readAppliedMigrations(sqliteSettings(file), { sqlite: { drivers: [driver] } });
        assert.equal(result.status, 'ok');
        assert.ok(result.status === 'ok');
        assert.equal(result.hasTable, true);
        assert.ok(result.rows.length > 10, 'contenttypes and auth migrations');
        assert.deepEqual(
          result.rows.map((row) => [row.app, row.name, row.applied]),
          django,
        );
      });
    }

    it('has the table the fixtures below create', () => {
      const database = new Database(file, { readonly: true });
      try {
        const table = database.prepare("SELECT sql FROM sqlite_master WHERE name = 'django_migrations'").get();
        assert.deepEqual(table, { sql: DJANGO_MIGRATIONS_DDL });
      } finally {
        database.close();
      }
    });
  });

  for (const driver of ['better-sqlite3', 'sql.js'] as const satisfies readonly SqliteDriverName[]) {
    describe(`through ${driver}`, () => {
      const options = { sqlite: { drivers: [driver], busyTimeoutMs: 100 } };
      const file = (name: string) => path.join(directory, `${driver}-${name}.sqlite3`);

      it('returns the rows in the order applied, times as stored', async () => {
        const result = await readAppliedMigrations(sqliteSettings(createMigrationsDatabase(file('rows'), rows)), options);
        assert.deepEqual(result, {
          status: 'ok',
          hasTable: true,
          rows: rows.map(([app, name, applied]) => ({ app, name, applied })),
        });
      });

      it('reads a database without django_migrations as ok with no rows', async () => {
        const database = new Database(file('no-table'));
        database.exec('CREATE TABLE unrelated (id integer)');
        database.close();
        assert.deepEqual(await readAppliedMigrations(sqliteSettings(file('no-table')), options), {
          status: 'ok',
          hasTable: false,
          rows: [],
        });
      });

      it('reports a missing file without creating it', async () => {
        const missing = file('missing');
        assertProblem(await readAppliedMigrations(sqliteSettings(missing), options), 'missing-file', missing);
        assert.equal(fs.existsSync(missing), false);
      });

      it('reports a file that is not a database', async () => {
        const corrupt = file('corrupt');
        fs.writeFileSync(corrupt, 'This is a text file, not SQLite.\n'.repeat(200));
        assertProblem(await readAppliedMigrations(sqliteSettings(corrupt), options), 'corrupt', corrupt, 'file is not a database');
      });

      it('reports a database whose pages are damaged', async () => {
        const damaged = createMigrationsDatabase(file('damaged'), rows);
        const bytes = fs.readFileSync(damaged);
        // Page 2 is the table's root page: overwrite its b-tree header.
        const pageSize = bytes.readUInt16BE(16);
        bytes.fill(0xff, pageSize, pageSize + 64);
        fs.writeFileSync(damaged, bytes);
        assertProblem(await readAppliedMigrations(sqliteSettings(damaged), options), 'corrupt', damaged);
      });

      it('reports a file locked by a commit in progress, then reads it once released', async () => {
        const locked = createMigrationsDatabase(file('locked'), rows);
        const holder = await holdExclusiveLock(locked, SPILLING_WRITE);
        try {
          assertProblem(await readAppliedMigrations(sqliteSettings(locked), options), 'locked', locked);
        } finally {
          await holder.release();
        }
        const after = await readAppliedMigrations(sqliteSettings(locked), options);
        assert.equal(after.status === 'ok' && after.rows.length, rows.length);
      });
    });
  }

  it('reports an EXCLUSIVE lock as locked through better-sqlite3, which honours file locks', async () => {
    const locked = createMigrationsDatabase(path.join(directory, 'exclusive.sqlite3'), rows);
    const holder = await holdExclusiveLock(locked);
    try {
      const result = await readAppliedMigrations(sqliteSettings(locked), {
        sqlite: { drivers: ['better-sqlite3'], busyTimeoutMs: 100 },
      });
      assertProblem(result, 'locked', locked, 'database is locked');
    } finally {
      await holder.release();
    }
  });

  it('reads the last committed rows through sql.js while a writer holds a lock but has not written', async () => {
    const locked = createMigrationsDatabase(path.join(directory, 'exclusive-sqljs.sqlite3'), rows);
    const holder = await holdExclusiveLock(locked, [
      "INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0002_pending', '2024-05-02 00:00:00');",
    ]);
    try {
      const result = await readAppliedMigrations(sqliteSettings(locked), { sqlite: { drivers: ['sql.js'] } });
      assert.equal(result.status, 'ok');
      assert.deepEqual(
        result.status === 'ok' && result.rows.map((row) => row.name),
        rows.map(([, name]) => name),
      );
    } finally {
      await holder.release();
    }
  });

  it('closes the file after each read', async () => {
    const file = createMigrationsDatabase(path.join(directory, 'closed.sqlite3'), rows);
    assert.equal((await readAppliedMigrations(sqliteSettings(file), { sqlite: { drivers: ['better-sqlite3'] } })).status, 'ok');
    // Linux lists this process's open files in /proc/self/fd.
    const openFiles = fs.readdirSync('/proc/self/fd').map((fd) => {
      try {
        return fs.readlinkSync(path.join('/proc/self/fd', fd));
      } catch {
        return '';
      }
    });
    assert.ok(!openFiles.some((openFile) => openFile.startsWith(file)), openFiles.join(', '));
  });

  it('never blocks a writer: a migrate can commit right after a read', async () => {
    const file = createMigrationsDatabase(path.join(directory, 'writer.sqlite3'), rows);
    assert.equal((await readAppliedMigrations(sqliteSettings(file))).status, 'ok');
    const writer = new Database(file, { timeout: 0 });
    try {
      writer.exec("INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0002_x', '2024-05-02 00:00:00')");
    } finally {
      writer.close();
    }
    const result = await readAppliedMigrations(sqliteSettings(file));
    assert.equal(result.status === 'ok' && result.rows.length, rows.length + 1);
  });

  it('reports an in-memory database, an empty NAME and a URI filename without opening anything', async () => {
    assertProblem(await readAppliedMigrations(sqliteSettings(':memory:')), 'missing-file', 'in-memory');
    const empty: DatabaseSettings = { engine: 'sqlite', djangoEngine: 'django.db.backends.sqlite3', name: '', options: {} };
    assertProblem(await readAppliedMigrations(empty), 'missing-file', 'NAME');
    const uri: DatabaseSettings = { ...empty, name: `file:${path.join(directory, 'uri.sqlite3')}?mode=ro` };
    assertProblem(await readAppliedMigrations(uri), 'error', 'URI');
  });

  it('reports a driver that cannot load', async () => {
    const file = createMigrationsDatabase(path.join(directory, 'no-driver.sqlite3'), rows);
    const foreignAddon = path.join(directory, 'foreign.node');
    fs.writeFileSync(foreignAddon, 'not an addon');
    const result = await readAppliedMigrations(sqliteSettings(file), {
      sqlite: { drivers: ['better-sqlite3'], betterSqlite3Binding: foreignAddon },
    });
    assertProblem(result, 'driver-unavailable', file, 'better-sqlite3');
  });

  it('reports a backend it does not read', async () => {
    const result = parseDatabaseUrl('mysql://root:hunter22@localhost/shop');
    assert.ok(result.ok);
    const read = await readAppliedMigrations(result.settings);
    assertProblem(read, 'unsupported-engine', 'shop', 'django.db.backends.mysql');
    assert.ok('message' in read && !read.message.includes('hunter22'));
  });
});
