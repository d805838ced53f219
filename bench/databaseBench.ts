import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { AppliedMigrationsResult, readAppliedMigrations } from '../server/src/db/recorder';
import { DatabaseSettings } from '../server/src/db/databaseSettings';
import { MigrationProject } from '../server/src/project/migrationProject';
import { loadProjects } from '../server/src/project/projectLoader';
import { DatabaseOverride } from '../protocol/index';
import { AppliedHashes } from '../server/src/databases/appliedHashes';
import { MigrationStateService } from '../server/src/databases/migrationStateService';
import { migrationStateResult } from '../server/src/features/migrationStateResult';
import { djangoPostgresDatabase } from '../test/db/migratedDjangoProject';
import { createTestDatabase, dropTestDatabase, testPostgresUrl } from '../test/db/postgresCluster';
import { djangoPython } from '../test/support/testDjango';

const execFileAsync = promisify(execFile);

export interface DatabaseBenchResult {
  readonly rows: number;
  /** Median time from a changed database to the full tree model, per way of reading it. */
  readonly refreshMs: { readonly sqlite: number; readonly sqlJs: number; readonly postgres: number };
  /** Median wall time of `manage.py showmigrations` on the same database. */
  readonly showmigrationsMs: { readonly sqlite: number; readonly postgres: number };
}

const ROUNDS = 16;
const SHOWMIGRATIONS_RUNS = 3;
const POSTGRES_SETTINGS = 'benchsite.settings_postgres';

/**
 * Refresh to full tree model: one row of `django_migrations` changes (removed, then added back,
 * by another connection), the state service reads the database again and builds every app's
 * tree (showmigrations order, marks, squashes, consistency). The project is indexed once, as in
 * the running server. Against `manage.py showmigrations` on the same project and database.
 * The databases are made by the real `manage.py migrate --fake`.
 */
export async function benchDatabases(root: string, python = djangoPython): Promise<DatabaseBenchResult> {
  const manage = (...args: string[]) => execFileAsync(python, ['manage.py', ...args], { cwd: root, maxBuffer: 64 << 20 });
  await manage('migrate', '--fake', '-v', '0');
  const postgresUrl = await createTestDatabase(await testPostgresUrl(), 'bench');
  try {
    const database = djangoPostgresDatabase(postgresUrl);
    writeFileSync(
      path.join(root, 'benchsite', 'settings_postgres.py'),
      `from .settings import *  # noqa\n\nDATABASES = {'default': ${JSON.stringify(database)}}\n`,
    );
    await manage('migrate', '--fake', '-v', '0', '--settings', POSTGRES_SETTINGS);

    const [project] = await loadProjects(root, { trusted: false });
    const sqliteFile = path.join(root, 'db.sqlite3');
    const sqlite = await refreshTimes(project, {}, undefined, sqliteToggle(sqliteFile));
    const sqlJs = await refreshTimes(
      project,
      {},
      (settings) => readAppliedMigrations(settings, { sqlite: { drivers: ['sql.js'] } }),
      sqliteToggle(sqliteFile),
    );
    const postgres = await refreshTimes(project, { default: postgresUrl }, undefined, postgresToggle(postgresUrl));

    const showmigrations = async (...args: string[]) => {
      const times: number[] = [];
      for (let run = 0; run < SHOWMIGRATIONS_RUNS; run++) {
        const start = performance.now();
        await manage('showmigrations', ...args);
        times.push(performance.now() - start);
      }
      return median(times);
    };
    return {
      rows: sqlite.rows,
      refreshMs: { sqlite: sqlite.median, sqlJs: sqlJs.median, postgres: postgres.median },
      showmigrationsMs: { sqlite: await showmigrations(), postgres: await showmigrations('--settings', POSTGRES_SETTINGS) },
    };
  } finally {
    await dropTestDatabase(postgresUrl);
  }
}

/** Removes the last row, or puts it back: a change as a migrate or an unapply makes it. */
type Toggle = (round: number) => Promise<void>;

function sqliteToggle(file: string): Toggle {
  let removed: { app: string; name: string; applied: string } | undefined;
  return async () => {
    const database = new Database(file);
    try {
      if (removed) {
        database
          .prepare('INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, ?)')
          .run(removed.app, removed.name, removed.applied);
        removed = undefined;
      } else {
        removed = database.prepare('SELECT app, name, applied FROM django_migrations ORDER BY id DESC LIMIT 1').get() as typeof removed;
        database.prepare('DELETE FROM django_migrations WHERE app = ? AND name = ?').run(removed!.app, removed!.name);
      }
    } finally {
      database.close();
    }
  };
}

function postgresToggle(url: string): Toggle {
  let removed: { app: string; name: string; applied: Date } | undefined;
  return async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      if (removed) {
        await client.query('INSERT INTO django_migrations (app, name, applied) VALUES ($1, $2, $3)', [
          removed.app,
          removed.name,
          removed.applied,
        ]);
        removed = undefined;
      } else {
        removed = (await client.query('SELECT app, name, applied FROM django_migrations ORDER BY id DESC LIMIT 1')).rows[0];
        await client.query('DELETE FROM django_migrations WHERE app = $1 AND name = $2', [removed!.app, removed!.name]);
      }
    } finally {
      await client.end();
    }
  };
}

async function refreshTimes(
  project: MigrationProject,
  databases: Record<string, DatabaseOverride>,
  read: ((settings: DatabaseSettings) => Promise<AppliedMigrationsResult>) | undefined,
  toggle: Toggle,
): Promise<{ median: number; rows: number }> {
  const hashes = await AppliedHashes.open(undefined);
  const service = new MigrationStateService(
    // A trusted workspace: in Restricted Mode no database server is contacted.
    { projects: () => [project], options: { trusted: true, databases, databaseRefreshInterval: 0 }, log: () => undefined },
    { hashes, read },
  );
  try {
    await service.update();
    const rows = service.views(project)[0].snapshot.rows.length;
    if (migrationStateResult(service, [project]).projects[0].aliases[0].status !== 'ok')
      throw new Error(
        `the database was not read: ${JSON.stringify(migrationStateResult(service, [project]).projects[0].aliases[0].message)}`,
      );
    // What is remembered of each applied migration is read once in the background: let it finish.
    await until(() => hashes.keys(service.views(project)[0].databaseKey).length >= rows);
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await toggle(round);
      const start = performance.now();
      await service.refresh();
      const state = migrationStateResult(service, [project]);
      times.push(performance.now() - start);
      if (state.projects[0].aliases[0].apps.length === 0) throw new Error('no tree');
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return { median: median(times), rows };
  } finally {
    service.dispose();
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let wait = 0; wait < 600 && !condition(); wait++) await new Promise((resolve) => setTimeout(resolve, 50));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
