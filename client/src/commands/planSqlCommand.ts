import * as vscode from 'vscode';
import { CommandApp } from '../../../protocol/index';
import { commandArguments } from './commandArguments';
import { CommandServices } from './commandServices';
import { planSqlText } from './planSqlText';
import { migrationItem, pickDatabase, pickOne, pickProject, projectApps } from './pickers';
import { requireTrust } from './workspaceTrust';

/**
 * `djangoMigrations.showPlanSql`: the SQL `migrate [APP [TARGET]]` would run on a database, in
 * plan order, each step as `sqlmigrate` writes it, in a read-only document. Runs nothing.
 */
export async function showPlanSql(services: CommandServices, argument?: unknown): Promise<void> {
  if (!requireTrust('sqlmigrate')) return;
  const given = commandArguments(argument);
  const title = 'Show SQL for the Plan';
  const project = await pickProject(await services.requests.commandTargets(), given, title);
  if (!project) return;
  let app: CommandApp | null | undefined = given.app ? project.apps.find((candidate) => candidate.label === given.app) : undefined;
  if (!app) {
    app = await pickOne<CommandApp | null>(
      [{ label: 'All apps', value: null }, ...projectApps(project).map((candidate) => ({ label: candidate.label, value: candidate }))],
      title,
      'Apps to migrate',
    );
    if (app === undefined) return;
  }
  let target: string | undefined = given.app && given.name ? given.name : undefined;
  if (app && !target) {
    const chosen = await pickOne(
      [
        { label: 'Latest', description: `apply every migration of ${app.label}`, value: '' },
        ...app.migrations.map((migration) => ({ ...migrationItem(migration), value: migration.name })),
        { label: 'zero', description: `unapply every migration of ${app.label}`, value: 'zero' },
      ],
      title,
      `Migrate ${app.label} to`,
    );
    if (chosen === undefined) return;
    target = chosen || undefined;
  }
  const database = await pickDatabase(services.requests, project, given, title);
  if (!database) return;
  const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'migrate: SQL of the plan' }, () =>
    services.requests.planSql({
      projectRoot: project.root,
      targets: app ? [[app.label, target ?? null]] : undefined,
      database: database.alias,
    }),
  );
  if (!answer.ok) {
    void vscode.window.showErrorMessage(`Django Migrations: ${answer.message}`);
    return;
  }
  const command = ['migrate', ...(app ? [app.label] : []), ...(target ? [target] : [])].join(' ');
  await services.previews.show('migrate plan.sql', planSqlText(answer, command, database.alias ?? 'default'));
}
