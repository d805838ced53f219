import { NotificationType, RequestType } from 'vscode-jsonrpc';
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
  PlanAnswer,
  PlanRequestParams,
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

// Every custom message, typed once: both sides send and handle these, never bare method names.

export const SqlmigrateRequest = new RequestType<SqlmigrateRequestParams, DjangoAnswer<SqlmigrateAnswer>, void>(SQLMIGRATE_REQUEST);
export const PlanRequest = new RequestType<PlanRequestParams, DjangoAnswer<PlanAnswer>, void>(PLAN_REQUEST);
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
