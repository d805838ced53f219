import { Location, Position } from 'vscode-languageserver/node';
import { migrationKey } from '../core/migration';
import { FILE_START } from '../core/sourceRange';
import { MigrationProject } from '../project/migrationProject';
import { cursorTarget } from './cursorTarget';
import { pathToUri } from './fileUri';
import { fieldTarget, historyLocations, historyOf, modelTarget } from './modelHistory';
import { migrationDestination } from './navigationTargets';

/**
 * Find references of a migration: every `dependencies`, `run_before` and `replaces` entry that
 * names it. The cursor may be anywhere in the file, or on an entry naming another migration.
 */
export function references(project: MigrationProject, file: string, position: Position, includeDeclaration: boolean): Location[] {
  const current = project.migrationAt(file);
  if (!current) return [];
  const target = cursorTarget(current, position);
  // A model or field: every operation that created, renamed, altered or deleted it.
  const historyTarget =
    target?.kind === 'model' ? modelTarget(project, current, target.reference, target.app, position) : fieldTarget(current, position);
  if (historyTarget) return historyLocations(historyOf(project, current, historyTarget));
  let migration = current;
  if (target?.kind === 'migration') {
    const destination = migrationDestination(project, target);
    if (destination.kind !== 'migration') return [];
    migration = destination.migration;
  }
  const key = migrationKey(migration.appLabel, migration.name);
  const { loaded } = project.analyse();
  const locations: Location[] = [];
  if (includeDeclaration) locations.push({ uri: pathToUri(migration.path), range: migration.parsed.classNameRange ?? FILE_START });
  for (const [dependent, resolved] of loaded.dependencies) {
    const source = loaded.diskMigrations.get(dependent)!;
    for (const { resolution, entry } of resolved) {
      if ((resolution.status === 'edge' || resolution.status === 'missing') && resolution.key === key && dependent !== key) {
        locations.push({ uri: pathToUri(source.path), range: entry.range });
      }
    }
  }
  for (const squash of loaded.replacements.values()) {
    for (const entry of squash.parsed.replaces) {
      if (migrationKey(entry.app, entry.name) === key) locations.push({ uri: pathToUri(squash.path), range: entry.range });
    }
  }
  return locations;
}
