import * as vscode from 'vscode';
import { commandArguments } from './commandArguments';
import { CommandServices } from './commandServices';
import { openCreatedFiles, watchCreatedFiles } from './createdFiles';
import { updateMaxMigrationFiles } from './maxMigrationFile';
import { maxMigrationFileEnabled } from './maxMigrationFileCommand';
import { squashmigrationsCommand } from './managePyCommand';
import { runBuiltCommand } from './managePyTask';
import { inputName, migrationItem, pickApp, pickOne, pickProject, projectApps } from './pickers';
import { requireTrust } from './workspaceTrust';

/**
 * `djangoMigrations.squashMigrations`: `squashmigrations APP [START] END`, start and end picked
 * from the app's migrations, with `--squashed-name` and `--no-optimize`. Confirmed here, run
 * with `--noinput`; the squashed migration is opened.
 */
export async function squashMigrations(services: CommandServices, argument?: unknown): Promise<void> {
  if (!requireTrust('squashmigrations')) return;
  const given = commandArguments(argument);
  const title = 'Squash Migrations';
  const project = await pickProject(await services.requests.commandTargets(), given, title);
  if (!project) return;
  // Django refuses to squash a squashed migration again.
  const squashable = (app: (typeof project.apps)[number]) => app.migrations.filter((migration) => migration.replaces.length === 0);
  const app = await pickApp(
    project,
    { app: given.app },
    title,
    projectApps(project).filter((candidate) => squashable(candidate).length >= 2),
  );
  if (!app) return;
  const migrations = squashable(app);
  const start = await pickOne(
    [
      { label: 'From the first migration', description: `of ${app.label}`, value: '' },
      ...migrations.slice(0, -1).map((migration) => ({ ...migrationItem(migration), value: migration.name })),
    ],
    title,
    'First migration to squash',
  );
  if (start === undefined) return;
  const after = start ? migrations.slice(migrations.findIndex((migration) => migration.name === start) + 1) : migrations.slice(1);
  const end = await pickOne(
    [...after].reverse().map((migration) => ({ ...migrationItem(migration), value: migration.name })),
    title,
    'Last migration to squash',
  );
  if (!end) return;
  const squashedName = await inputName(title, 'Name of the squashed migration (empty: Django names it)', 'for example: squashed_initial');
  if (squashedName === undefined) return;
  const optimize = await pickOne(
    [
      { label: 'Optimize', description: "merge and drop operations where Django's optimizer can", value: true },
      { label: 'Keep every operation', description: '--no-optimize', value: false },
    ],
    title,
  );
  if (optimize === undefined) return;
  // Asked here once, with what Django would list; Django then squashes without asking (--noinput).
  const squashed = migrations.slice(
    start ? migrations.findIndex((migration) => migration.name === start) : 0,
    migrations.findIndex((migration) => migration.name === end) + 1,
  );
  const answer = await vscode.window.showInformationMessage(
    `Squash ${squashed.length} migrations of ${app.label}?`,
    {
      modal: true,
      detail: `squashmigrations writes one migration replacing:\n${squashed.map((migration) => `  ${app.label}.${migration.name}`).join('\n')}`,
    },
    'Squash',
  );
  if (answer !== 'Squash') return;
  const watched = watchCreatedFiles(project, [app]);
  const outcome = await runBuiltCommand(
    services.requests,
    project,
    squashmigrationsCommand({
      app: app.label,
      start: start || undefined,
      end,
      squashedName: squashedName || undefined,
      noOptimize: !optimize,
      interactive: false,
    }),
  );
  if (outcome?.exitCode === 0) {
    const created = watched.created();
    // Squashed up to the latest migration, the squash takes its place as the app's latest.
    if (app.leafNodes.length === 1 && app.leafNodes[0] === end) updateMaxMigrationFiles(created, maxMigrationFileEnabled(project.root));
    await openCreatedFiles(created);
    void vscode.window.showInformationMessage(
      'Django Migrations: squashed. Once every database has applied it, delete the replaced migrations and remove `replaces` (the unfinished-squash quick fix).',
    );
  }
}
