/**
 * Prints how long readAppliedMigrations takes for 5,000 rows on SQLite (each driver that runs
 * here) and on PostgreSQL. Not a test: `npx tsc -b && node out/bench/databaseReadTiming.js`.
 * Uses DJANGO_MIGRATIONS_TEST_POSTGRES_URL, or starts a private cluster with scripts/postgres.sh.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readAppliedMigrations, ReadAppliedMigrationsOptions } from '../server/src/db/recorder';
import { DatabaseSettings, parseDatabaseUrl } from '../server/src/db/databaseSettings';
import { createTestDatabase, dropTestDatabase, runSql, testPostgresUrl } from '../test/db/postgresCluster';
import { createMigrationsDatabase, manyRows } from '../test/db/sqliteFiles';
import { temporaryFolder } from '../test/support/projectFolder';

const ROWS = 5000;
const WARM_READS = 9;

async function measure(label: string, settings: DatabaseSettings, options: ReadAppliedMigrationsOptions): Promise<void> {
  const times: number[] = [];
  for (let read = 0; read <= WARM_READS; read++) {
    const start = performance.now();
    const result = await readAppliedMigrations(settings, options);
    times.push(performance.now() - start);
    if (result.status !== 'ok' || result.rows.length !== ROWS) {
      throw new Error(`${label}: ${JSON.stringify(result).slice(0, 200)}`);
    }
  }
  const [first, ...warm] = times;
  warm.sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)];
  console.log(
    `${label.padEnd(26)} first read ${first.toFixed(1).padStart(7)} ms   median of next ${WARM_READS} ${median.toFixed(1).padStart(7)} ms`,
  );
}

function settingsOf(url: string): DatabaseSettings {
  const result = parseDatabaseUrl(url);
  if (!result.ok) {
    throw new Error(result.problem);
  }
  return result.settings;
}

async function main(): Promise<void> {
  console.log(`One readAppliedMigrations of ${ROWS} rows (Node ${process.versions.node}):`);
  const file = createMigrationsDatabase(path.join(temporaryFolder('timing'), 'db.sqlite3'), manyRows(ROWS));
  await measure('SQLite (better-sqlite3)', settingsOf(`sqlite:///${file}`), { sqlite: { drivers: ['better-sqlite3'] } });
  await measure('SQLite (sql.js)', settingsOf(`sqlite:///${file}`), { sqlite: { drivers: ['sql.js'] } });

  const databaseUrl = await createTestDatabase(await testPostgresUrl(), 'timing');
  try {
    await runSql(
      databaseUrl,
      'CREATE TABLE "django_migrations" ("id" serial NOT NULL PRIMARY KEY, "app" varchar(255) NOT NULL, ' +
        '"name" varchar(255) NOT NULL, "applied" timestamp with time zone NOT NULL)',
      `INSERT INTO django_migrations (app, name, applied)
         SELECT 'app_' || (i % 50), lpad((i / 50 + 1)::text, 4, '0') || '_auto_20240501_1000',
                timestamptz '2024-05-01 10:00:00+00' + i * interval '1 millisecond'
         FROM generate_series(0, ${ROWS - 1}) AS i`,
    );
    await measure('PostgreSQL (pg, TCP)', settingsOf(databaseUrl), {});
  } finally {
    await dropTestDatabase(databaseUrl);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
