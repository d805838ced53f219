import * as vscode from 'vscode';
import { CommandApp, CommandProject } from '../../../protocol/index';
import { commandArguments, orActiveEditor } from './commandArguments';
import { CommandServices } from './commandServices';
import { migrateCommand, showmigrationsCommand } from './managePyCommand';
import { runBuiltCommand } from './managePyTask';
import { migrationItem, pickApp, pickDatabase, pickMany, pickMigration, pickOne, pickProject, projectApps } from './pickers';
import { reviewUnapply } from './unapplyPlan';
import { requireTrust } from './workspaceTrust';

interface MigrateChoice {
  readonly app?: string;
  readonly target?: string;
  readonly fake?: boolean;
  readonly fakeInitial?: boolean;
  readonly database?: string;
  /** Unapply this migration of `app`: Django's plan names the target (remapped after squashes). */
  readonly unapply?: string;
}

const RECORD_ONLY = 'Record Only (--fake)';
const SHOW_PLAN = 'Show Plan';

/** `djangoMigrations.migrate`: all apps or one, to its latest, a chosen migration or zero, with Django's options. */
export async function migrate(services: CommandServices, argument?: unknown): Promise<void> {
  if (!requireTrust('migrate')) return;
  const given = commandArguments(argument);
  const title = 'Migrate';
  const project = await pickProject(await services.requests.commandTargets(), given, title);
  if (!project) return;
  const database = await pickDatabase(services.requests, project, given, title);
  if (!database) return;
  let app: CommandApp | null | undefined = given.app ? project.apps.find((candidate) => candidate.label === given.app) : undefined;
  if (!app) {
    app = await pickOne<CommandApp | null>(
      [{ label: 'All apps', value: null }, ...projectApps(project).map((candidate) => ({ label: candidate.label, value: candidate }))],
      title,
      'Apps to migrate',
    );
    if (app === undefined) return;
  }
  let target: string | undefined;
  if (app) {
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
  const options = await pickMany(
    [
      { label: '--fake', description: 'record the change in django_migrations without running it', value: 'fake' },
      { label: '--fake-initial', description: 'skip initial migrations whose tables already exist', value: 'fakeInitial' },
      { label: '--plan', description: 'show the plan only; change nothing', value: 'plan' },
    ],
    title,
    'Options (none: run the migrations)',
  );
  if (!options) return;
  await migrateWithReview(
    services,
    project,
    { app: app?.label, target, fake: options.includes('fake'), fakeInitial: options.includes('fakeInitial'), database: database.alias },
    options.includes('plan'),
  );
}

/** `djangoMigrations.migrateToMigration`: `migrate APP NAME`, forwards or backwards. */
export async function migrateToMigration(services: CommandServices, argument?: unknown, fake = false): Promise<void> {
  if (!requireTrust('migrate')) return;
  const given = orActiveEditor(commandArguments(argument));
  const title = fake ? 'Record as Migrated to a Migration (--fake)' : 'Migrate to a Migration';
  const project = await pickProject(await services.requests.commandTargets(), given, title);
  const app = project && (await pickApp(project, given, title));
  const migration = app && (await pickMigration(app, given, title));
  if (!project || !app || !migration) return;
  const database = await pickDatabase(services.requests, project, given, title);
  if (!database) return;
  await migrateWithReview(services, project, { app: app.label, target: migration.name, fake, database: database.alias }, false);
}

/**
 * `djangoMigrations.unapplyMigration`: migrate the app back to the migration's parent (or zero),
 * after a confirmation listing what is unapplied, irreversible operations and data loss.
 */
export async function unapplyMigration(services: CommandServices, argument?: unknown): Promise<void> {
  if (!requireTrust('migrate (backwards)')) return;
  const given = orActiveEditor(commandArguments(argument));
  const title = 'Unapply Migration';
  const project = await pickProject(await services.requests.commandTargets(), given, title);
  if (!project) return;
  const app = await pickApp(
    project,
    given,
    title,
    projectApps(project).filter((candidate) => candidate.migrations.some((migration) => migration.applied)),
  );
  const migration =
    app &&
    (await pickMigration(
      app,
      given,
      title,
      app.migrations.filter((candidate) => candidate.applied),
    ));
  if (!app || !migration) return;
  const database = await pickDatabase(services.requests, project, given, title);
  if (!database) return;
  await migrateWithReview(services, project, { app: app.label, unapply: migration.name, database: database.alias }, false);
}

/** `djangoMigrations.showMigrations`: `showmigrations` in a terminal. */
export async function showMigrations(services: CommandServices, argument?: unknown): Promise<void> {
  if (!requireTrust('showmigrations')) return;
  const given = commandArguments(argument);
  const title = 'Show Migrations';
  const project = await pickProject(await services.requests.commandTargets(), given, title);
  if (!project) return;
  const database = await pickDatabase(services.requests, project, given, title);
  if (!database) return;
  await runBuiltCommand(
    services.requests,
    project,
    showmigrationsCommand({ apps: given.app ? [given.app] : [], database: database.alias }),
  );
}

/**
 * Asks Django for the plan first: `--plan` shows it; a plan that unapplies anything needs a
 * confirmation (what is unapplied, irreversible operations, data loss) before `migrate` runs.
 */
async function migrateWithReview(
  services: CommandServices,
  project: CommandProject,
  choice: MigrateChoice,
  planOnly: boolean,
): Promise<void> {
  const planned = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'migrate --plan' }, () =>
    services.requests.plan({
      projectRoot: project.root,
      ...(choice.unapply && choice.app
        ? { unapply: [choice.app, choice.unapply] as const }
        : { targets: choice.app ? [[choice.app, choice.target ?? null] as const] : undefined }),
      database: choice.database,
    }),
  );
  if (!planned.ok) {
    void vscode.window.showErrorMessage(`Django Migrations: nothing was run. ${planned.message}`);
    return;
  }
  if (planOnly) {
    await services.previews.show('migrate --plan.txt', `${planned.lines.join('\n')}\n`);
    return;
  }
  const database = choice.database ?? 'default';
  const target = choice.unapply ? planned.target : choice.target;
  if (
    choice.unapply &&
    (!target || !planned.plan.some((step) => step.backwards && step.app === choice.app && step.name === choice.unapply))
  ) {
    // Django reads the migration as not applied (or as part of a squash it cannot unapply alone).
    void vscode.window.showErrorMessage(
      `Django Migrations: nothing was run. Django does not plan to unapply ${choice.app}.${choice.unapply} on database '${database}': ${
        planned.plan.length === 0
          ? 'it reads it as not applied'
          : `its plan is ${planned.plan.map((step) => `${step.backwards ? 'unapply' : 'apply'} ${step.app}.${step.name}`).join(', ')}`
      }.`,
    );
    return;
  }
  if (planned.plan.length === 0) {
    void vscode.window.showInformationMessage(`Django Migrations: nothing to migrate on database '${database}'.`);
    return;
  }
  let fake = choice.fake ?? false;
  if (planned.plan.some((step) => step.backwards)) {
    const review = reviewUnapply(planned, database);
    // The first button is the default: never the one that changes the database or its history.
    const buttons = fake || review.blocked ? [SHOW_PLAN, RECORD_ONLY] : [SHOW_PLAN, 'Unapply', RECORD_ONLY];
    const answer = await vscode.window.showWarningMessage(review.message, { modal: true, detail: review.detail }, ...buttons);
    if (!answer) return;
    if (answer === SHOW_PLAN) {
      await services.previews.show('migrate --plan.txt', `${planned.lines.join('\n')}\n`);
      return;
    }
    fake = answer === RECORD_ONLY;
  }
  const { unapply: _unapply, ...options } = choice;
  await runBuiltCommand(services.requests, project, migrateCommand({ ...options, target, fake }));
}
