import * as vscode from 'vscode';
import { DjangoFailure } from '../../../protocol/index';
import { ServerRequests } from '../commands/serverRequests';

export const SQL_SCHEME = 'django-migrations-sql';

/** One SQL preview: a migration, a direction, a database and the content of its file. */
export interface SqlDocumentTarget {
  readonly projectRoot: string;
  readonly app: string;
  readonly name: string;
  readonly backwards: boolean;
  readonly database?: string;
  /** Hash of the migration file: another content is another document. */
  readonly contentHash?: string;
}

/** `django-migrations-sql:/catalog/0001_initial.sql?...`, `....backwards.sql` backwards: the name is the tab's title. */
export function sqlDocumentUri(target: SqlDocumentTarget): vscode.Uri {
  const query = new URLSearchParams({ root: target.projectRoot });
  if (target.database) query.set('database', target.database);
  if (target.contentHash) query.set('hash', target.contentHash);
  return vscode.Uri.from({
    scheme: SQL_SCHEME,
    path: `/${target.app}/${target.name}${target.backwards ? '.backwards' : ''}.sql`,
    query: query.toString(),
  });
}

export function sqlDocumentTarget(uri: vscode.Uri): SqlDocumentTarget | undefined {
  const parts = uri.path.split('/').filter(Boolean);
  const query = new URLSearchParams(uri.query);
  const projectRoot = query.get('root');
  if (parts.length !== 2 || !projectRoot || !parts[1].endsWith('.sql')) return undefined;
  const backwards = parts[1].endsWith('.backwards.sql');
  return {
    projectRoot,
    app: parts[0],
    name: parts[1].slice(0, -(backwards ? '.backwards.sql' : '.sql').length),
    backwards,
    database: query.get('database') ?? undefined,
    contentHash: query.get('hash') ?? undefined,
  };
}

/**
 * Read-only SQL documents holding exactly what `manage.py sqlmigrate` prints, from the server's
 * warm Django helper, which keeps answers by the migration file's content. The URI carries that
 * content's hash too, so an edited migration opens as a new document.
 */
export class SqlDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly requests: ServerRequests,
    private readonly output: vscode.OutputChannel,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = sqlDocumentTarget(uri);
    if (!target) return `-- ${uri.path} does not name a migration.\n`;
    const label = `sqlmigrate ${target.app} ${target.name}${target.backwards ? ' --backwards' : ''}`;
    const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: label }, () =>
      this.requests.sqlmigrate({
        projectRoot: target.projectRoot,
        app: target.app,
        name: target.name,
        backwards: target.backwards,
        database: target.database,
      }),
    );
    if (!answer.ok) return failureText(label, answer);
    if (answer.stderr.trim()) this.output.appendLine(`${label}:\n${answer.stderr.trimEnd()}`);
    return answer.sql;
  }
}

/** Why there is no SQL, as SQL comments, so the document still reads as SQL. */
export function failureText(label: string, failure: DjangoFailure): string {
  const lines = [`-- ${label}`, '--', ...failure.message.split('\n').map((line) => `-- ${line}`)];
  return `${lines.join('\n')}\n`;
}
