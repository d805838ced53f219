import { Migration, OperationEntry } from '../migration';
import { FixData, ProblemSeverity } from '../problem';
import { PythonCall, PythonValue } from '../pythonValue';
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
  /** A MariaDB server (Django's `mysql_is_mariadb`): vendor `mysql`, MariaDB's own version numbers. */
  readonly mariadb?: boolean;
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
  /**
   * The source text of the call `fieldBefore` answers, only when the state holds the field
   * exactly as that call writes it (no later operation changed it), for fixes that copy it.
   */
  fieldSourceBefore?(app: string, model: string, field: string): string | undefined;
  /** The model's table name before this migration: its `db_table`, else `app_label_modelname`. */
  tableNameBefore?(app: string, model: string): string | undefined;
  /**
   * Whether an auto-created many-to-many table is named after the model (a ManyToManyField
   * without `through` on it, or pointing at it). Undefined when a relation cannot be followed.
   */
  hasAutoManyToManyBefore?(app: string, model: string): boolean | undefined;
  /**
   * What a relation's `to` (written on a field of `app.model`) points at before this migration:
   * the target's table and its primary key's column and class. Undefined when the target or its
   * primary key is not known exactly.
   */
  relationTargetBefore?(app: string, model: string, to: PythonValue): RelationTarget | undefined;
  /** The model's `unique_together` before this migration, normalized as Django stores it (none: empty). */
  uniqueTogetherBefore?(app: string, model: string): readonly (readonly string[])[] | undefined;
}

/** The table and primary key a foreign key references. */
export interface RelationTarget {
  readonly table: string;
  readonly column: string;
  /** The primary key's class name: `AutoField`, `BigAutoField`, `UUIDField`. */
  readonly fieldClass: string;
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
  /** The `(...)` of the definition, when it holds only plain names (no defaults, annotations, splats or comments). */
  readonly plainParametersRange?: SourceRange;
  /** Writes in its body that go row by row over a whole table. */
  readonly unbatchedWrites?: readonly UnbatchedWrite[];
}

/** A write of a RunPython function that does not batch: one query per row, or one for every row. */
export interface UnbatchedWrite {
  /** `save()` on each row of a loop over a whole queryset; `bulk_update()` without `batch_size`. */
  readonly kind: 'save-per-row' | 'bulk-update-unbatched';
  /** The loop or the call. */
  readonly range: SourceRange;
  /** The queryset looped over, or the call, as written (shortened). */
  readonly queryset: string;
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
  /** The migration file's text, for fixes that copy part of it. */
  readonly source?: string;
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
