import * as fs from 'node:fs';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type initSqlJs from 'sql.js';
import type { SqliteOpener } from './sqliteDriver';

/** First bytes of a rollback journal once it is synced, i.e. while a commit rewrites the file. */
const JOURNAL_MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);

let sqlJs: Promise<initSqlJs.SqlJsStatic> | undefined;

/**
 * Loads sql.js (SQLite compiled to WebAssembly) once per process. It runs on any runtime, but
 * works on a copy of the file in memory: no file locks, and changes still in a WAL file (a
 * connection in `journal_mode=WAL` that has not checkpointed yet) are not seen.
 * In a bundle, `sql-wasm.wasm` is looked up beside the bundled script.
 */
export async function loadSqlJs(): Promise<SqliteOpener> {
  // Required on demand: the WebAssembly module is only compiled when no native driver runs.
  sqlJs ??= (require('sql.js') as typeof initSqlJs)();
  const SQL = await sqlJs;
  return async (file) => new SqlJsDatabase(new SQL.Database(readConsistentCopy(file)));
}

/**
 * The file's bytes, refused while a commit may be rewriting it: sql.js cannot see the writer's
 * lock, so it looks for the writer's journal instead, before and after reading.
 */
function readConsistentCopy(file: string): Buffer {
  assertNoCommitInProgress(file);
  const bytes = fs.readFileSync(file);
  assertNoCommitInProgress(file);
  return bytes;
}

function assertNoCommitInProgress(file: string): void {
  let descriptor: number;
  try {
    descriptor = fs.openSync(`${file}-journal`, 'r');
  } catch {
    return;
  }
  try {
    const header = Buffer.alloc(JOURNAL_MAGIC.length);
    const length = fs.readSync(descriptor, header, 0, header.length, 0);
    if (length === header.length && header.equals(JOURNAL_MAGIC)) {
      // The same code and text as SQLite's own busy error, so callers treat both alike.
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    }
  } finally {
    fs.closeSync(descriptor);
  }
}

/** kysely's `SqliteDatabase` over an sql.js database. */
class SqlJsDatabase implements SqliteDatabase {
  constructor(private readonly database: initSqlJs.Database) {
    // The copy lives in memory: a write would seem to succeed and be lost, so refuse writes.
    database.run('PRAGMA query_only = ON');
  }

  close(): void {
    this.database.close();
  }

  prepare(sql: string): SqliteStatement {
    return new SqlJsStatement(this.database, sql);
  }
}

class SqlJsStatement implements SqliteStatement {
  /** The connection is query-only, so every statement goes through `all()`. */
  readonly reader = true;

  constructor(
    private readonly database: initSqlJs.Database,
    private readonly sql: string,
  ) {}

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    const statement = this.database.prepare(this.sql);
    try {
      statement.bind(parameters as initSqlJs.SqlValue[]);
      const columns = statement.getColumnNames();
      const rows: unknown[] = [];
      while (statement.step()) {
        // get() and one lookup of the names: getAsObject() asks for the names on every row.
        const values = statement.get();
        rows.push(Object.fromEntries(columns.map((column, index) => [column, values[index]])));
      }
      return rows;
    } finally {
      statement.free();
    }
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number; lastInsertRowid: number } {
    this.all(parameters);
    return { changes: 0, lastInsertRowid: 0 };
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.all(parameters)[Symbol.iterator]();
  }
}
