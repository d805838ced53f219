import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';

/** Django 3.2's own DDL for MigrationRecorder's table on SQLite. */
export const DJANGO_MIGRATIONS_DDL =
  'CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, ' +
  '"app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL)';

export type MigrationRow = readonly [app: string, name: string, applied: string];

/** A SQLite file with Django's django_migrations table holding `rows`. */
export function createMigrationsDatabase(file: string, rows: readonly MigrationRow[]): string {
  const database = new Database(file);
  try {
    database.exec(DJANGO_MIGRATIONS_DDL);
    const insert = database.prepare('INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, ?)');
    database.transaction(() => rows.forEach((row) => insert.run(...row)))();
  } finally {
    database.close();
  }
  return file;
}

/** `count` rows such as Django writes them, in several apps. */
export function manyRows(count: number): MigrationRow[] {
  return Array.from({ length: count }, (_, index) => [
    `app_${index % 50}`,
    `${String(Math.floor(index / 50) + 1).padStart(4, '0')}_auto_20240501_1000`,
    `2024-05-01 10:${String(Math.floor(index / 600) % 60).padStart(2, '0')}:${String(Math.floor(index / 10) % 60).padStart(2, '0')}.${String(index).padStart(6, '0')}`,
  ]);
}

export interface LockHolder {
  release(): Promise<void>;
}

/**
 * Another process (the sqlite3 shell) that opens `file`, runs BEGIN EXCLUSIVE and then
 * `statements`, and holds the transaction open until released.
 */
export function holdExclusiveLock(file: string, statements: readonly string[] = []): Promise<LockHolder> {
  const shell = spawn('sqlite3', [file], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => shell.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    shell.stderr.on('data', (chunk: Buffer) => {
      reject(new Error(`sqlite3: ${chunk.toString()}`));
    });
    shell.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('holding')) {
        resolve({
          async release() {
            shell.stdin.end('ROLLBACK;\n.quit\n');
            await exited;
          },
        });
      }
    });
    shell.once('error', reject);
    shell.stdin.write(['BEGIN EXCLUSIVE;', ...statements, "SELECT 'holding';", ''].join('\n'));
  });
}

/**
 * Statements that make a writer spill changed pages into the file before it commits: the
 * moment a commit rewrites the file, with a synced rollback journal beside it.
 */
export const SPILLING_WRITE = [
  'PRAGMA cache_size = 10;',
  'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) ' +
    "INSERT INTO django_migrations (app, name, applied) SELECT 'spill', printf('%04d_%s', i, hex(randomblob(40))), " +
    "'2024-05-01 10:00:00' FROM n;",
];
