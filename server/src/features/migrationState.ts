import {
  MigrationStateChangedNotification,
  MigrationStateRequest,
  MigrationStateChangedParams,
  MigrationStateResult,
  RefreshDatabaseNotification,
  RefreshMigrationStateRequest,
  RefreshDatabaseParams,
  RefreshMigrationStateParams,
} from '../../../protocol/index';
import { ServerContext } from '../serverContext';
import { uriToPath } from './fileUri';
import { migrationStateResult } from './migrationStateResult';

/** Migration files changing on disk change the trees; a burst of events is one change. */
const FILE_CHANGE_DELAY_MS = 300;

/**
 * The live state of the databases: `djangoMigrations/migrationState` and
 * `djangoMigrations/refreshMigrationState` requests, the `djangoMigrations/refreshDatabase`
 * notification commands send after changing a database, and a `migrationStateChanged`
 * notification (with lenses and diagnostics refreshed) after every change.
 */
export function registerMigrationState(context: ServerContext): void {
  const service = context.workspace.databases;

  service.onDidChange((version) => {
    void context.connection.sendNotification(MigrationStateChangedNotification, { version } satisfies MigrationStateChangedParams);
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

  context.connection.onRequest(MigrationStateRequest, async (): Promise<MigrationStateResult> => {
    await context.whenLoaded();
    return migrationStateResult(service, context.projects());
  });
  context.connection.onRequest(
    RefreshMigrationStateRequest,
    async (params: RefreshMigrationStateParams | undefined): Promise<MigrationStateResult> => {
      await context.whenLoaded();
      await service.refresh(params?.projectRoot);
      return migrationStateResult(service, context.projects());
    },
  );
  context.connection.onNotification(RefreshDatabaseNotification, (params: RefreshDatabaseParams | undefined) => {
    void context.whenLoaded().then(() => service.refresh(params?.projectRoot));
  });
}
