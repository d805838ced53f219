import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { SqliteOpener } from './sqliteDriver';

/** The part of `node:sqlite` used here (its types are not in this project's @types/node). */
interface NodeSqliteModule {
  readonly DatabaseSync: new (path: string, options: { readonly readOnly: boolean }) => DatabaseSync;
}

interface DatabaseSync {
  exec(sql: string): void;
  prepare(sql: string): StatementSync;
  close(): void;
}

interface StatementSync {
  all(...parameters: unknown[]): unknown[];
}

/**
 * Whether this runtime's `node:sqlite` can be used without flags and has the `readOnly` option:
 * Node 22.13 and later on the 22 line, 23.4 and later. Electron reports the Node it embeds.
 */
export function nodeSqliteSupported(versions: Readonly<Record<string, string | undefined>>): boolean {
  const [major = 0, minor = 0] = (versions.node ?? '').split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 4) || (major === 22 && minor >= 13);
}

/** Loads Node's built-in SQLite, where the runtime has it. */
export function loadNodeSqlite(versions: Readonly<Record<string, string | undefined>> = process.versions): SqliteOpener {
  if (!nodeSqliteSupported(versions)) {
    throw new Error(`needs Node 22.13 or later; this runtime has Node ${versions.node ?? 'unknown'}`);
  }
  const { DatabaseSync } = require('node:sqlite') as NodeSqliteModule;
  return async (file, busyTimeoutMs, writable = false) => {
    // readOnly also refuses to create a missing file; the writer checks the file exists first.
    const database = new DatabaseSync(file, { readOnly: !writable });
    try {
      database.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    } catch (error) {
      database.close();
      throw error;
    }
    return new NodeSqliteDatabase(database);
  };
}

/** kysely's `SqliteDatabase` over a `node:sqlite` database. */
class NodeSqliteDatabase implements SqliteDatabase {
  constructor(private readonly database: DatabaseSync) {}

  close(): void {
    this.database.close();
  }

  prepare(sql: string): SqliteStatement {
    return new NodeSqliteStatement(this.database.prepare(sql));
  }
}

class NodeSqliteStatement implements SqliteStatement {
  /** Every statement goes through `all()`, which runs writes too (they return no rows). */
  readonly reader = true;

  constructor(private readonly statement: StatementSync) {}

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.statement.all(...parameters);
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number; lastInsertRowid: number } {
    this.all(parameters);
    return { changes: 0, lastInsertRowid: 0 };
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.all(parameters)[Symbol.iterator]();
  }
}
