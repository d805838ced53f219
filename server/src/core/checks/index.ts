import { LoaderResult } from '../loader';
import { Problem } from '../problem';
import { Check } from './check';
import { circularDependency } from './circularDependency';
import { conflictingLeaves } from './conflictingLeaves';
import { dependencyProblems } from './dependencyProblems';
import { irreversibleOperation } from './irreversibleOperation';
import { modelImportInDataMigration } from './modelImportInDataMigration';
import { parseProblems } from './parseProblems';
import { unfinishedSquash } from './unfinishedSquash';

const CHECKS: readonly Check[] = [
  parseProblems,
  dependencyProblems,
  circularDependency,
  conflictingLeaves,
  irreversibleOperation,
  modelImportInDataMigration,
  unfinishedSquash,
];

/** Every check on the loaded project. */
export function runChecks(loaded: LoaderResult): Problem[] {
  return CHECKS.flatMap((check) => check(loaded));
}
