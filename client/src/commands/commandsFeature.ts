import * as vscode from 'vscode';
import { ClientContext } from '../clientContext';
import { CommandServices } from './commandServices';
import { DjangoTaskProvider, refreshAfterTasks } from './djangoTaskProvider';
import { TASK_TYPE } from './managePyTask';
import { makeDataMigration, makeMigrations, mergeMigrations } from './makemigrationsCommands';
import { createMaxMigrationFiles } from './maxMigrationFileCommand';
import { migrate, migrateToMigration, showMigrations, unapplyMigration } from './migrateCommands';
import { showPlanSql } from './planSqlCommand';
import { PREVIEW_SCHEME, PreviewDocuments } from './previewDocuments';
import { ServerRequests } from './serverRequests';
import { finishSquash, renameMigration } from './refactoringCommands';
import { squashMigrations } from './squashCommand';

/**
 * The commands that run Django (palette, tree context menus, lenses, quick fixes), the
 * `djangoMigrations` task type, and read-only previews of plans and dry runs.
 */
export function commandsFeature(context: ClientContext): void {
  const requests = new ServerRequests(context);
  const previews = new PreviewDocuments();
  const services: CommandServices = { requests, previews };
  const commands: Record<string, (argument?: unknown) => Promise<void>> = {
    'djangoMigrations.makeMigrations': (argument) => makeMigrations(services, argument),
    'djangoMigrations.makeDataMigration': (argument) => makeDataMigration(services, argument),
    'djangoMigrations.mergeMigrations': (argument) => mergeMigrations(services, argument),
    'djangoMigrations.migrate': (argument) => migrate(services, argument),
    'djangoMigrations.migrateToMigration': (argument) => migrateToMigration(services, argument),
    'djangoMigrations.fakeMigrateToMigration': (argument) => migrateToMigration(services, argument, true),
    'djangoMigrations.unapplyMigration': (argument) => unapplyMigration(services, argument),
    'djangoMigrations.showMigrations': (argument) => showMigrations(services, argument),
    'djangoMigrations.squashMigrations': (argument) => squashMigrations(services, argument),
    'djangoMigrations.showPlanSql': (argument) => showPlanSql(services, argument),
    'djangoMigrations.finishSquash': (argument) => finishSquash(services, argument),
    'djangoMigrations.renameMigration': (argument) => renameMigration(argument),
    'djangoMigrations.createMaxMigrationFiles': (argument) => createMaxMigrationFiles(services, argument),
  };
  for (const [id, handler] of Object.entries(commands)) {
    context.extension.subscriptions.push(
      vscode.commands.registerCommand(id, async (argument?: unknown) => {
        try {
          await handler(argument);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          context.output.appendLine(`${id} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
          void vscode.window.showErrorMessage(`Django Migrations: ${message}`);
        }
      }),
    );
  }
  context.extension.subscriptions.push(
    previews,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new DjangoTaskProvider(requests)),
    refreshAfterTasks(requests),
  );
}
