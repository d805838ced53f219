import { readFile } from 'node:fs/promises';
import { DidChangeWatchedFilesNotification } from 'vscode-languageserver/node';
import { parseMigration } from '../python/migrationParser';
import { loadPythonParser } from '../python/pythonParser';
import {
  CommandTargetsRequest,
  CommandTargets,
  DataMigrationScaffoldRequest,
  DatabasesRequest,
  DataMigrationScaffoldAnswer,
  DataMigrationScaffoldParams,
  DatabasesAnswer,
  DjangoAnswer,
  DjangoRequestParams,
  MakemigrationsPreviewRequest,
  MakemigrationsPreviewAnswer,
  MakemigrationsPreviewParams,
  PlanRequest,
  PlanAnswer,
  PlanRequestParams,
  SqlmigrateRequest,
  SqlmigrateAnswer,
  SqlmigrateRequestParams,
} from '../../../protocol/index';
import { ServerContext } from '../serverContext';
import { commandTargets } from './commandTargets';
import { dataMigrationScaffold } from './dataMigrationScaffold';
import { withReverseLosses } from './plannedOperations';

/**
 * The requests that run the project's Django (sqlmigrate, plan, databases, makemigrations
 * preview), refused in an untrusted workspace, and the static ones the commands pick from.
 */
export function registerDjangoRequests(context: ServerContext): void {
  const { connection } = context;
  const bridge = context.workspace.django;

  connection.onRequest(SqlmigrateRequest, (params: SqlmigrateRequestParams): Promise<DjangoAnswer<SqlmigrateAnswer>> => bridge.sqlmigrate(params));

  connection.onRequest(PlanRequest, (params: PlanRequestParams): Promise<DjangoAnswer<PlanAnswer>> =>
    bridge.run(params, async (helper) => withReverseLosses(await helper.plan({ targets: params.targets, database: params.database }))),
  );

  connection.onRequest(DatabasesRequest, (params: DjangoRequestParams): Promise<DjangoAnswer<DatabasesAnswer>> =>
    bridge.run(params, async (helper) => {
      const answer = await helper.databases();
      return {
        default: answer.default,
        databases: Object.entries(answer.databases).map(([alias, entry]) => ({
          alias,
          vendor: entry.vendor,
          name: entry.settings.NAME === undefined || entry.settings.NAME === null ? null : String(entry.settings.NAME),
        })),
      };
    }),
  );

  connection.onRequest(MakemigrationsPreviewRequest, (params: MakemigrationsPreviewParams): Promise<DjangoAnswer<MakemigrationsPreviewAnswer>> =>
    bridge.run(params, async (helper) => {
      const answer = await helper.makemigrationsCheck({ apps: params.apps });
      return { changes: answer.changes, stdout: answer.stdout };
    }),
  );

  connection.onRequest(CommandTargetsRequest, async (): Promise<CommandTargets> => {
    await context.whenLoaded();
    return commandTargets(context.projects());
  });

  connection.onRequest(DataMigrationScaffoldRequest, async (params: DataMigrationScaffoldParams): Promise<DataMigrationScaffoldAnswer> => {
    const text = context.openText(params.file) ?? (await readFile(params.file, 'utf8').catch(() => undefined));
    if (text === undefined) return { ok: false, message: `${params.file} cannot be read.` };
    const parser = await loadPythonParser();
    return dataMigrationScaffold(text, parseMigration(parser, text), { app: params.app, models: params.models });
  });

  context.onDidChangeWatchedFiles((changes) => bridge.onFilesChanged(changes));
  // The client watches Python files; `.env` edits change the helper's environment too.
  let watchingDotEnv = false;
  context.onDidLoad(() => {
    if (watchingDotEnv) return;
    watchingDotEnv = true;
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.env' }] }).catch(() => undefined);
  });
}
