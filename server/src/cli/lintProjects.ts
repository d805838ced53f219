import * as fs from 'node:fs/promises';
import { lintMigration } from '../core/lints';
import { Problem } from '../core/problem';
import { readServerVersion } from '../db/serverVersion';
import { readLintConfigurationFile } from '../project/lintConfigurationFile';
import { lintTargets } from '../databases/lintTargets';
import { lintDjangoVersion } from '../project/lintDjangoVersion';
import { lintStateOracle } from '../project/lintStateOracle';
import { MigrationProject } from '../project/migrationProject';
import { migrationKey } from '../core/migration';
import { readLintSource } from '../python/lintSourceReader';
import { loadPythonParser } from '../python/pythonParser';
import { configuredDatabases } from '../databases/configuredDatabases';

export interface LintProjectsOptions {
  /** `--database-url` for `--database` (default `default`). */
  readonly databaseUrl?: string;
  readonly databaseAlias?: string;
  /** `--server-version`. */
  readonly serverVersion?: string;
  /** Only these files are linted (`--changed-since`). */
  readonly only?: ReadonlySet<string>;
}

/** The lint findings and configuration problems of each project, as the editor shows them. */
export async function lintProjects(projects: readonly MigrationProject[], options: LintProjectsOptions): Promise<Problem[]> {
  const parser = await loadPythonParser();
  const problems: Problem[] = [];
  for (const project of projects) {
    const configurationFile = await readLintConfigurationFile(project.project.root);
    problems.push(...configurationFile.problems);
    const databases = configuredDatabases({
      root: project.project.root,
      settings: project.settings,
      environment: process.env,
      overrides: options.databaseUrl === undefined ? undefined : { [options.databaseAlias ?? 'default']: options.databaseUrl },
    });
    const targets = await lintTargets({
      databases,
      configuration: configurationFile.configuration,
      versionSetting: options.serverVersion,
      djangoVersion: lintDjangoVersion(project, configurationFile.configuration),
      serverVersion: (database) => (database.settings ? readServerVersion(database.settings) : Promise.resolve(undefined)),
    });
    for (const migration of project.analyse().loaded.diskMigrations.values()) {
      if (options.only && !options.only.has(migration.path)) continue;
      const text = await fs.readFile(migration.path, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const source = readLintSource(parser, text);
      problems.push(
        ...lintMigration(
          {
            migration,
            targets,
            functions: source.functions,
            djangoVersion: lintDjangoVersion(project, configurationFile.configuration),
            state: lintStateOracle(project, migrationKey(migration.appLabel, migration.name)),
          },
          { configuration: configurationFile.configuration, comments: source.comments },
        ),
      );
    }
  }
  return problems;
}
