import { DATABASE_PASSWORDS_VARIABLE, DatabasePassword } from '../../../protocol/index';

/** Passwords the user stored per project and alias; see `DATABASE_PASSWORDS_VARIABLE`. */
export class DatabasePasswords {
  private constructor(private readonly byKey: ReadonlyMap<string, string>) {}

  /** Reads the variable and removes it from `environment`; a malformed value gives no passwords. */
  static takeFrom(environment: Record<string, string | undefined>): DatabasePasswords {
    const text = environment[DATABASE_PASSWORDS_VARIABLE];
    delete environment[DATABASE_PASSWORDS_VARIABLE];
    const byKey = new Map<string, string>();
    let entries: unknown;
    try {
      entries = text ? JSON.parse(text) : [];
    } catch {
      entries = [];
    }
    if (Array.isArray(entries)) {
      for (const entry of entries as Partial<DatabasePassword>[]) {
        if (typeof entry?.projectRoot === 'string' && typeof entry.alias === 'string' && typeof entry.password === 'string') {
          byKey.set(key(entry.projectRoot, entry.alias), entry.password);
        }
      }
    }
    return new DatabasePasswords(byKey);
  }

  get(projectRoot: string, alias: string): string | undefined {
    return this.byKey.get(key(projectRoot, alias));
  }
}

function key(projectRoot: string, alias: string): string {
  return `${projectRoot}\u0000${alias}`;
}
