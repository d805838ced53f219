import { pythonSysPath } from '../django/pythonSysPath';
import { modelsProblems } from '../features/modelsProblems';
import { Problem } from '../core/problem';
import { nodeFileSystem } from '../project/fileSystem';
import { MigrationProject } from '../project/migrationProject';
import { MissingMigrationsDetector } from '../project/missingMigrations';
import { ProjectModels } from '../project/projectModels';
import { loadPythonParser } from '../python/pythonParser';

/**
 * What `makemigrations --check` fails on, found without Django: each operation a migration
 * would hold, as an error on the model it comes from. With `--python`, Django's own abstract
 * models (AbstractUser) are read from that environment.
 */
export async function missingMigrationProblems(project: MigrationProject, python?: string): Promise<Problem[]> {
  const libraryRoots = python ? ((await pythonSysPath(python, project.project.root).catch(() => undefined)) ?? []) : [];
  const models = new ProjectModels(project.project, await loadPythonParser(), nodeFileSystem, libraryRoots);
  await models.load(project.settings?.files ?? []);
  const missing = new MissingMigrationsDetector(project, models).detect();
  return [...modelsProblems(project, missing, false).values()]
    .flat()
    .filter((problem) => problem.code === 'missing-migration')
    .map((problem) => ({ ...problem, severity: 'error' }));
}
