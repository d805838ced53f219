import {
  CommandTargetsRequest,
  CommandTargets,
  DataMigrationScaffoldRequest,
  DatabasesRequest,
  DataMigrationScaffoldAnswer,
  DataMigrationScaffoldParams,
  DatabasesAnswer,
  DjangoAnswer,
  FinishSquashReport,
  FinishSquashReportRequest,
  MakemigrationsPreviewRequest,
  MakemigrationsRequest,
  MakemigrationsAnswer,
  MakemigrationsPreviewAnswer,
  PlanRequest,
  PlanAnswer,
  PlanSqlAnswer,
  PlanSqlRequest,
  RefreshDatabaseNotification,
  SqlmigrateRequest,
  SqlmigrateAnswer,
  TaskEnvironmentAnswer,
  TaskEnvironmentRequest,
} from '../../../protocol/index';
import { RequestType } from 'vscode-languageclient';
import { ClientContext } from '../clientContext';
import { interpreterFor } from './pythonInterpreter';

/**
 * The custom requests the commands make, typed in protocol/messages.ts. Each Django request carries the
 * interpreter chosen for the project's folder, so the server's helper runs what tasks run.
 */
export class ServerRequests {
  constructor(private readonly context: ClientContext) {}

  commandTargets(): Promise<CommandTargets> {
    return this.send(CommandTargetsRequest, {});
  }

  async sqlmigrate(params: {
    projectRoot: string;
    app: string;
    name: string;
    backwards?: boolean;
    database?: string;
  }): Promise<DjangoAnswer<SqlmigrateAnswer>> {
    return this.send(SqlmigrateRequest, await this.withPython(params));
  }

  async plan(params: {
    projectRoot: string;
    targets?: ReadonlyArray<readonly [string, string | null]>;
    unapply?: readonly [string, string];
    database?: string;
  }): Promise<DjangoAnswer<PlanAnswer>> {
    return this.send(PlanRequest, await this.withPython(params));
  }

  async planSql(params: {
    projectRoot: string;
    targets?: ReadonlyArray<readonly [string, string | null]>;
    database?: string;
  }): Promise<DjangoAnswer<PlanSqlAnswer>> {
    return this.send(PlanSqlRequest, await this.withPython(params));
  }

  async databases(projectRoot: string): Promise<DjangoAnswer<DatabasesAnswer>> {
    return this.send(DatabasesRequest, await this.withPython({ projectRoot }));
  }

  async makemigrationsPreview(params: {
    projectRoot: string;
    apps?: readonly string[];
  }): Promise<DjangoAnswer<MakemigrationsPreviewAnswer>> {
    return this.send(MakemigrationsPreviewRequest, await this.withPython(params));
  }

  /** makemigrations writing files, with the answers to Django's questions so far. */
  async makemigrations(params: {
    projectRoot: string;
    apps?: readonly string[];
    name?: string;
    answers?: readonly string[];
  }): Promise<DjangoAnswer<MakemigrationsAnswer>> {
    return this.send(MakemigrationsRequest, await this.withPython(params));
  }

  dataMigrationScaffold(params: DataMigrationScaffoldParams): Promise<DataMigrationScaffoldAnswer> {
    return this.send(DataMigrationScaffoldRequest, params);
  }

  async taskEnvironment(params: { projectRoot: string; checkDjango?: boolean }): Promise<DjangoAnswer<TaskEnvironmentAnswer>> {
    return this.send(TaskEnvironmentRequest, await this.withPython(params));
  }

  /** A command changed the database or the files: the server reads the applied state again. */
  refreshDatabase(projectRoot?: string): void {
    void this.context.client()?.sendNotification(RefreshDatabaseNotification, projectRoot ? { projectRoot } : {});
  }

  /** What each database alias holds of a squashed migration. */
  finishSquashReport(file: string): Promise<FinishSquashReport> {
    return this.send(FinishSquashReportRequest, { file });
  }

  private async withPython<T extends { projectRoot: string }>(params: T): Promise<T & { python?: string }> {
    const python = await interpreterFor(params.projectRoot);
    return { ...params, ...(python ? { python } : {}) };
  }

  private async send<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    const client = this.context.client();
    if (!client) throw new Error('The Django Migrations language server is not running; run "Django Migrations: Restart Language Server".');
    return client.sendRequest(type, params);
  }
}
