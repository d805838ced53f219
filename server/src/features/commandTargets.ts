import { MigrationExecutor } from '../core/executor';
import { LoaderResult } from '../core/loader';
import { Migration, migrationKey, splitMigrationKey } from '../core/migration';
import { callArgument, lastNamePart, stringValue } from '../core/pythonValue';
import { MigrationProject } from '../project/migrationProject';
import { CommandApp, CommandMigration, CommandProject, CommandTargets } from '../../../protocol/index';

/**
 * What the commands offer to pick from, read from the index without running Python: projects,
 * their apps, each app's migrations (name order, applied state as last read) and models.
 */
export function commandTargets(projects: readonly MigrationProject[]): CommandTargets {
  return { projects: projects.map(commandProject) };
}

function commandProject(project: MigrationProject): CommandProject {
  const { loaded } = project.analyse();
  const byApp = new Map<string, Migration[]>();
  for (const migration of loaded.diskMigrations.values()) {
    const list = byApp.get(migration.appLabel);
    if (list) list.push(migration);
    else byApp.set(migration.appLabel, [migration]);
  }
  const apps: CommandApp[] = project.project.apps.map((app) => {
    const migrations = (byApp.get(app.label) ?? []).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return {
      label: app.label,
      external: app.external,
      ...(app.directory ? { directory: app.directory } : {}),
      ...(app.migrationsDirectory ? { migrationsDirectory: app.migrationsDirectory } : {}),
      models: appModels(app.label, loaded),
      leafNodes: loaded.graph.leafNodes(app.label).map((key) => splitMigrationKey(key)[1]),
      migrations: migrations.map((migration): CommandMigration => {
        const key = migrationKey(migration.appLabel, migration.name);
        const parents: string[] = [];
        for (const { resolution } of loaded.dependencies.get(key) ?? []) {
          if (resolution.status !== 'edge') continue;
          const [parentApp, parentName] = splitMigrationKey(resolution.key);
          if (parentApp === migration.appLabel && !parents.includes(parentName)) parents.push(parentName);
        }
        return {
          name: migration.name,
          file: migration.path,
          applied: loaded.appliedMigrations.has(key),
          parents,
          replaces: migration.parsed.replaces.filter((entry) => entry.app === migration.appLabel).map((entry) => entry.name),
        };
      }),
    };
  });
  return {
    root: project.project.root,
    ...(project.project.managePy ? { managePy: project.project.managePy } : {}),
    ...(project.project.settingsModule ? { settingsModule: project.project.settingsModule } : {}),
    apps,
  };
}

/** The models an app's migrations leave: CreateModel, less DeleteModel, following RenameModel. */
function appModels(app: string, loaded: LoaderResult): string[] {
  const migrations = loaded.diskMigrations;
  const order = new MigrationExecutor(loaded)
    .migrationPlan(loaded.graph.leafNodes(app), { cleanStart: true })
    .map((step) => step.key)
    .filter((key) => splitMigrationKey(key)[0] === app);
  // Django compares model names case-insensitively; keep the spelling of the latest CreateModel.
  const models = new Map<string, string>();
  for (const key of order) {
    for (const operation of migrations.get(key)?.parsed.operations ?? []) {
      const type = lastNamePart(operation.type);
      const first = stringValue(callArgument(operation.call, 0, type === 'RenameModel' ? 'old_name' : 'name'));
      if (!first) continue;
      if (type === 'CreateModel') models.set(first.toLowerCase(), first);
      else if (type === 'DeleteModel') models.delete(first.toLowerCase());
      else if (type === 'RenameModel') {
        const renamed = stringValue(callArgument(operation.call, 1, 'new_name'));
        models.delete(first.toLowerCase());
        if (renamed) models.set(renamed.toLowerCase(), renamed);
      }
    }
  }
  return [...models.values()].sort();
}
