import { registerDjangoRequests } from './features/djangoRequests';
import { registerLintConfigurationWatch } from './features/lintDiagnostics';
import { registerMigrationState } from './features/migrationState';
import { registerTaskEnvironment } from './features/taskEnvironment';
import { registerMigrationGraphRequests } from './features/migrationGraphRequests';
import { ServerContext } from './serverContext';

/**
 * Registers the custom requests (`djangoMigrations/<name>`, typed in protocol.ts and documented
 * in docs/protocol.md), one feature module each.
 */
export function registerCustomRequests(context: ServerContext): void {
  registerDjangoRequests(context);
  registerMigrationState(context);
  registerLintConfigurationWatch(context);
  registerTaskEnvironment(context);
  registerMigrationGraphRequests(context);
}
