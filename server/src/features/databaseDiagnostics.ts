import { databaseProblems } from '../databases/databaseProblems';
import { migrationStateOf } from './migrationState';
import { ProblemSource } from './problemSources';

/** Stale edits, edits to published migrations, inconsistent history and rows without files. */
export const databaseDiagnostics: ProblemSource = async (context, project, file) => {
  const service = migrationStateOf(context);
  return service ? databaseProblems(service, project, file, context.openText(file)) : [];
};
