import { migrationKey } from '../core/migration';
import { ServerContext } from '../serverContext';
import { uriToPath } from './fileUri';

/** The database aliases on which the migration in the file at `uri` is recorded as applied. */
export function appliedAliases(context: ServerContext, uri: string): string[] {
  const file = uriToPath(uri);
  if (!file) return [];
  const project = context.projects().find((candidate) => candidate.migrationAt(file));
  const migration = project?.migrationAt(file);
  if (!project || !migration) return [];
  const key = migrationKey(migration.appLabel, migration.name);
  return context.workspace.databases
    .views(project)
    .filter((view) => view.applied()?.recorded.has(key))
    .map((view) => view.alias);
}
