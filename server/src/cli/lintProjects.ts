import { readFileSync } from 'node:fs';
import { lintMigration } from '../core/lints';
import { Problem } from '../core/problem';
import { readLintConfigurationFile } from '../project/lintConfigurationFile';
import { lintTargets } from '../databases/lintTargets';
import { lintDjangoVersion } from '../project/lintDjangoVersion';
import { lintStateOracle } from '../project/lintStateOracle';
import { MigrationProject } from '../project/migrationProject';
import { migrationKey } from '../core/migration';
import { readLintSource } from '../python/lintSourceReader';
import { LintSourceCache } from '../project/lintSourceCache';
import { loadPythonParser } from '../python/pythonParser';
import { Workspace } from '../workspace/workspace';

export interface LintProjectsOptions {
  /** `--server-version`. */
  readonly serverVersion?: string;
  /** Only these files are linted (`--changed-since`). */
  readonly only?: ReadonlySet<string>;
  /** `--cache-dir`: what the rules read of each file is kept there between runs. */
  readonly cacheDirectory?: string;
}

/** The lint findings and configuration problems of each project, as the editor shows them. */
export async function lintProjects(
  workspace: Workspace,
  projects: readonly MigrationProject[],
  options: LintProjectsOptions,
): Promise<Problem[]> {
  const parser = await loadPythonParser();
  const problems: Problem[] = [];
  for (const project of projects) {
    const configurationFile = await readLintConfigurationFile(project.project.root);
    problems.push(...configurationFile.problems);
    const databases = await workspace.configuredDatabases(project);
    const targets = await lintTargets({
      databases,
      configuration: configurationFile.configuration,
      versionSetting: options.serverVersion,
      djangoVersion: lintDjangoVersion(project, configurationFile.configuration),
      serverVersion: (database) => (database.settings ? workspace.serverVersions.get(database.settings) : Promise.resolve(undefined)),
    });
    // The database `check` read (`--database-url`, `--database`) and the branch's files say what ships together.
    const applied = project.loaderResult().appliedMigrations;
    const lintSources = options.cacheDirectory ? LintSourceCache.open(options.cacheDirectory, project.project.root) : undefined;
    const deploy = { applied: applied.size > 0 ? [new Set(applied.keys())] : [], branchFiles: options.only };
    for (const migration of project.analyse().loaded.diskMigrations.values()) {
      if (options.only && !options.only.has(migration.path)) continue;
      const text = project.sourceText(migration.path) ?? readText(migration.path);
      if (text === undefined) continue;
      const known = project.keptLintSource(migration.path);
      const source = lintSources ? lintSources.read(parser, migration.path, text, known) : (known ?? readLintSource(parser, text));
      problems.push(
        ...lintMigration(
          {
            migration,
            targets,
            functions: source.functions,
            source: text,
            djangoVersion: lintDjangoVersion(project, configurationFile.configuration),
            state: lintStateOracle(project, migrationKey(migration.appLabel, migration.name), deploy),
          },
          { configuration: configurationFile.configuration, comments: source.comments },
        ),
      );
    }
    // Only a full run knows which files are gone; `--changed-since` keeps the rest as they were.
    if (!options.only) await lintSources?.save();
  }
  return problems;
}

/** Read on the spot: thousands of small files cost far less read in turn than as promises. */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
