import { Migration, OperationEntry } from '../migration';
import { FixData, ProblemSeverity } from '../problem';
import { PythonCall } from '../pythonValue';
import { SourceRange } from '../sourceRange';

/** The database vendors rules speak of; Django's `connection.vendor`. */
export type Vendor = 'postgresql' | 'mysql' | 'sqlite' | 'oracle' | 'other';

/** A server version as `major.minor` numbers (PostgreSQL 15.4 -> [15, 4]). */
export type ServerVersion = readonly [major: number, minor: number];

/** Where a target's server version came from, named in messages. */
export type VersionSource = 'server' | 'setting' | 'oldest-supported';

/** One configured database alias the migration will run on. */
export interface LintTarget {
  readonly alias: string;
  readonly vendor: Vendor;
  readonly version?: ServerVersion;
  readonly versionSource?: VersionSource;
}

/**
 * What the migration state knew before this migration, where the project's ProjectState is
 * available. Every answer may be `undefined` ("not known"): rules then use only what the
 * migration file itself shows.
 */
export interface MigrationStateOracle {
  /** Whether the model's table existed before this migration (false: created earlier in the same deploy). */
  tableExistedBefore?(app: string, model: string): boolean | undefined;
  /** The field's definition before this migration, as its call (`models.CharField(max_length=20)`). */
  fieldBefore?(app: string, model: string, field: string): PythonCall | undefined;
}

/** A module-level function of the migration file with its parameters, for RunPython. */
export interface FunctionSignature {
  readonly name: string;
  readonly nameRange: SourceRange;
  /** Positional parameter names, without defaults' values. */
  readonly positional: readonly string[];
  /** How many positional parameters have defaults. */
  readonly defaults: number;
  /** `*args` present. */
  readonly varArgs: boolean;
}

/** Everything a rule may read about one migration. */
export interface LintContext {
  readonly migration: Migration;
  /** The databases it will run on; a rule runs only for targets of its vendors and versions. */
  readonly targets: readonly LintTarget[];
  /** `major.minor` of the project's Django when known (fixes such as `db_default` need 5.0). */
  readonly djangoVersion?: ServerVersion;
  readonly state?: MigrationStateOracle;
  readonly functions?: readonly FunctionSignature[];
}

/**
 * One operation as the database will run it: a top-level operation, or one of the
 * `database_operations` of a SeparateDatabaseAndState (whose state operations never touch the
 * database).
 */
export interface OperationSite {
  readonly type: string;
  readonly call: PythonCall;
  /** The top-level operation it belongs to (itself when top-level). */
  readonly operation: OperationEntry;
  /** Index of the top-level operation. */
  readonly index: number;
  readonly nested: boolean;
}

export interface LintFinding {
  readonly range: SourceRange;
  readonly message: string;
  readonly fixes?: readonly FixData[];
  /** The site it is about, for suppression comments; absent for findings on the whole migration. */
  readonly site?: OperationSite;
}

/** One lint rule: one small file under rules/. */
export interface LintRule {
  /** Stable kebab-case id: diagnostic code, config key, suppression key. */
  readonly id: string;
  readonly severity: ProblemSeverity;
  /** The vendors on which what it warns about happens. */
  readonly vendors: readonly Vendor[];
  /** One line for docs and the config's rule list. */
  readonly summary: string;
  /**
   * Informational rules that would speak on most healthy projects: off until the configuration
   * selects them or gives them a severity.
   */
  readonly optIn?: boolean;
  /**
   * Findings for one target (the vendor is one of `vendors`). Targets of the same vendor and
   * version give the same findings; the runner asks once per distinct vendor and version.
   */
  check(context: LintContext, target: LintTarget): LintFinding[];
}
