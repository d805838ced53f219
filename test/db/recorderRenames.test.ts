import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RefactoringPlan } from '../../server/src/core/lifecycle/refactoringPlan';
import { writeRefactoring } from '../../server/src/databases/refactoringWriter';
import { DatabaseSettings, parseDatabaseUrl } from '../../server/src/db/databaseSettings';
import { readAppliedMigrations } from '../../server/src/db/recorder';
import { renameRecorderRows } from '../../server/src/db/recorderRenames';
import { SqliteDriverName } from '../../server/src/db/sqliteDriver';
import { temporaryFolder } from '../support/projectFolder';
import { createTestDatabase, dropTestDatabase, runSql, testPostgresUrl } from './postgresCluster';
import { createMigrationsDatabase } from './sqliteFiles';

const APPLIED = '2024-05-01 10:00:00.000000';
const ROWS = [
  ['shop', '0001_initial', APPLIED],
  ['shop', '0002_price', APPLIED],
  ['shop', '0003_order', APPLIED],
] as const;

async function names(settings: DatabaseSettings): Promise<string[]> {
  const result = await readAppliedMigrations(settings);
  assert.equal(result.status, 'ok', JSON.stringify(result));
  return result.status === 'ok' ? result.rows.map((row) => `${row.app}.${row.name}`) : [];
}

function settingsOf(url: string): DatabaseSettings {
  const parsed = parseDatabaseUrl(url);
  assert.ok(parsed.ok);
  return parsed.settings;
}

type Vendor = { name: string; make(): Promise<{ settings: DatabaseSettings; drop(): Promise<void> }> };

const sqlite = (driver: SqliteDriverName): Vendor => ({
  name: `SQLite (${driver})`,
  make: async () => {
    const file = createMigrationsDatabase(path.join(temporaryFolder('recorder-renames'), 'db.sqlite3'), ROWS);
    return { settings: { ...settingsOf(`sqlite:///${file}`) }, drop: async () => fs.rmSync(file, { force: true }) };
  },
});

const postgres: Vendor = {
  name: 'PostgreSQL',
  make: async () => {
    const url = await createTestDatabase(await testPostgresUrl(), 'renames');
    await runSql(
      url,
      'CREATE TABLE "django_migrations" ("id" serial NOT NULL PRIMARY KEY, "app" varchar(255) NOT NULL, ' +
        '"name" varchar(255) NOT NULL, "applied" timestamp with time zone NOT NULL)',
      ...ROWS.map(([app, name]) => `INSERT INTO django_migrations (app, name, applied) VALUES ('${app}', '${name}', now())`),
    );
    return { settings: settingsOf(url), drop: () => dropTestDatabase(url) };
  },
};

for (const vendor of [sqlite('better-sqlite3'), postgres]) {
  describe(`renaming recorder rows on ${vendor.name}`, function () {
    this.timeout(60_000);

    it('renames every row in one transaction', async () => {
      const { settings, drop } = await vendor.make();
      try {
        const result = await renameRecorderRows(settings, [
          { app: 'shop', from: '0002_price', to: '0002_cost' },
          { app: 'shop', from: '0003_order', to: '0003_orders' },
        ]);
        assert.deepEqual(result, { status: 'ok' });
        assert.deepEqual(await names(settings), ['shop.0001_initial', 'shop.0002_cost', 'shop.0003_orders']);
      } finally {
        await drop();
      }
    });

    it('renames none when one row is missing or its new name is taken', async () => {
      const { settings, drop } = await vendor.make();
      try {
        const missing = await renameRecorderRows(settings, [
          { app: 'shop', from: '0002_price', to: '0002_cost' },
          { app: 'shop', from: '0009_gone', to: '0009_here' },
        ]);
        assert.equal(missing.status, 'error');
        assert.match('message' in missing ? missing.message : '', /no row shop\.0009_gone/);
        const taken = await renameRecorderRows(settings, [{ app: 'shop', from: '0002_price', to: '0003_order' }]);
        assert.match('message' in taken ? taken.message : '', /a row shop\.0003_order already exists/);
        assert.deepEqual(await names(settings), ['shop.0001_initial', 'shop.0002_price', 'shop.0003_order']);
      } finally {
        await drop();
      }
    });

    it('leaves the files and renames the rows of the first alias back when the second alias cannot be written', async () => {
      const first = await vendor.make();
      const folder = temporaryFolder('refactoring-files');
      const migration = path.join(folder, '0002_price.py');
      fs.writeFileSync(migration, "dependencies = [('shop', '0001_initial')]\n");
      try {
        const plan: RefactoringPlan = {
          title: 'Rename shop.0002_price to 0002_cost',
          edits: [],
          deletes: [],
          renames: [{ from: migration, to: path.join(folder, '0002_cost.py') }],
          rows: [
            { alias: 'default', renames: [{ app: 'shop', from: '0002_price', to: '0002_cost' }] },
            { alias: 'replica', renames: [{ app: 'shop', from: '0002_price', to: '0002_cost' }] },
          ],
          leaves: [],
          report: [],
        };
        const unreachable = settingsOf('postgres://django:secret@127.0.0.1:1/nowhere');
        const result = await writeRefactoring(
          plan,
          new Map([
            ['default', first.settings],
            ['replica', unreachable],
          ]),
        );
        assert.equal(result.ok, false);
        assert.match(result.ok ? '' : result.reason, /database 'replica' was not changed: .*; no file was changed/);
        assert.ok(fs.existsSync(migration));
        assert.deepEqual(await names(first.settings), ['shop.0001_initial', 'shop.0002_price', 'shop.0003_order']);

        const done = await writeRefactoring({ ...plan, rows: [plan.rows[0]] }, new Map([['default', first.settings]]));
        assert.deepEqual(done, { ok: true });
        assert.ok(!fs.existsSync(migration) && fs.existsSync(path.join(folder, '0002_cost.py')));
        assert.deepEqual(await names(first.settings), ['shop.0001_initial', 'shop.0002_cost', 'shop.0003_order']);
      } finally {
        await first.drop();
      }
    });
  });
}

describe('renaming recorder rows through node:sqlite', function () {
  it('renames the row where the runtime has node:sqlite, else says no driver loads', async () => {
    const { settings, drop } = await sqlite('node:sqlite').make();
    try {
      const result = await renameRecorderRows(settings, [{ app: 'shop', from: '0002_price', to: '0002_cost' }], {
        sqlite: { drivers: ['node:sqlite'] },
      });
      const [major, minor] = process.versions.node.split('.').map(Number);
      const supported = major > 23 || (major === 23 && minor >= 4) || (major === 22 && minor >= 13);
      if (supported) {
        assert.deepEqual(result, { status: 'ok' });
        assert.deepEqual(await names(settings), ['shop.0001_initial', 'shop.0002_cost', 'shop.0003_order']);
      } else {
        assert.equal(result.status, 'driver-unavailable', JSON.stringify(result));
      }
    } finally {
      await drop();
    }
  });

  it('refuses to write through sql.js, which reads a copy of the file', async () => {
    const { settings, drop } = await sqlite('sql.js').make();
    try {
      const result = await renameRecorderRows(settings, [{ app: 'shop', from: '0002_price', to: '0002_cost' }], {
        sqlite: { drivers: ['sql.js'] },
      });
      assert.equal(result.status, 'driver-unavailable', JSON.stringify(result));
      assert.match('message' in result ? result.message : '', /reads a copy of the file, so cannot write to it/);
    } finally {
      await drop();
    }
  });
});
