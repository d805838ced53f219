import { DjangoVersion, djangoVersionText, NEWEST_LTS, parseDjangoVersion } from '../core/djangoVersion';
import { describeDatabase } from '../db/databaseSettings';
import { MigrationProject } from '../project/migrationProject';
import { DatabaseStatus } from '../../../protocol/index';
import { AppliedRead } from '../workspace/workspace';
import { buildMigrationTree, showmigrationsMark } from '../features/migrationTree';
import { usageError, withCommandProjects } from './commandProjects';
import { parseCommandLine, UsageError } from './commonOptions';
import { printable } from './terminalText';

const USAGE = `Usage: status [DIR] [--database ALIAS] [--database-url URL] [--json] [--python PATH] [--settings MODULE]

Which migrations are applied on a database, as \`manage.py showmigrations\` lists them, read from its
django_migrations table (DATABASES of the settings, or --database-url). Settings that build
DATABASES from the environment are read through the project's Django (--python, or the project's
virtual environment). Exit status: 0 when the database was read, 1 when it could not be, 2 for a
usage error.
`;

/** The `status --json` document; documented in docs/cli.md. */
export interface StatusJson {
  project: string;
  database: { alias: string; description: string; status: DatabaseStatus; message?: string; has_table: boolean };
  /** By app label: each migration as showmigrations lists it; `applied` is null when the database could not be read. */
  apps: Record<
    string,
    { name: string; applied: boolean | null; recorded: boolean | null; applied_at: string | null; squashed_count: number }[]
  >;
  /** Rows of django_migrations whose migration file is gone. */
  applied_without_file: { app: string; name: string; applied_at: string | null }[];
  /** What `migrate` would raise as InconsistentMigrationHistory, else null. */
  consistency_error: string | null;
  /** The Django release whose `showmigrations` the text output follows (`5.2`). */
  django_version: string;
}

/** `status [DIR] [--database ALIAS] [--database-url URL] --json`. */
export async function runStatus(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } });
  } catch (error) {
    if (error instanceof UsageError) return usageError('status', error.message);
    throw error;
  }
  if (parsed.values.help) {
    out.write(USAGE);
    return 0;
  }
  if (parsed.positionals.length > 1) return usageError('status', 'expected at most one DIR');
  const json = parsed.values.json;
  return withCommandProjects(
    'status',
    parsed.positionals[0],
    parsed.values,
    async ({ root, workspace, projects }) => {
      if (projects.length === 0) {
        process.stderr.write(`status: no Django project or migrations found in ${root}\n`);
        return 1;
      }
      const documents: StatusJson[] = [];
      for (const project of projects) documents.push(projectStatus(project, await workspace.readApplied(project)));
      if (json) {
        out.write(`${JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2)}\n`);
      } else {
        for (const document of documents) out.write(showmigrationsText(document, documents.length > 1));
      }
      const unreadable = documents.filter((document) => !['ok', 'missing-file'].includes(document.database.status));
      for (const document of unreadable)
        process.stderr.write(`status: ${printable(document.database.message ?? document.database.status)}\n`);
      return unreadable.length > 0 ? 1 : 0;
    },
    // Read below, so that an unreadable database is reported as the document's status.
    { readApplied: false },
  );
}

/** One project's document, from what the workspace read of the alias (the project's graph holds its rows). */
function projectStatus(project: MigrationProject, read: AppliedRead): StatusJson {
  const root = project.project.root;
  const { alias, configured } = read;
  const settings = configured?.settings;
  const result =
    read.result ??
    ({
      status: 'not-configured',
      message: `no DATABASES entry '${alias}'${configured?.problem ? `: ${configured.problem}` : ''}`,
    } as const);
  const rows = result.status === 'ok' ? result.rows : [];
  // An unreadable database says nothing about what is applied: not the same as an empty one.
  const known = result.status === 'ok' || result.status === 'missing-file';
  const loaded = project.loaderResult();
  const tree = buildMigrationTree({
    alias,
    loaded,
    rows,
    apps: project.project.apps,
    externalApps: project.project.externalApps,
    djangoVersion: project.djangoVersion,
  });
  const apps: StatusJson['apps'] = {};
  const withoutFile: StatusJson['applied_without_file'] = [];
  for (const app of tree.apps) {
    if (app.external) continue;
    apps[app.app] = app.migrations
      .filter((migration) => migration.listed)
      .map((migration) => ({
        name: migration.name,
        applied: known ? migration.applied : null,
        recorded: known ? migration.recorded : null,
        applied_at: migration.applied ? (migration.appliedAt ?? null) : null,
        squashed_count: migration.squash?.replaces ?? 0,
      }));
    for (const migration of app.migrations) {
      if (migration.state === 'missingFile')
        withoutFile.push({ app: migration.app, name: migration.name, applied_at: migration.appliedAt ?? null });
    }
  }
  return {
    project: root,
    database: {
      alias,
      description: settings ? describeDatabase(settings) : `alias '${alias}'`,
      status: result.status,
      ...('message' in result ? { message: result.message } : {}),
      has_table: result.status === 'ok' && result.hasTable,
    },
    apps,
    applied_without_file: withoutFile,
    consistency_error: tree.consistencyError ?? null,
    django_version: djangoVersionText(project.djangoVersion),
  };
}

/**
 * The lines `manage.py showmigrations` prints for the apps, every name escaped. When the database
 * could not be read, it says so first and marks each migration `[?]`.
 */
function showmigrationsText(document: StatusJson, withProject: boolean): string {
  const version = parseDjangoVersion(document.django_version) ?? NEWEST_LTS;
  const lines: string[] = withProject ? [`# ${printable(document.project)}`] : [];
  const { database } = document;
  if (!['ok', 'missing-file'].includes(database.status)) {
    lines.push(
      `Could not read ${printable(database.description)}: ${printable(database.message ?? database.status)}. Which migrations are applied is unknown.`,
    );
  }
  for (const [app, migrations] of Object.entries(document.apps)) {
    lines.push(printable(app));
    if (migrations.length === 0) lines.push(' (no migrations)');
    for (const migration of migrations) lines.push(showmigrationsLine(migration, version));
  }
  for (const row of document.applied_without_file)
    lines.push(`applied without a migration file: ${printable(row.app)}.${printable(row.name)}`);
  if (document.consistency_error) lines.push(`InconsistentMigrationHistory: ${printable(document.consistency_error)}`);
  return `${lines.join('\n')}\n`;
}

/** One migration's line, with the mark the project's Django gives it. */
function showmigrationsLine(migration: StatusJson['apps'][string][number], version: DjangoVersion): string {
  const name = printable(migration.name);
  const title = migration.squashed_count > 0 ? `${name} (${migration.squashed_count} squashed migrations)` : name;
  if (migration.applied === null) return ` [?] ${title}`;
  const mark = showmigrationsMark(
    { ...migration, applied: migration.applied, recorded: migration.recorded ?? false, squashed: migration.squashed_count > 0 },
    version,
  );
  return mark === '-' ? ` [-] ${title} Run 'manage.py migrate' to finish recording.` : ` [${mark}] ${title}`;
}
