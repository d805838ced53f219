import { Problem } from '../core/problem';
import { MigrationProject } from '../project/migrationProject';
import { ServerContext } from '../serverContext';
import { databaseDiagnostics } from './databaseDiagnostics';
import { lintDiagnostics } from './lintDiagnostics';

/**
 * One more source of problems for a migration file, beside the project's own analysis (the
 * databases, git, ...). Pulled with the file's diagnostics; converted by `toDiagnostic`.
 */
export type ProblemSource = (context: ServerContext, project: MigrationProject, file: string) => Problem[] | Promise<Problem[]>;

/** Every extra problem source. */
export const PROBLEM_SOURCES: ProblemSource[] = [databaseDiagnostics, lintDiagnostics];

/** The problems of every source for one file; a failing source is logged and adds nothing. */
export async function extraProblems(context: ServerContext, project: MigrationProject, file: string): Promise<Problem[]> {
  const found = await Promise.all(
    PROBLEM_SOURCES.map(async (source) => {
      try {
        return await source(context, project, file);
      } catch (error) {
        context.connection.console.error(
          `problem source failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return [];
      }
    }),
  );
  return found.flat();
}
