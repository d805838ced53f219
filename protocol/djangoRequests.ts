/** Why a request that needs the project's Django has no answer. */
export type DjangoFailureReason =
  /** Workspace Trust's restricted mode: no Python is started. */
  | 'untrusted'
  /** No Django project with that root is indexed. */
  | 'noProject'
  /** Neither a setting, the environment nor manage.py names a settings module. */
  | 'noSettings'
  | 'pythonNotFound'
  | 'djangoImport'
  /** `django.setup()` failed: settings or an app could not load. */
  | 'djangoSetup'
  /** Django raised while answering; `type` is the exception class. */
  | 'djangoError'
  /** Django read other applied migrations than the tree shows: nothing is run on that plan. */
  | 'stateChanged'
  | 'timeout'
  | 'cancelled'
  | 'exited';

export interface DjangoFailure {
  readonly ok: false;
  readonly reason: DjangoFailureReason;
  /** What went wrong and what to do about it, for the user. */
  readonly message: string;
  /** The Python exception class name, when Django raised. */
  readonly type?: string;
}

/** An answer computed by the project's Django, or why there is none. */
export type DjangoAnswer<T> = (T & { readonly ok: true }) | DjangoFailure;

/** Which project, and which interpreter the client chose for it. */
export interface DjangoRequestParams {
  /** Folder of the project's manage.py (`CommandProject.root`). */
  readonly projectRoot: string;
  /**
   * The interpreter selected in the Python extension for this folder; absent: the
   * `djangoMigrations.python.path` setting, then `.venv`/`venv`, then `python3`.
   */
  readonly python?: string;
}

/** `djangoMigrations/sqlmigrate`: exactly what `manage.py sqlmigrate` prints. */
export const SQLMIGRATE_REQUEST = 'djangoMigrations/sqlmigrate';

export interface SqlmigrateRequestParams extends DjangoRequestParams {
  readonly app: string;
  readonly name: string;
  readonly backwards?: boolean;
  /** A DATABASES alias; `default` when absent. */
  readonly database?: string;
}

export interface SqlmigrateAnswer {
  /** What sqlmigrate wrote to stdout. */
  readonly sql: string;
  readonly stderr: string;
}

/** `djangoMigrations/plan`: `migrate --plan` for some targets, without touching the database. */
export const PLAN_REQUEST = 'djangoMigrations/plan';

export interface PlanRequestParams extends DjangoRequestParams {
  /** As `migrate` takes them: `[app, null]` the app's leaves, `[app, 'zero']`, `[app, name]`. Absent: all leaves. */
  readonly targets?: ReadonlyArray<readonly [string, string | null]>;
  /** Instead of targets: unapply this migration (`[app, name]`) through the target Django remaps it to after squashes. */
  readonly unapply?: readonly [string, string];
  readonly database?: string;
}

export interface PlannedOperation {
  /** The line `migrate --plan` prints for it. */
  readonly message: string;
  /** Backwards without a reverse: `migrate` stops here with IrreversibleError. */
  readonly irreversible: boolean;
  /** Operation class name (`CreateModel`, `RunPython`...). */
  readonly type: string;
  /** Django's `Operation.describe()`. */
  readonly describe: string;
  /** What undoing it loses (the server adds it from the operation's semantics); absent when nothing. */
  readonly reverseLoses?: string;
}

export interface PlannedMigration {
  readonly app: string;
  readonly name: string;
  readonly backwards: boolean;
  readonly operations: readonly PlannedOperation[];
}

export interface PlanAnswer {
  readonly lines: readonly string[];
  readonly plan: readonly PlannedMigration[];
  /** With `unapply`: the migration `migrate APP TARGET` goes to (`zero` for the first). */
  readonly target?: string;
}

/** `djangoMigrations/planSql`: the SQL `migrate` would run for a target, in plan order (sqlmigrate per step). */
export const PLAN_SQL_REQUEST = 'djangoMigrations/planSql';

export interface PlanSqlAnswer {
  /** `migrate --plan`'s lines. */
  readonly lines: readonly string[];
  readonly steps: ReadonlyArray<{
    readonly app: string;
    readonly name: string;
    readonly backwards: boolean;
    readonly sql?: string;
    /** Why no SQL: an irreversible operation, where migrate stops. */
    readonly error?: string;
  }>;
}

/** `djangoMigrations/databases`: the aliases of DATABASES (never their passwords). */
export const DATABASES_REQUEST = 'djangoMigrations/databases';

export interface DatabasesAnswer {
  readonly default: string;
  readonly databases: ReadonlyArray<{ readonly alias: string; readonly vendor: string | null; readonly name: string | null }>;
}

/** `djangoMigrations/makemigrationsPreview`: what `makemigrations --dry-run` would write. */
export const MAKEMIGRATIONS_PREVIEW_REQUEST = 'djangoMigrations/makemigrationsPreview';

export interface MakemigrationsPreviewParams extends DjangoRequestParams {
  /** App labels; all apps when absent. */
  readonly apps?: readonly string[];
}

export interface MakemigrationsPreviewAnswer {
  /** By app label: the files makemigrations would write. */
  readonly changes: Readonly<
    Record<
      string,
      ReadonlyArray<{ readonly name: string; readonly path: string; readonly content: string; readonly operations: readonly string[] }>
    >
  >;
  /** What the command printed (`No changes detected` ...). */
  readonly stdout: string;
}
