import { NotificationType, RequestType } from 'vscode-jsonrpc';
import { MAKEMIGRATIONS_REQUEST, MakemigrationsAnswer, MakemigrationsParams } from './makemigrations';
import {
  COMMAND_TARGETS_REQUEST,
  CommandTargets,
  DATA_MIGRATION_SCAFFOLD_REQUEST,
  DataMigrationScaffoldAnswer,
  DataMigrationScaffoldParams,
  REFRESH_DATABASE_NOTIFICATION,
  RefreshDatabaseParams,
} from './commands';
import {
  DATABASES_REQUEST,
  DatabasesAnswer,
  DjangoAnswer,
  DjangoRequestParams,
  MAKEMIGRATIONS_PREVIEW_REQUEST,
  MakemigrationsPreviewAnswer,
  MakemigrationsPreviewParams,
  PLAN_REQUEST,
  PLAN_SQL_REQUEST,
  PlanAnswer,
  PlanRequestParams,
  PlanSqlAnswer,
  SQLMIGRATE_REQUEST,
  SqlmigrateAnswer,
  SqlmigrateRequestParams,
} from './djangoRequests';
import {
  MIGRATION_STATE_CHANGED_NOTIFICATION,
  MIGRATION_STATE_REQUEST,
  MigrationStateChangedParams,
  MigrationStateResult,
  REFRESH_MIGRATION_STATE_REQUEST,
  RefreshMigrationStateParams,
} from './migrationState';
import { TASK_ENVIRONMENT_REQUEST, TaskEnvironmentAnswer, TaskEnvironmentParams } from './taskEnvironment';
import {
  MIGRATION_GRAPH_PLAN_REQUEST,
  MIGRATION_GRAPH_REQUEST,
  MigrationGraphAnswer,
  MigrationGraphParams,
  MigrationGraphPlanAnswer,
  MigrationGraphPlanParams,
} from './migrationGraph';

// Every custom message, typed once: both sides send and handle these, never bare method names.

export const SqlmigrateRequest = new RequestType<SqlmigrateRequestParams, DjangoAnswer<SqlmigrateAnswer>, void>(SQLMIGRATE_REQUEST);
export const PlanRequest = new RequestType<PlanRequestParams, DjangoAnswer<PlanAnswer>, void>(PLAN_REQUEST);
export const PlanSqlRequest = new RequestType<PlanRequestParams, DjangoAnswer<PlanSqlAnswer>, void>(PLAN_SQL_REQUEST);
export const DatabasesRequest = new RequestType<DjangoRequestParams, DjangoAnswer<DatabasesAnswer>, void>(DATABASES_REQUEST);
export const MakemigrationsPreviewRequest = new RequestType<MakemigrationsPreviewParams, DjangoAnswer<MakemigrationsPreviewAnswer>, void>(
  MAKEMIGRATIONS_PREVIEW_REQUEST,
);
export const CommandTargetsRequest = new RequestType<Record<string, never>, CommandTargets, void>(COMMAND_TARGETS_REQUEST);
export const DataMigrationScaffoldRequest = new RequestType<DataMigrationScaffoldParams, DataMigrationScaffoldAnswer, void>(
  DATA_MIGRATION_SCAFFOLD_REQUEST,
);
export const RefreshDatabaseNotification = new NotificationType<RefreshDatabaseParams>(REFRESH_DATABASE_NOTIFICATION);
export const MigrationStateRequest = new RequestType<Record<string, never>, MigrationStateResult, void>(MIGRATION_STATE_REQUEST);
export const RefreshMigrationStateRequest = new RequestType<RefreshMigrationStateParams, MigrationStateResult, void>(
  REFRESH_MIGRATION_STATE_REQUEST,
);
export const MigrationStateChangedNotification = new NotificationType<MigrationStateChangedParams>(MIGRATION_STATE_CHANGED_NOTIFICATION);
export const TaskEnvironmentRequest = new RequestType<TaskEnvironmentParams, DjangoAnswer<TaskEnvironmentAnswer>, void>(
  TASK_ENVIRONMENT_REQUEST,
);
export const MigrationGraphRequest = new RequestType<MigrationGraphParams, MigrationGraphAnswer, void>(MIGRATION_GRAPH_REQUEST);
export const MigrationGraphPlanRequest = new RequestType<MigrationGraphPlanParams, MigrationGraphPlanAnswer, void>(
  MIGRATION_GRAPH_PLAN_REQUEST,
);

/** `djangoMigrations/finishSquashReport`: what each database alias holds of a squashed migration, one line each. */
export const FINISH_SQUASH_REPORT_REQUEST = 'djangoMigrations/finishSquashReport';

export interface FinishSquashReportParams {
  /** The squashed migration's file. */
  readonly file: string;
}

export interface FinishSquashReport {
  readonly report: readonly string[];
}

export const FinishSquashReportRequest = new RequestType<FinishSquashReportParams, FinishSquashReport, void>(FINISH_SQUASH_REPORT_REQUEST);

export const MakemigrationsRequest = new RequestType<MakemigrationsParams, DjangoAnswer<MakemigrationsAnswer>, void>(
  MAKEMIGRATIONS_REQUEST,
);
