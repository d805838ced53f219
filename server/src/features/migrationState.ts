import { MigrationProject } from '../project/migrationProject';
import {
  MIGRATION_STATE_CHANGED_NOTIFICATION,
  MIGRATION_STATE_REQUEST,
  MigrationStateChangedParams,
  MigrationStateResult,
  REFRESH_DATABASE_NOTIFICATION,
  REFRESH_MIGRATION_STATE_REQUEST,
  RefreshDatabaseParams,
  RefreshMigrationStateParams,
} from '../../../protocol/index';
import { ServerContext } from '../serverContext';
import { DatabasePasswords } from '../databases/databasePasswords';
import { MigrationStateService } from '../databases/migrationStateService';
import { djangoBridgeOf } from './djangoBridge';
import { uriToPath } from './fileUri';

const services = new WeakMap<ServerContext, MigrationStateService>();

/** The running server's migration state service; undefined until registered. */
export function migrationStateOf(context: ServerContext): MigrationStateService | undefined {
  return services.get(context);
}

/** Migration files changing on disk change the trees; a burst of events is one change. */
const FILE_CHANGE_DELAY_MS = 300;

/**
 * The live state of the databases: `djangoMigrations/migrationState` and
 * `djangoMigrations/refreshMigrationState` requests, the `djangoMigrations/refreshDatabase`
 * notification commands send after changing a database, and a `migrationStateChanged`
 * notification (with lenses and diagnostics refreshed) after every change.
 */
export function registerMigrationState(context: ServerContext): void {
  // Read once, before anything the server starts could inherit it.
  const passwords = DatabasePasswords.takeFrom(process.env);
  const service = new MigrationStateService(
    {
      projects: () => context.projects(),
      get options() {
        return context.options;
      },
      log: (message) => context.connection.console.info(message),
    },
    {
      passwords,
      djangoDatabases: (project) => djangoDatabases(context, project),
    },
  );
  services.set(context, service);

  service.onDidChange((version) => {
    void context.connection.sendNotification(MIGRATION_STATE_CHANGED_NOTIFICATION, { version } satisfies MigrationStateChangedParams);
    context.refreshCodeLenses();
    context.refreshDiagnostics();
  });
  context.onDidLoad(() => void service.update());

  let fileTimer: NodeJS.Timeout | undefined;
  context.onDidChangeWatchedFiles((changes) => {
    // Created and deleted files reload the projects, which updates the state too.
    const migrationsChanged = changes.some((change) => {
      const file = uriToPath(change.uri);
      return file !== undefined && context.projectOf(file) !== undefined;
    });
    if (!migrationsChanged) return;
    clearTimeout(fileTimer);
    fileTimer = setTimeout(() => service.projectChanged(), FILE_CHANGE_DELAY_MS);
  });

  context.connection.onRequest(MIGRATION_STATE_REQUEST, async (): Promise<MigrationStateResult> => {
    await context.whenLoaded();
    return service.state();
  });
  context.connection.onRequest(REFRESH_MIGRATION_STATE_REQUEST, async (params: RefreshMigrationStateParams | undefined): Promise<MigrationStateResult> => {
    await context.whenLoaded();
    await service.refresh(params?.projectRoot);
    return service.state();
  });
  context.connection.onNotification(REFRESH_DATABASE_NOTIFICATION, (params: RefreshDatabaseParams | undefined) => {
    void context.whenLoaded().then(() => service.refresh(params?.projectRoot));
  });
}

/** DATABASES from the project's Django, passwords included; undefined when Django cannot say. */
async function djangoDatabases(
  context: ServerContext,
  project: MigrationProject,
): Promise<Record<string, Record<string, unknown>> | undefined> {
  const answer = await djangoBridgeOf(context).run({ projectRoot: project.project.root }, (helper) =>
    helper.databases({ includePasswords: true }),
  );
  if (!answer.ok) {
    // The message never holds a password: the helper hides the environment's secrets.
    context.connection.console.info(`DATABASES of ${project.project.root} read statically: ${answer.message}`);
    return undefined;
  }
  return Object.fromEntries(Object.entries(answer.databases).map(([alias, entry]) => [alias, { ...entry.settings }]));
}
