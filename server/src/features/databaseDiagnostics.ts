import { databaseProblems } from '../databases/databaseProblems';
import { ProblemSource } from './problemSources';

/** Stale edits, edits to published migrations, inconsistent history and rows without files. */
export const databaseDiagnostics: ProblemSource = async (context, project, file) => {
  const service = context.workspace.databases;
  return databaseProblems(service, project, file, context.openText(file));
};
