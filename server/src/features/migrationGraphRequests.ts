import { ResponseError } from 'vscode-languageserver/node';
import { LoaderResult } from '../core/loader';
import { splitMigrationKey } from '../core/migration';
import { DatabaseView } from '../databases/migrationStateService';
import { MigrationProject } from '../project/migrationProject';
import {
  MigrationGraphAnswer,
  MigrationGraphParams,
  MigrationGraphPlanAnswer,
  MigrationGraphPlanParams,
  MigrationGraphPlanRequest,
  MigrationGraphRequest,
} from '../../../protocol/index';
import { ServerContext } from '../serverContext';
import { databaseTree } from './databaseTree';
import { migrationGraphPlan, migrationGraphView } from './migrationGraphView';

/**
 * The graph view's requests: one app's (or the project's) graph with its state on an alias, and
 * the plan to a migration. Both read the index and the databases service: no Python runs.
 */
export function registerMigrationGraphRequests(context: ServerContext): void {
  const find = async (projectRoot: string, alias: string | undefined): Promise<{ project: MigrationProject; view?: DatabaseView }> => {
    await context.whenLoaded();
    const project = context.projects().find((candidate) => candidate.project.root === projectRoot);
    if (!project) throw new ResponseError(1, `No Django project at ${projectRoot}.`);
    const views = context.workspace.databases.views(project);
    const view = alias === undefined ? views[0] : views.find((candidate) => candidate.alias === alias);
    return view ? { project, view } : { project };
  };

  context.connection.onRequest(MigrationGraphRequest, async (params: MigrationGraphParams): Promise<MigrationGraphAnswer> => {
    const { project, view } = await find(params.projectRoot, params.alias);
    const tree = view && databaseTree(view);
    const loaded = view?.loaded() ?? project.loaderResult();
    const app = params.app ?? (params.file !== undefined ? appOfFile(loaded, params.file) : undefined);
    const graph = migrationGraphView({ loaded, tree, apps: project.project.apps, ...(app !== undefined ? { app } : {}) });
    const status = view?.snapshot.status ?? 'not-configured';
    const message = view?.snapshot.status === 'ok' ? undefined : view?.snapshot.message;
    return {
      projectRoot: project.project.root,
      alias: view?.alias ?? params.alias ?? 'default',
      aliases: context.workspace.databases.views(project).map((candidate) => candidate.alias),
      ...(app !== undefined ? { app } : {}),
      status,
      ...(message ? { message } : {}),
      ...graph,
    };
  });

  context.connection.onRequest(MigrationGraphPlanRequest, async (params: MigrationGraphPlanParams): Promise<MigrationGraphPlanAnswer> => {
    const { project, view } = await find(params.projectRoot, params.alias);
    return migrationGraphPlan(view?.loaded() ?? project.loaderResult(), params.app, params.name);
  });
}

/** The app of a migration file the loader read, if it read it. */
function appOfFile(loaded: LoaderResult, file: string): string | undefined {
  for (const [key, migration] of loaded.diskMigrations) if (migration.path === file) return splitMigrationKey(key)[0];
  return undefined;
}
