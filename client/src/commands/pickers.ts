import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandApp, CommandMigration, CommandProject, CommandTargets } from '../../../protocol/index';
import { CommandArguments } from './commandArguments';
import { ServerRequests } from './serverRequests';

interface Choice<T> extends vscode.QuickPickItem {
  readonly value: T;
}

/** One item chosen from a list; undefined when the user cancelled. */
export async function pickOne<T>(items: readonly Choice<T>[], title: string, placeHolder?: string): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
  return chosen?.value;
}

/** Several items; undefined when the user cancelled, an empty list when they chose none. */
export async function pickMany<T>(
  items: readonly (Choice<T> & { picked?: boolean })[],
  title: string,
  placeHolder?: string,
): Promise<T[] | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, canPickMany: true, ignoreFocusOut: true });
  return chosen?.map((item) => item.value);
}

/** The project the arguments name, the only one, or one the user picks. */
export async function pickProject(targets: CommandTargets, given: CommandArguments, title: string): Promise<CommandProject | undefined> {
  const { projects } = targets;
  if (given.projectRoot) {
    const named = projects.find((project) => project.root === given.projectRoot);
    if (named) return named;
  }
  if (given.file) {
    const containing = projects.filter((project) => isInside(given.file!, project.root)).sort((a, b) => b.root.length - a.root.length)[0];
    if (containing) return containing;
  }
  if (projects.length === 0) {
    void vscode.window.showErrorMessage(
      'Django Migrations: no Django project (a folder with manage.py and migrations) was found in the workspace.',
    );
    return undefined;
  }
  if (projects.length === 1) return projects[0];
  return pickOne(
    projects.map((project) => ({
      label: path.basename(project.root),
      description: vscode.workspace.asRelativePath(project.root),
      value: project,
    })),
    title,
    'Django project',
  );
}

/** The project's apps whose migrations live in the workspace. */
export function projectApps(project: CommandProject): CommandApp[] {
  return project.apps.filter((app) => !app.external);
}

export async function pickApp(
  project: CommandProject,
  given: CommandArguments,
  title: string,
  apps = projectApps(project),
): Promise<CommandApp | undefined> {
  const named = given.app ? project.apps.find((app) => app.label === given.app) : undefined;
  if (named) return named;
  if (given.file) {
    const owner = project.apps.find((app) => app.migrations.some((migration) => migration.file === given.file));
    if (owner) return owner;
  }
  if (apps.length === 0) {
    void vscode.window.showInformationMessage(`Django Migrations: no app of ${path.basename(project.root)} fits ${title}.`);
    return undefined;
  }
  return pickOne(
    apps.map((app) => ({
      label: app.label,
      description: `${app.migrations.length} migration${app.migrations.length === 1 ? '' : 's'}`,
      value: app,
    })),
    title,
    'App',
  );
}

/** The migration the arguments or the active file name, else one the user picks from `choices`. */
export async function pickMigration(
  app: CommandApp,
  given: CommandArguments,
  title: string,
  choices: readonly CommandMigration[] = app.migrations,
): Promise<CommandMigration | undefined> {
  const named = app.migrations.find((migration) =>
    given.name ? migration.name === given.name : given.file !== undefined && migration.file === given.file,
  );
  if (named) return named;
  if (choices.length === 0) {
    void vscode.window.showInformationMessage(`Django Migrations: ${app.label} has no migration that fits ${title}.`);
    return undefined;
  }
  return pickOne(
    choices.map((migration) => ({ ...migrationItem(migration), value: migration })),
    title,
    `Migration of ${app.label}`,
  );
}

export function migrationItem(migration: CommandMigration): vscode.QuickPickItem {
  const notes = [migration.applied ? 'applied' : 'not applied'];
  if (migration.replaces.length > 0) notes.push(`squashes ${migration.replaces.length}`);
  return { label: migration.name, description: notes.join(', ') };
}

/**
 * The DATABASES alias to use: the one given (a tree node's), the only one, or one the user
 * picks. `{}` means Django's default; undefined, cancelled.
 */
export async function pickDatabase(
  requests: ServerRequests,
  project: CommandProject,
  given: CommandArguments,
  title: string,
): Promise<{ alias?: string } | undefined> {
  if (given.alias) return { alias: given.alias };
  const answer = await requests.databases(project.root);
  // A project whose settings cannot load fails later with Django's own message.
  if (!answer.ok || answer.databases.length <= 1) return {};
  return pickOne(
    answer.databases.map((database) => ({
      label: database.alias,
      description: [database.vendor, database.alias === answer.default ? 'default' : undefined].filter(Boolean).join(', '),
      detail: database.name ?? undefined,
      value: database.alias === answer.default ? {} : { alias: database.alias },
    })),
    title,
    'Database (--database)',
  );
}

/** A name typed by the user: undefined when cancelled, '' to let Django choose. */
export async function inputName(title: string, prompt: string, placeHolder: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt,
    placeHolder,
    ignoreFocusOut: true,
    validateInput: (value) =>
      value === '' || /^[\p{L}_][\p{L}\p{N}_]*$/u.test(value)
        ? undefined
        : 'A Python identifier: letters, digits and _, not starting with a digit.',
  });
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
