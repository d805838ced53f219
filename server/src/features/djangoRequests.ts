import { readFile } from 'node:fs/promises';
import { DidChangeWatchedFilesNotification } from 'vscode-languageserver/node';
import { parseMigration } from '../python/migrationParser';
import { loadPythonParser, ParseTimeLimitError } from '../python/pythonParser';
import { uriToPath } from './fileUri';
import {
  CommandTargetsRequest,
  CommandTargets,
  DataMigrationScaffoldRequest,
  DatabasesRequest,
  DataMigrationScaffoldAnswer,
  DataMigrationScaffoldParams,
  DatabasesAnswer,
  DjangoAnswer,
  DjangoFailure,
  DjangoRequestParams,
  MakemigrationsPreviewRequest,
  MakemigrationsPreviewAnswer,
  MakemigrationsPreviewParams,
  PlanRequest,
  PlanAnswer,
  PlanRequestParams,
  PlanSqlAnswer,
  PlanSqlRequest,
  SqlmigrateRequest,
  SqlmigrateAnswer,
  SqlmigrateRequestParams,
} from '../../../protocol/index';
import { ServerContext } from '../serverContext';
import { commandTargets } from './commandTargets';
import { dataMigrationScaffold } from './dataMigrationScaffold';
import { planDisagreement } from './planAgreement';
import { withReverseLosses } from './plannedOperations';
import { registerMakemigrationsRequest } from './makemigrationsRequest';

/**
 * The requests that run the project's Django (sqlmigrate, plan, databases, makemigrations
 * preview), refused in an untrusted workspace, and the static ones the commands pick from.
 */
export function registerDjangoRequests(context: ServerContext): void {
  const { connection } = context;
  const bridge = context.workspace.django;

  connection.onRequest(SqlmigrateRequest, (params: SqlmigrateRequestParams): Promise<DjangoAnswer<SqlmigrateAnswer>> =>
    bridge.sqlmigrate(params),
  );

  connection.onRequest(PlanRequest, (params: PlanRequestParams): Promise<DjangoAnswer<PlanAnswer>> => checkedPlan(context, params));
  connection.onRequest(PlanSqlRequest, (params: PlanRequestParams): Promise<DjangoAnswer<PlanSqlAnswer>> =>
    checkedPlanSql(context, params),
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

  connection.onRequest(
    MakemigrationsPreviewRequest,
    (params: MakemigrationsPreviewParams): Promise<DjangoAnswer<MakemigrationsPreviewAnswer>> =>
      bridge.run(params, async (helper) => {
        const answer = await helper.makemigrationsCheck({ apps: params.apps });
        return { changes: answer.changes, stdout: answer.stdout };
      }),
  );

  registerMakemigrationsRequest(context);

  connection.onRequest(CommandTargetsRequest, async (): Promise<CommandTargets> => {
    await context.whenLoaded();
    return commandTargets(context.projects());
  });

  connection.onRequest(DataMigrationScaffoldRequest, async (params: DataMigrationScaffoldParams): Promise<DataMigrationScaffoldAnswer> => {
    const text = context.openText(params.file) ?? (await readFile(params.file, 'utf8').catch(() => undefined));
    if (text === undefined) return { ok: false, message: `${params.file} cannot be read.` };
    const parser = await loadPythonParser();
    try {
      return dataMigrationScaffold(text, parseMigration(parser, text), { app: params.app, models: params.models });
    } catch (error) {
      if (!(error instanceof ParseTimeLimitError)) throw error;
      return { ok: false, message: `${params.file}: ${error.message}.` };
    }
  });

  context.onDidChangeWatchedFiles((changes) => bridge.onFilesChanged(changes.flatMap((change) => uriToPath(change.uri) ?? [])));
  // The client watches Python files; `.env` edits change the helper's environment too.
  let watchingDotEnv = false;
  context.onDidLoad(() => {
    if (watchingDotEnv) return;
    watchingDotEnv = true;
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.env' }] }).catch(() => undefined);
  });
}

/**
 * `migrate --plan` from Django over a fresh connection, accepted only when Django read the same
 * applied migrations as the tree shows (read again once if not): commands confirm and run what
 * the user sees.
 */
async function checkedPlan(context: ServerContext, params: PlanRequestParams): Promise<DjangoAnswer<PlanAnswer>> {
  const answer = await context.workspace.django.run(params, (helper) =>
    helper.plan({ targets: params.targets, unapply: params.unapply, database: params.database }),
  );
  if (!answer.ok) return answer;
  const disagreement = await disagreementWithTree(context, params, answer.applied);
  if (disagreement) return disagreement;
  return {
    ok: true,
    ...withReverseLosses({ lines: answer.lines, plan: answer.plan, ...(answer.target ? { target: answer.target } : {}) }),
  };
}

/** The SQL of the plan, step by step, under the same agreement with the tree as the plan. */
async function checkedPlanSql(context: ServerContext, params: PlanRequestParams): Promise<DjangoAnswer<PlanSqlAnswer>> {
  const answer = await context.workspace.django.run(params, (helper) =>
    helper.planSql({ targets: params.targets, unapply: params.unapply, database: params.database }),
  );
  if (!answer.ok) return answer;
  const disagreement = await disagreementWithTree(context, params, answer.applied);
  if (disagreement) return disagreement;
  return {
    ok: true,
    lines: answer.lines,
    steps: answer.steps.map((step) => ({
      app: step.app,
      name: step.name,
      backwards: step.backwards,
      ...(step.sql !== undefined ? { sql: step.sql } : {}),
      ...(step.error ? { error: `${step.error.type}: ${step.error.message}` } : {}),
    })),
  };
}

/** A failure when Django read other applied migrations than the tree shows, after reading the database again. */
async function disagreementWithTree(
  context: ServerContext,
  params: PlanRequestParams,
  applied: readonly string[],
): Promise<DjangoFailure | undefined> {
  const project = context.workspace.django.project(params.projectRoot);
  const state = context.workspace.databases;
  const alias = params.database ?? 'default';
  const snapshot = () => (project && state.views(project).find((view) => view.alias === alias)?.snapshot) || undefined;
  let disagreement = planDisagreement(alias, applied, snapshot());
  if (disagreement) {
    await state.refresh(params.projectRoot);
    disagreement = planDisagreement(alias, applied, snapshot());
  }
  return disagreement ? { ok: false, reason: 'stateChanged', message: disagreement } : undefined;
}
