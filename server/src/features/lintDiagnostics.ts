import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { lintMigration } from '../core/lints';
import { LintConfiguration } from '../core/lints/lintConfiguration';
import { LintTarget } from '../core/lints/lintRule';
import { Problem } from '../core/problem';
import { lintConfigurationFromText, readLintConfigurationFile } from '../project/lintConfigurationFile';
import { lintTargets } from '../databases/lintTargets';
import { lintDjangoVersion } from '../project/lintDjangoVersion';
import { lintStateOracle } from '../project/lintStateOracle';
import { DatabaseSnapshot } from '../databases/databaseMonitor';
import { MigrationProject } from '../project/migrationProject';
import { MigrationKey, migrationKey } from '../core/migration';
import { loadPythonParser } from '../python/pythonParser';
import { ServerContext } from '../serverContext';
import { ConfiguredDatabase, configuredDatabases } from '../databases/configuredDatabases';
import { ProblemSource } from './problemSources';

/** The lint rules' findings on one migration file, for its project's databases and configuration. */
export const lintDiagnostics: ProblemSource = async (context, project, file) => {
  const migration = project.migrationAt(file);
  // Nothing is read of a file past the time limit; one still being parsed is pulled again when done.
  if (!migration || !project.readInTime(file)) return [];
  const openText = context.openText(file);
  const text = openText ?? project.sourceText(file) ?? (await fs.readFile(file, 'utf8').catch(() => undefined));
  if (text === undefined) return [];
  const [parser, configurationFile] = await Promise.all([loadPythonParser(), readLintConfigurationFile(project.project.root)]);
  // The editor's text may be huge: read without holding the server's thread (empty when superseded).
  const reading = (openText === undefined && project.keptLintSource(file)) || context.workspace.editedText.read('lint', parser, file, text);
  const source = reading instanceof Promise ? await reading : reading;
  if (!source) return []; // A newer text came first: its own pull follows.
  const targets = await projectLintTargets(context, project, configurationFile.configuration);
  return lintMigration(
    {
      migration,
      targets,
      functions: source.functions,
      source: text,
      djangoVersion: lintDjangoVersion(project, configurationFile.configuration),
      state: lintStateOracle(project, migrationKey(migration.appLabel, migration.name), { applied: appliedMigrations(context, project) }),
    },
    { configuration: configurationFile.configuration, comments: source.comments },
  );
};

const APPLIED = new WeakMap<DatabaseSnapshot, ReadonlySet<MigrationKey>>();

/** The applied migrations of each of the project's databases that was read and holds rows: what reached them. */
function appliedMigrations(context: ServerContext, project: MigrationProject): ReadonlySet<MigrationKey>[] {
  return context.workspace.databases.views(project).flatMap(({ snapshot }) => {
    if (snapshot.status !== 'ok' || snapshot.rows.length === 0) return [];
    let applied = APPLIED.get(snapshot);
    if (!applied) APPLIED.set(snapshot, (applied = new Set(snapshot.rows.map((row) => migrationKey(row.app, row.name)))));
    return [applied];
  });
}

/** The databases of a project as the live state knows them (Django's DATABASES, the overrides), else as its settings say. */
export function projectDatabases(context: ServerContext, project: MigrationProject): ConfiguredDatabase[] {
  const views = context.workspace.databases.views(project);
  if (views.length > 0) return views.map((view) => view.configured);
  return configuredDatabases({
    root: project.project.root,
    settings: project.settings,
    environment: process.env,
    overrides: context.options.databases,
  });
}

export async function projectLintTargets(
  context: ServerContext,
  project: MigrationProject,
  configuration: LintConfiguration,
): Promise<LintTarget[]> {
  return lintTargets({
    databases: projectDatabases(context, project),
    configuration,
    versionSetting: context.options.lintServerVersion,
    djangoVersion: lintDjangoVersion(project, configuration),
    // Restricted Mode contacts no remote database.
    serverVersion: (database) =>
      context.options.trusted && database.settings ? context.workspace.serverVersions.get(database.settings) : Promise.resolve(undefined),
  });
}

/** Problems of a project's pyproject.toml lint configuration, when `file` is one that a project reads. */
export async function lintConfigurationProblems(context: ServerContext, file: string): Promise<Problem[]> {
  if (path.basename(file) !== 'pyproject.toml') return [];
  for (const project of context.projects()) {
    const read = await readLintConfigurationFile(project.project.root);
    if (read.file !== file) continue;
    const text = context.openText(file);
    return text === undefined ? [...read.problems] : [...lintConfigurationFromText(file, text).problems];
  }
  return [];
}

/** pyproject.toml changes on disk change every migration's findings. */
export function registerLintConfigurationWatch(context: ServerContext): void {
  context.onDidChangeWatchedFiles((changes) => {
    if (changes.some((change) => change.uri.endsWith('/pyproject.toml'))) context.refreshDiagnostics();
  });
}
