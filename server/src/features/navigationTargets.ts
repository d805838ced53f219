import { Migration, migrationKey } from '../core/migration';
import { operationSemantics } from '../core/operations/index';
import { ModelReference } from '../core/operations/operation';
import { MigrationProject } from '../project/migrationProject';
import { CursorTarget } from './cursorTarget';

/** Where a migration reference leads: a file, an app we cannot see, or nowhere. */
export type MigrationDestination =
  | { readonly kind: 'migration'; readonly migration: Migration }
  | { readonly kind: 'external'; readonly app: string; readonly name: string }
  | { readonly kind: 'missing'; readonly app: string; readonly name: string };

export function migrationDestination(
  project: MigrationProject,
  target: Extract<CursorTarget, { kind: 'migration' }>,
): MigrationDestination {
  const app = typeof target.app === 'string' ? target.app : swappableApp(project, target.app.setting);
  if (!app) return { kind: 'external', app: String(target.app), name: target.name };
  const { loaded } = project.analyse();
  let name = target.name;
  if (name === '__first__' || name === '__latest__') {
    const [key] = name === '__first__' ? loaded.graph.rootNodes(app) : loaded.graph.leafNodes(app);
    if (key) name = key.slice(app.length + 1);
  }
  const migration = loaded.diskMigrations.get(migrationKey(app, name));
  if (migration) return { kind: 'migration', migration };
  const known = project.project.apps.some((a) => a.label === app);
  return known ? { kind: 'missing', app, name } : { kind: 'external', app, name };
}

function swappableApp(project: MigrationProject, setting: string): string | undefined {
  return project.project.swappableSettings.get(setting)?.split('.', 1)[0];
}

/** The CreateModel operations that define a referenced model (Django compares names case-insensitively). */
export function modelDefinitions(
  project: MigrationProject,
  reference: ModelReference,
  currentApp: string,
): { migration: Migration; reference: ModelReference }[] {
  let app = reference.app ?? currentApp;
  let model = reference.model;
  if (reference.setting) {
    const value = project.project.swappableSettings.get(reference.setting);
    if (!value) return [];
    [app, model] = [value.split('.', 1)[0], value.slice(value.indexOf('.') + 1)];
  }
  const wanted = model.toLowerCase();
  const found: { migration: Migration; reference: ModelReference }[] = [];
  for (const migration of project.analyse().loaded.diskMigrations.values()) {
    if (migration.appLabel !== app) continue;
    for (const operation of migration.parsed.operations) {
      if (operation.type !== 'CreateModel') continue;
      const defined = operationSemantics('CreateModel')
        .references(operation.call)
        .find((r) => r.defines);
      if (defined && defined.model.toLowerCase() === wanted) found.push({ migration, reference: defined });
    }
  }
  return found;
}
