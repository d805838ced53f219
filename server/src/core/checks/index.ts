import { LoaderResult } from '../loader';
import { Migration } from '../migration';
import { Problem } from '../problem';
import { MigrationCheck } from './check';
import { GraphProblems } from './graphProblems';
import { irreversibleOperation } from './irreversibleOperation';
import { parseProblems } from './parseProblems';
/** Each file on its own; `modelImportInDataMigration` also needs the project's models, so the project runs it. */
const MIGRATION_CHECKS: readonly MigrationCheck[] = [parseProblems, irreversibleOperation];

/** The checks that need the whole graph: missing and replaced dependencies, cycles, conflicting leaves, unfinished squashes. */
export function runGraphChecks(loaded: LoaderResult): Problem[] {
  return [...GraphProblems.of(loaded).problems];
}

/** The checks of one migration file on its own. */
export function runMigrationChecks(migration: Migration): Problem[] {
  return MIGRATION_CHECKS.flatMap((check) => check(migration));
}
