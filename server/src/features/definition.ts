import { Location, Position } from 'vscode-languageserver/node';
import { FILE_START } from '../core/sourceRange';
import { MigrationProject } from '../project/migrationProject';
import { cursorTarget } from './cursorTarget';
import { pathToUri } from './fileUri';
import { ModelsReading } from '../project/modelsResolver';
import { fieldTarget, historyOf, modelTarget } from './modelHistory';
import { modelDeclaration } from './modelNavigation';
import { migrationDestination, modelDefinitions } from './navigationTargets';

/**
 * Go to definition: from a `dependencies` / `replaces` / `run_before` entry to the migration
 * file, from a model reference (or a field name) to its class (or field) in the models module,
 * else to the CreateModel that defines the model.
 */
export function definition(project: MigrationProject, file: string, position: Position, models?: ModelsReading): Location[] {
  const migration = project.migrationAt(file);
  if (!migration) return [];
  const target = cursorTarget(migration, position);
  if (!target) {
    const field = fieldTarget(migration, position);
    const declared = field && modelDeclaration(models, field, historyOf(project, migration, field));
    return declared ? [declared] : [];
  }
  if (target.kind === 'migration') {
    const destination = migrationDestination(project, target);
    if (destination.kind !== 'migration') return [];
    return [{ uri: pathToUri(destination.migration.path), range: destination.migration.parsed.classNameRange ?? FILE_START }];
  }
  const historyTarget = modelTarget(project, migration, target.reference, target.app, position);
  const history = historyTarget ? historyOf(project, migration, historyTarget) : [];
  const declared = historyTarget && modelDeclaration(models, historyTarget, history);
  if (declared) return [declared];
  const definitions = modelDefinitions(project, target.reference, target.app).map(({ migration: m, reference }) => ({
    uri: pathToUri(m.path),
    range: reference.range,
  }));
  if (definitions.length > 0) return definitions;
  // A model known under another name before a RenameModel: its CreateModel, through the renames.
  const created = history.find((entry) => entry.kind === 'created');
  return created ? [{ uri: pathToUri(created.migration.path), range: created.call.range }] : [];
}
