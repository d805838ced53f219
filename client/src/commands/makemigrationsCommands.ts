import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandProject } from '../../../protocol/index';
import { commandArguments } from './commandArguments';
import { CommandServices } from './commandServices';
import { openCreatedFiles, watchCreatedFiles } from './createdFiles';
import { askDjangoQuestion } from './djangoQuestion';
import { updateMaxMigrationFiles } from './maxMigrationFile';
import { maxMigrationFileEnabled } from './maxMigrationFileCommand';
import { makemigrationsCommand, mergeCommand } from './managePyCommand';
import { runBuiltCommand } from './managePyTask';
import { saveProjectSources } from './saveProjectSources';
import { ServerRequests } from './serverRequests';
import { inputName, pickApp, pickMany, pickOne, pickProject, projectApps } from './pickers';
import { requireTrust } from './workspaceTrust';

/** `djangoMigrations.makeMigrations`: all apps or one, with a name, as a preview, or an empty data migration. */
export async function makeMigrations(services: CommandServices, argument?: unknown): Promise<void> {
  if (!requireTrust('makemigrations')) return;
  const given = commandArguments(argument);
  const title = 'Make Migrations';
  const project = await pickProject(await services.requests.commandTargets(), given, title);
  if (!project) return;
  let apps: string[] | undefined = given.app ? [given.app] : undefined;
  // A missing-migration quick fix says what to run, for the models as the editor holds them.
  if (apps && given.mode) {
    if (!(await saveProjectSources(project))) return;
    if (given.mode === 'preview') return previewMakemigrations(services, project, apps);
    return writeMigrations(services.requests, project, apps, given.name || undefined);
  }
  if (!apps) {
    apps = await pickOne(
      [{ label: 'All apps', value: [] as string[] }, ...projectApps(project).map((app) => ({ label: app.label, value: [app.label] }))],
      title,
      'Apps to make migrations for',
    );
    if (!apps) return;
  }
  type Mode = 'write' | 'named' | 'preview' | 'data';
  const mode = await pickOne<Mode>(
    [
      { label: 'Make migrations', description: 'makemigrations', value: 'write' },
      { label: 'Make migrations with a name…', description: '--name', value: 'named' },
      { label: 'Preview', description: '--dry-run: show the files it would write', value: 'preview' },
      ...(apps.length === 1
        ? [{ label: 'Empty data migration…', description: '--empty, with a RunPython scaffold', value: 'data' as const }]
        : []),
    ],
    title,
  );
  if (mode === 'preview') return previewMakemigrations(services, project, apps);
  if (mode === 'data') return makeDataMigration(services, { projectRoot: project.root, app: apps[0] });
  if (mode === 'named') {
    const name = await inputName(title, 'Name of the new migration (after its number)', 'for example: add_product_stock');
    if (name === undefined) return;
    await writeMigrations(services.requests, project, apps, name || undefined);
  } else if (mode === 'write') {
    await writeMigrations(services.requests, project, apps);
  }
}

/**
 * `makemigrations` through the project's Django. Django's own questions (a default for a new
 * non-nullable field, "did you rename…?") are asked in the editor; each answer goes back to
 * Django, which runs again with all of them. The files it wrote are opened.
 */
async function writeMigrations(requests: ServerRequests, project: CommandProject, apps: readonly string[], name?: string): Promise<void> {
  const answers: string[] = [];
  for (;;) {
    const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'makemigrations' }, () =>
      requests.makemigrations({ projectRoot: project.root, apps, name, answers }),
    );
    if (!answer.ok) {
      void vscode.window.showErrorMessage(`Django Migrations: ${answer.message}`);
      return;
    }
    if (answer.question) {
      const reply = await askDjangoQuestion(answer.question);
      if (reply === undefined) {
        void vscode.window.showInformationMessage('Django Migrations: makemigrations stopped; nothing was written.');
        return;
      }
      answers.push(reply);
      continue;
    }
    if (answer.exitCode !== 0) {
      const stopped = answer.exitCode === 3 || answer.exitCode === 1;
      const message = stopped ? 'makemigrations stopped; nothing was written.' : lastLines(answer.stderr || answer.stdout);
      void (stopped ? vscode.window.showInformationMessage : vscode.window.showErrorMessage)(`Django Migrations: ${message}`);
      return;
    }
    if (answer.written.length === 0) {
      void vscode.window.showInformationMessage(`Django Migrations: ${lastLines(answer.stdout) || 'No changes detected.'}`);
      return;
    }
    updateMaxMigrationFiles(answer.written, maxMigrationFileEnabled(project.root));
    await openCreatedFiles(answer.written);
    return;
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ').trim();
}

/** What makemigrations would write, from the project's Django, in a read-only document. */
async function previewMakemigrations(services: CommandServices, project: CommandProject, apps: readonly string[]): Promise<void> {
  const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'makemigrations --dry-run' }, () =>
    services.requests.makemigrationsPreview({ projectRoot: project.root, apps }),
  );
  if (!answer.ok) {
    void vscode.window.showErrorMessage(`Django Migrations: ${answer.message}`);
    return;
  }
  const files = Object.values(answer.changes).flat();
  if (files.length === 0) {
    void vscode.window.showInformationMessage(`Django Migrations: ${answer.stdout.trim() || 'No changes detected.'}`);
    return;
  }
  const text = files
    .map((file) =>
      [
        `# ${path.relative(project.root, file.path)}: would be written by makemigrations`,
        ...file.operations.map((line) => `#   - ${line}`),
        '',
        file.content,
      ].join('\n'),
    )
    .join('\n\n');
  await services.previews.show('makemigrations --dry-run.py', text);
  const count = files.length === 1 ? '1 migration' : `${files.length} migrations`;
  const create = await vscode.window.showInformationMessage(`Django Migrations: makemigrations would write ${count}.`, 'Create');
  if (create === 'Create') await writeMigrations(services.requests, project, apps);
}

/**
 * `djangoMigrations.makeDataMigration`: `makemigrations APP --empty`, then the new file becomes a
 * RunPython migration whose forwards and backwards functions load models with apps.get_model.
 */
export async function makeDataMigration(services: CommandServices, argument?: unknown): Promise<void> {
  if (!requireTrust('makemigrations --empty')) return;
  const given = commandArguments(argument);
  const title = 'New Data Migration';
  const project = await pickProject(await services.requests.commandTargets(), given, title);
  const app = project && (await pickApp(project, given, title));
  if (!project || !app) return;
  const name = await inputName(
    title,
    `Name of the data migration of ${app.label} (empty: Django's automatic name)`,
    'for example: fill_product_slugs',
  );
  if (name === undefined) return;
  const models =
    app.models.length === 0
      ? []
      : await pickMany(
          app.models.map((model, index) => ({ label: model, picked: index === 0, value: model })),
          title,
          'Models the migration changes (loaded with apps.get_model)',
        );
  if (!models) return;
  const watched = watchCreatedFiles(project, [app]);
  const outcome = await runBuiltCommand(
    services.requests,
    project,
    makemigrationsCommand({ apps: [app.label], empty: true, name: name || undefined, interactive: false }),
  );
  if (outcome?.exitCode !== 0) return;
  const created = watched.created();
  updateMaxMigrationFiles(created, maxMigrationFileEnabled(project.root));
  if (created.length !== 1) {
    void vscode.window.showWarningMessage(`Django Migrations: could not tell which file makemigrations --empty wrote for ${app.label}.`);
    return;
  }
  const file = created[0];
  const scaffold = await services.requests.dataMigrationScaffold({ file, app: app.label, models });
  const document = await vscode.workspace.openTextDocument(file);
  if (scaffold.ok) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), scaffold.text);
    await vscode.workspace.applyEdit(edit);
    await document.save();
  } else {
    void vscode.window.showWarningMessage(`Django Migrations: ${scaffold.message}`);
  }
  await vscode.window.showTextDocument(document);
}

/** `djangoMigrations.mergeMigrations`: `makemigrations --merge APP`, also the conflicting-leaves quick fix. */
export async function mergeMigrations(services: CommandServices, argument?: unknown): Promise<void> {
  if (!requireTrust('makemigrations --merge')) return;
  const given = commandArguments(argument);
  const title = 'Merge Migrations';
  const project = await pickProject(await services.requests.commandTargets(), given, title);
  if (!project) return;
  const conflicting = projectApps(project).filter((app) => app.leafNodes.length > 1);
  if (!given.app && conflicting.length === 0) {
    void vscode.window.showInformationMessage('Django Migrations: no app has conflicting migrations (each has one leaf).');
    return;
  }
  const app = await pickApp(project, { app: given.app }, title, conflicting);
  if (!app) return;
  // Asked here once; Django then merges without asking again (--noinput).
  const answer = await vscode.window.showInformationMessage(
    `Merge the ${app.leafNodes.length} leaf migrations of ${app.label}?`,
    {
      modal: true,
      detail: `makemigrations --merge writes a migration depending on:\n${app.leafNodes.map((leaf) => `  ${app.label}.${leaf}`).join('\n')}`,
    },
    'Merge',
  );
  if (answer !== 'Merge') return;
  const watched = watchCreatedFiles(project, [app]);
  const outcome = await runBuiltCommand(services.requests, project, mergeCommand({ apps: [app.label], interactive: false }));
  if (outcome?.exitCode !== 0) return;
  const created = watched.created();
  updateMaxMigrationFiles(created, maxMigrationFileEnabled(project.root));
  await openCreatedFiles(created);
}
