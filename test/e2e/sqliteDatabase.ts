import Database from 'better-sqlite3';

/** Read-only looks into a project's SQLite database, the way Django left it. */
export class SqliteDatabase {
  constructor(private readonly file: string) {}

  /** `app.name` of every row of django_migrations, sorted. */
  appliedMigrations(): string[] {
    return this.read((db) =>
      (db.prepare('SELECT app, name FROM django_migrations').all() as { app: string; name: string }[])
        .map((row) => `${row.app}.${row.name}`)
        .sort(),
    );
  }

  /** The column names of a table. */
  columns(table: string): string[] {
    return this.read((db) => (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((column) => column.name));
  }

  private read<T>(query: (db: Database.Database) => T): T {
    // A connection per look: Django's migrate writes between them.
    const db = new Database(this.file, { readonly: true, fileMustExist: true });
    try {
      return query(db);
    } finally {
      db.close();
    }
  }
}
