import { LoaderResult } from '../loader';
import { Migration } from '../migration';
import { Problem } from '../problem';
import { GraphCheck, MigrationCheck } from './check';
import { circularDependency } from './circularDependency';
import { conflictingLeaves } from './conflictingLeaves';
import { dependencyProblems } from './dependencyProblems';
import { irreversibleOperation } from './irreversibleOperation';
import { modelImportInDataMigration } from './modelImportInDataMigration';
import { parseProblems } from './parseProblems';
import { unfinishedSquash } from './unfinishedSquash';

const GRAPH_CHECKS: readonly GraphCheck[] = [dependencyProblems, circularDependency, conflictingLeaves, unfinishedSquash];
const MIGRATION_CHECKS: readonly MigrationCheck[] = [parseProblems, irreversibleOperation, modelImportInDataMigration];

/** The checks that need the whole graph. */
export function runGraphChecks(loaded: LoaderResult): Problem[] {
  return GRAPH_CHECKS.flatMap((check) => check(loaded));
}

/** The checks of one migration file on its own. */
export function runMigrationChecks(migration: Migration): Problem[] {
  return MIGRATION_CHECKS.flatMap((check) => check(migration));
}
