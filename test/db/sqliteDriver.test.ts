import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kysely, sql } from 'kysely';
import { nodeSqliteSupported } from '../../server/src/db/nodeSqliteDatabase';
import { createSqliteDialect } from '../../server/src/db/sqliteDialect';
import { openSqliteDatabase, SqliteDriverName, SqliteDriverUnavailableError } from '../../server/src/db/sqliteDriver';
import { createMigrationsDatabase, MigrationRow } from './sqliteFiles';
import { temporaryFolder } from '../support/projectFolder';

const rows: MigrationRow[] = [
  ['contenttypes', '0001_initial', '2024-05-01 10:00:00.123456'],
  ['auth', '0001_initial', '2024-05-01 10:00:01.000001'],
];

interface Tables {
  django_migrations: { id: number; app: string; name: string; applied: string };
}

async function readThrough(file: string, driver: SqliteDriverName): Promise<unknown[]> {
  const db = new Kysely<Tables>({ dialect: createSqliteDialect(file, { drivers: [driver] }) });
  try {
    return await db.selectFrom('django_migrations').select(['app', 'name', 'applied']).orderBy('id').execute();
  } finally {
    await db.destroy();
  }
}

describe('SQLite drivers', () => {
  const directory = temporaryFolder('sqlite-driver');
  const file = createMigrationsDatabase(path.join(directory, 'db.sqlite3'), rows);
  const expected = rows.map(([app, name, applied]) => ({ app, name, applied }));

  // Drivers that can run on this machine's Node; node:sqlite is covered below.
  for (const driver of ['better-sqlite3', 'sql.js'] as const) {
    describe(driver, () => {
      it('reads rows through kysely', async () => {
        assert.deepEqual(await readThrough(file, driver), expected);
      });

      it('is the driver that opened the file', async () => {
        const opened = await openSqliteDatabase(file, { drivers: [driver] });
        opened.database.close();
        assert.equal(opened.driver, driver);
      });

      it('refuses writes and leaves the file unchanged', async () => {
        const before = fs.readFileSync(file);
        const db = new Kysely<Tables>({ dialect: createSqliteDialect(file, { drivers: [driver] }) });
        try {
          await assert.rejects(
            db.insertInto('django_migrations').values({ id: 99, app: 'x', name: 'y', applied: 'z' }).execute(),
            /readonly|read-only|query_only/i,
          );
          await assert.rejects(sql`DELETE FROM django_migrations`.execute(db), /readonly|read-only|query_only/i);
        } finally {
          await db.destroy();
        }
        assert.deepEqual(fs.readFileSync(file), before);
        assert.deepEqual(await readThrough(file, driver), expected);
      });

      it('never creates a missing file', async () => {
        const missing = path.join(directory, `missing-${driver}.sqlite3`);
        await assert.rejects(openSqliteDatabase(missing, { drivers: [driver] }));
        assert.equal(fs.existsSync(missing), false);
      });
    });
  }

  describe('node:sqlite', () => {
    const supported = nodeSqliteSupported(process.versions);
    const title = supported
      ? 'reads rows through kysely'
      : `is not applicable on Node ${process.versions.node}: the runtime lacks it and it is reported unavailable`;
    it(title, async () => {
      if (supported) {
        assert.deepEqual(await readThrough(file, 'node:sqlite'), expected);
        return;
      }
      // The detection agrees with the runtime: the module itself does not load here.
      assert.throws(() => require('node:sqlite'));
      await assert.rejects(
        openSqliteDatabase(file, { drivers: ['node:sqlite'] }),
        (error: unknown) => error instanceof SqliteDriverUnavailableError && error.message.includes('node:sqlite: needs Node 22.13'),
      );
    });

    it('is detected from the Node version the runtime reports', () => {
      const cases: Record<string, boolean> = {
        '20.20.2': false,
        '22.5.0': false,
        '22.12.0': false,
        '22.13.0': true,
        '22.20.1': true,
        '23.3.0': false,
        '23.4.0': true,
        '24.0.0': true,
        '': false,
      };
      for (const [node, expectedSupport] of Object.entries(cases)) {
        assert.equal(nodeSqliteSupported({ node }), expectedSupport, node);
      }
      // An Electron runtime reports the Node it embeds.
      assert.equal(nodeSqliteSupported({ node: '20.18.3', electron: '34.5.0' }), false);
    });
  });

  describe('fallback', () => {
    it('falls back to the next driver when better-sqlite3 is built for another runtime', async () => {
      // A file that is not a loadable addon fails the way an addon built for Electron fails in Node.
      const foreignAddon = path.join(directory, 'better_sqlite3.node');
      fs.writeFileSync(foreignAddon, 'not an addon for this runtime');
      const opened = await openSqliteDatabase(file, {
        drivers: ['better-sqlite3', 'node:sqlite', 'sql.js'],
        betterSqlite3Binding: foreignAddon,
      });
      opened.database.close();
      assert.equal(opened.driver, nodeSqliteSupported(process.versions) ? 'node:sqlite' : 'sql.js');
    });

    it('says why each driver failed when none loads', async () => {
      const foreignAddon = path.join(directory, 'better_sqlite3.node');
      fs.writeFileSync(foreignAddon, 'not an addon for this runtime');
      await assert.rejects(
        openSqliteDatabase(file, { drivers: ['better-sqlite3'], betterSqlite3Binding: foreignAddon }),
        (error: unknown) => error instanceof SqliteDriverUnavailableError && error.message.includes('better-sqlite3: '),
      );
    });

    it('does not fall back when the driver loads but the file cannot be opened', async () => {
      const notADatabase = path.join(directory, 'not-a-database.sqlite3');
      fs.writeFileSync(notADatabase, 'plain text, not SQLite '.repeat(100));
      const db = new Kysely<Tables>({ dialect: createSqliteDialect(notADatabase, { drivers: ['better-sqlite3', 'sql.js'] }) });
      try {
        await assert.rejects(db.selectFrom('django_migrations').selectAll().execute(), { code: 'SQLITE_NOTADB' });
      } finally {
        await db.destroy();
      }
    });
  });
});
