import { MakemigrationsQuestion as EditorQuestion } from '../../../protocol/index';
/**
 * Requests and answers of djangoHelper.py, one JSON object per line each way. Field names that
 * mirror Django's own attributes keep Django's spelling (`leaf_nodes`, `run_before`).
 */

/** The first line the helper writes. */
export type DjangoHelperReadyMessage =
  | {
      readonly event: 'ready';
      readonly ok: true;
      readonly protocol: number;
      readonly pid: number;
      readonly django: string;
      readonly python: string;
      readonly executable: string;
      readonly settings: string | null;
    }
  | { readonly event: 'ready'; readonly ok: false; readonly phase: 'import' | 'setup'; readonly error: DjangoHelperErrorPayload };

export interface DjangoHelperErrorPayload {
  /** Python exception class name: `CommandError`, `IrreversibleError`, `OperationalError`... */
  readonly type: string;
  readonly module: string;
  readonly message: string;
  readonly traceback: string;
}

export type DjangoHelperResponse =
  { readonly id: number | null; readonly result: unknown } | { readonly id: number | null; readonly error: DjangoHelperErrorPayload };

/** Arguments of `manage.py sqlmigrate APP NAME [--backwards] [--database ALIAS] [--skip-checks]`. */
export interface SqlmigrateParams {
  readonly app: string;
  /** A migration name or an unambiguous prefix of one. */
  readonly name: string;
  readonly backwards?: boolean;
  readonly database?: string;
  readonly skipChecks?: boolean;
}

/** What a management command wrote to stdout and stderr. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

export interface PlanParams {
  /**
   * Like the arguments of `migrate`: `[app, null]` is the app's leaf nodes, `[app, 'zero']`
   * unapplies the app, `[app, prefix]` one migration. Absent: every leaf node.
   */
  readonly targets?: ReadonlyArray<readonly [string, string | null]>;
  /** Instead of targets: unapply this migration (`[app, name]`), through the target Django remaps it to. */
  readonly unapply?: readonly [string, string];
  readonly database?: string;
}

export interface PlanStep {
  readonly app: string;
  readonly name: string;
  readonly backwards: boolean;
  readonly operations: ReadonlyArray<{
    readonly message: string;
    readonly irreversible: boolean;
    /** Operation class name. */
    readonly type: string;
    /** `Operation.describe()`. */
    readonly describe: string;
  }>;
}

export interface PlanResult {
  /** The lines `migrate --plan` prints, without colours. */
  readonly lines: readonly string[];
  readonly plan: readonly PlanStep[];
  /** `app.name` of every row of django_migrations the plan was computed from. */
  readonly applied: readonly string[];
  /** With `unapply`: the migration `migrate APP TARGET` goes to (`zero` for the first). */
  readonly target?: string;
}

/** One step of `planSql`: the SQL of one migration in plan order, or why it cannot be generated. */
export interface PlanSqlStep {
  readonly app: string;
  readonly name: string;
  readonly backwards: boolean;
  /** As `sqlmigrate` prints it. */
  readonly sql?: string;
  /** An irreversible operation (IrreversibleError): migrate stops here. */
  readonly error?: { readonly type: string; readonly message: string };
}

export interface PlanSqlResult {
  readonly lines: readonly string[];
  readonly steps: readonly PlanSqlStep[];
  readonly applied: readonly string[];
}

export interface DatabasesParams {
  /** Passwords are replaced by `********` unless this is true. */
  readonly includePasswords?: boolean;
}

export interface DatabaseEntry {
  /** The alias's DATABASES entry, with Django's defaults filled in. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** `connection.vendor` (`sqlite`, `postgresql`...), null when the backend cannot load. */
  readonly vendor: string | null;
  readonly error?: { readonly type: string; readonly message: string };
}

export interface DatabasesResult {
  readonly default: string;
  readonly databases: Readonly<Record<string, DatabaseEntry>>;
}

export interface MakemigrationsCheckParams {
  /** App labels, as `makemigrations APP...`; all apps when absent. */
  readonly apps?: readonly string[];
  readonly verbosity?: number;
}

export interface MigrationToWrite {
  readonly name: string;
  /** Where makemigrations would write it (absolute). */
  readonly path: string;
  readonly content: string;
  readonly operations: readonly string[];
}

export interface MakemigrationsCheckResult extends CommandOutput {
  /** 1 when makemigrations would write something, as `--check` exits. */
  readonly exitCode: number;
  readonly changes: Readonly<Record<string, readonly MigrationToWrite[]>>;
}

export interface MakemigrationsParams {
  /** App labels, as `makemigrations APP...`; all apps when absent. */
  readonly apps?: readonly string[];
  readonly name?: string;
  /** What the user answered to Django's questions so far, in the order Django asked them. */
  readonly answers?: readonly string[];
}

/** A question Django's interactive questioner asked, in its own words, as the editor asks it. */
export interface MakemigrationsQuestion extends EditorQuestion {
  /** How many answers came before it. */
  readonly index: number;
}

export interface MakemigrationsResult extends CommandOutput {
  /** Project sources changed after the helper imported them: restart it and ask again. */
  readonly stale?: boolean;
  readonly exitCode?: number;
  /** The next question without an answer; nothing was written. */
  readonly question?: MakemigrationsQuestion;
  /** By app label, the files written. */
  readonly written?: Readonly<Record<string, readonly { readonly name: string; readonly path: string }[]>>;
}

export interface ReloadResult {
  /** How many migration modules were forgotten. */
  readonly modules: number;
}

export interface RenameRecorderRowsParams {
  readonly database: string;
  readonly renames: readonly { readonly app: string; readonly from: string; readonly to: string }[];
}

export interface RenameRecorderRowsResult {
  readonly renamed: number;
}

/** Each method's parameters and result. */
export interface DjangoHelperMethods {
  sqlmigrate: { params: SqlmigrateParams; result: CommandOutput };
  plan: { params: PlanParams; result: PlanResult };
  planSql: { params: PlanParams; result: PlanSqlResult };
  databases: { params: DatabasesParams; result: DatabasesResult };
  makemigrationsCheck: { params: MakemigrationsCheckParams; result: MakemigrationsCheckResult };
  makemigrations: { params: MakemigrationsParams; result: MakemigrationsResult };
  reload: { params: Record<string, never>; result: ReloadResult };
  renameRecorderRows: { params: RenameRecorderRowsParams; result: RenameRecorderRowsResult };
}

export type DjangoHelperMethod = keyof DjangoHelperMethods;
