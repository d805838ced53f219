import {
  COMMAND_TARGETS_REQUEST,
  CommandTargets,
  DATA_MIGRATION_SCAFFOLD_REQUEST,
  DATABASES_REQUEST,
  DataMigrationScaffoldAnswer,
  DataMigrationScaffoldParams,
  DatabasesAnswer,
  DjangoAnswer,
  MAKEMIGRATIONS_PREVIEW_REQUEST,
  MakemigrationsPreviewAnswer,
  PLAN_REQUEST,
  PlanAnswer,
  REFRESH_DATABASE_NOTIFICATION,
  SQLMIGRATE_REQUEST,
  SqlmigrateAnswer,
} from '../../../protocol/index';
import { ClientContext } from '../clientContext';
import { interpreterFor } from './pythonInterpreter';

/**
 * The custom requests the commands make, typed (protocol.ts). Each Django request carries the
 * interpreter chosen for the project's folder, so the server's helper runs what tasks run.
 */
export class ServerRequests {
  constructor(private readonly context: ClientContext) {}

  commandTargets(): Promise<CommandTargets> {
    return this.send(COMMAND_TARGETS_REQUEST, {});
  }

  async sqlmigrate(params: { projectRoot: string; app: string; name: string; backwards?: boolean; database?: string }): Promise<DjangoAnswer<SqlmigrateAnswer>> {
    return this.send(SQLMIGRATE_REQUEST, await this.withPython(params));
  }

  async plan(params: { projectRoot: string; targets?: ReadonlyArray<readonly [string, string | null]>; database?: string }): Promise<DjangoAnswer<PlanAnswer>> {
    return this.send(PLAN_REQUEST, await this.withPython(params));
  }

  async databases(projectRoot: string): Promise<DjangoAnswer<DatabasesAnswer>> {
    return this.send(DATABASES_REQUEST, await this.withPython({ projectRoot }));
  }

  async makemigrationsPreview(params: { projectRoot: string; apps?: readonly string[] }): Promise<DjangoAnswer<MakemigrationsPreviewAnswer>> {
    return this.send(MAKEMIGRATIONS_PREVIEW_REQUEST, await this.withPython(params));
  }

  dataMigrationScaffold(params: DataMigrationScaffoldParams): Promise<DataMigrationScaffoldAnswer> {
    return this.send(DATA_MIGRATION_SCAFFOLD_REQUEST, params);
  }

  /** A command changed the database or the files: the server reads the applied state again. */
  refreshDatabase(projectRoot?: string): void {
    void this.context.client()?.sendNotification(REFRESH_DATABASE_NOTIFICATION, projectRoot ? { projectRoot } : {});
  }

  private async withPython<T extends { projectRoot: string }>(params: T): Promise<T & { python?: string }> {
    const python = await interpreterFor(params.projectRoot);
    return { ...params, ...(python ? { python } : {}) };
  }

  private async send<R>(method: string, params: object): Promise<R> {
    const client = this.context.client();
    if (!client) throw new Error('The Django Migrations language server is not running; run "Django Migrations: Restart Language Server".');
    return client.sendRequest<R>(method, params);
  }
}
