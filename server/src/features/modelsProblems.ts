import { DetectedMigration, DetectedOperation } from '../core/autodetector';
import { FixData, Problem } from '../core/problem';
import { FILE_START, SourceRange } from '../core/sourceRange';
import { modelKey } from '../core/state';
import { MigrationProject } from '../project/migrationProject';
import { MissingMigrations } from '../project/missingMigrations';
import { ModelSource } from '../project/modelsResolver';
import { threeStepDataMigration } from './threeStepDataMigration';

/** Which engine found a change: ours reads the files, Django's autodetector runs the project. */
export type DetectionEngine = 'static' | 'django';

const ENGINE_TEXT: Record<DetectionEngine, string> = {
  static: 'read statically',
  django: "found by the project's Django",
};

/**
 * The models diagnostics of one project, by file: each operation `makemigrations APP` would
 * write, on the field, model or Meta option it comes from, with the migration's name; a new
 * non-null field without a default; relations from an app without migrations to one with.
 */
export function modelsProblems(project: MigrationProject, missing: MissingMigrations, trusted: boolean): Map<string, Problem[]> {
  const byFile = new Map<string, Problem[]>();
  const add = (problem: Problem) => {
    const list = byFile.get(problem.file);
    if (list) list.push(problem);
    else byFile.set(problem.file, [problem]);
  };
  const { sources } = missing.reading;
  for (const migration of missing.migrations) {
    for (const operation of migration.operations) {
      const place = placeOf(operation, sources.get(modelKey(operation.app, operation.model)), missing, project, operation.app);
      if (!place) continue;
      add(missingMigration(project, migration, operation, place, trusted, 'static'));
      if (operation.needsDefault && operation.field) {
        const field = sources.get(modelKey(operation.app, operation.model))?.fields.get(operation.field);
        if (field)
          add(nonNullableField(project, operation, field, place, trusted, threeStepDataMigration(project, missing.reading, operation)));
      }
    }
  }
  for (const problem of unmigratedRelations(project, missing)) add(problem);
  for (const note of missing.reading.notes) {
    const code = note.overTimeLimit ? 'parse-time-limit' : 'models-not-readable';
    add({ code, severity: note.overTimeLimit ? 'warning' : 'information', message: note.message, file: note.file, range: note.range });
  }
  return byFile;
}

/** The operation a `describe()` text stands for, as far as placing it in models.py needs. */
function describedOperation(app: string, description: string): DetectedOperation {
  const patterns: [RegExp, string, 'field' | 'model'][] = [
    [/^Add field (\S+) to (\S+)$/, 'AddField', 'field'],
    [/^Remove field (\S+) from (\S+)$/, 'RemoveField', 'field'],
    [/^Alter field (\S+) on (\S+)$/, 'AlterField', 'field'],
    [/^Rename field (\S+) on (\S+) to \S+$/, 'RenameField', 'field'],
    [/^Create (?:proxy )?model (\S+)$/, 'CreateModel', 'model'],
    [/^Delete model (\S+)$/, 'DeleteModel', 'model'],
    [/^Change Meta options on (\S+)$/, 'AlterModelOptions', 'model'],
    [/^Change managers on (\S+)$/, 'AlterModelManagers', 'model'],
    [/^Rename table for (\S+) to .*$/, 'AlterModelTable', 'model'],
    [/^Alter \w+ for (\S+) \(.*$/, 'AlterUniqueTogether', 'model'],
  ];
  for (const [pattern, type, kind] of patterns) {
    const match = pattern.exec(description);
    if (!match) continue;
    return kind === 'field'
      ? { type, description, fragment: '', app, model: match[2], field: match[1] }
      : { type, description, fragment: '', app, model: match[1] };
  }
  return { type: 'Operation', description, fragment: '', app, model: '' };
}

/**
 * What the project's own Django found that the static reading did not (it had unknowns), as
 * missing-migration diagnostics that say so.
 */
export function djangoConfirmedProblems(
  project: MigrationProject,
  missing: MissingMigrations,
  changes: Readonly<Record<string, readonly { readonly name: string; readonly operations: readonly string[] }[]>>,
): Map<string, Problem[]> {
  const byFile = new Map<string, Problem[]>();
  const known = new Set(missing.migrations.flatMap((m) => m.operations.map((o) => `${m.app}\n${o.description}`)));
  for (const [app, written] of Object.entries(changes)) {
    for (const migration of written) {
      const operations = migration.operations.map((description) => describedOperation(app, description));
      const detected: DetectedMigration = { app, name: migration.name, operations };
      for (const operation of operations) {
        if (known.has(`${app}\n${operation.description}`)) continue;
        const source = operation.model ? missing.reading.sources.get(modelKey(app, operation.model)) : undefined;
        const place = placeOf(operation, source, missing, project, app);
        if (!place) continue;
        const problem = missingMigration(project, detected, operation, place, true, 'django');
        const list = byFile.get(place.file);
        if (list) list.push(problem);
        else byFile.set(place.file, [problem]);
      }
    }
  }
  return byFile;
}

/** Whether the static reading left something that only Django can see. */
export function hasUnknowns(missing: MissingMigrations): boolean {
  const { reading } = missing;
  return (
    reading.notes.length > 0 ||
    reading.incompleteApps.size > 0 ||
    [...reading.unknownFields.values()].some((names) => names.size > 0) ||
    [...reading.state.models.values()].some((model) => model.isUnknown || [...model.fields.values()].some((field) => field.unknown))
  );
}

interface Place {
  readonly file: string;
  readonly range: SourceRange;
}

function placeOf(
  operation: DetectedOperation,
  source: ModelSource | undefined,
  missing: MissingMigrations,
  project: MigrationProject,
  app: string,
): Place | undefined {
  if (source) {
    if (operation.field) {
      const field = source.fields.get(operation.field);
      if (field) return { file: field.file, range: field.range };
    }
    if (operation.option) {
      const option = source.options.get(operation.option);
      if (option) return option;
    }
    return { file: source.file, range: source.nameRange };
  }
  // A deleted model has no class left: the app's models module carries the diagnostic.
  const models = [...missing.reading.sources.values()].find((s) => s.app === app);
  if (models) return { file: models.file, range: FILE_START };
  const directory = project.project.apps.find((a) => a.label === app)?.directory;
  return directory ? { file: `${directory}/models.py`, range: FILE_START } : undefined;
}

function migrationFixes(project: MigrationProject, migration: DetectedMigration, operation: DetectedOperation): FixData[] {
  // An `auto_…` name carries the minute it is made at: Django picks it itself then.
  const suffix = migration.name.replace(/^\d+_/, '').replace(/^auto_\d{8}_\d{4}$/, '');
  const base = { projectRoot: project.project.root, app: migration.app, name: suffix };
  const fixes: FixData[] = [
    { fix: 'make-migrations', ...base, mode: 'write' },
    { fix: 'make-migrations', ...base, mode: 'preview' },
  ];
  // The name depends on the answer to Django's question: Django picks it.
  if (operation.renameOf) fixes.push({ fix: 'make-migrations', ...base, name: '', mode: 'rename' });
  return fixes;
}

export function missingMigration(
  project: MigrationProject,
  migration: DetectedMigration,
  operation: DetectedOperation,
  place: Place,
  trusted: boolean,
  engine: DetectionEngine,
): Problem {
  const others = migration.operations.length - 1;
  const rename = operation.renameOf
    ? ` Django will ask whether ${operation.field ? 'field' : 'model'} ${operation.renameOf} was renamed to ${operation.field ?? operation.model}.`
    : '';
  return {
    code: 'missing-migration',
    severity: 'warning',
    message:
      `No migration yet: ${operation.description}, in ${migration.name}` +
      (others > 0 ? ` (with ${others} other operation${others > 1 ? 's' : ''})` : '') +
      `. \`makemigrations ${migration.app}\` would write it (${ENGINE_TEXT[engine]}).${rename}`,
    file: place.file,
    range: place.range,
    ...(trusted ? { fixes: migrationFixes(project, migration, operation) } : {}),
  };
}

function nonNullableField(
  project: MigrationProject,
  operation: DetectedOperation,
  field: NonNullable<ReturnType<ModelSource['fields']['get']>>,
  place: Place,
  trusted: boolean,
  threeSteps: FixData | undefined,
): Problem {
  const fixes: FixData[] = [];
  if (field.argumentsEnd) {
    const separator = field.hasArguments ? ', ' : '';
    fixes.push({
      fix: 'insert-text',
      title: 'Make the field nullable (null=True)',
      at: field.argumentsEnd,
      text: `${separator}null=True`,
      preferred: true,
    });
    fixes.push({ fix: 'insert-text', title: 'Give the field a default', at: field.argumentsEnd, text: `${separator}default=None` });
  }
  if (threeSteps) fixes.push(threeSteps);
  if (trusted) fixes.push({ fix: 'data-migration', projectRoot: project.project.root, app: operation.app });
  return {
    code: 'non-nullable-field-without-default',
    severity: 'warning',
    message:
      `${operation.field} is added to ${operation.model.toLowerCase()}, which already has rows in its migrations, without null=True or a default: ` +
      '`makemigrations` will stop and ask for a one-off default.',
    file: place.file,
    range: place.range,
    fixes,
  };
}

/** Django does not support relations from an app without migrations to an app with migrations. */
function unmigratedRelations(project: MigrationProject, missing: MissingMigrations): Problem[] {
  const problems: Problem[] = [];
  const apps = project.project.apps;
  const migrated = new Set(apps.filter((a) => a.migrationsDirectory !== undefined || a.external).map((a) => a.label));
  const unmigrated = new Set(
    apps.filter((a) => !a.external && a.migrationsDirectory === undefined && a.migrationsModule !== null).map((a) => a.label),
  );
  for (const model of missing.reading.state.models.values()) {
    if (!unmigrated.has(model.appLabel)) continue;
    const source = missing.reading.sources.get(model.key);
    for (const field of model.fields.values()) {
      const to = field.kwargs.get('to') ?? field.args[0];
      let label: string | undefined;
      if (to?.kind === 'str') label = to.value;
      else if (to?.kind === 'name' && to.dotted.startsWith('settings.'))
        label = project.project.swappableSettings.get(to.dotted.slice('settings.'.length));
      const target = label?.split('.')[0];
      if (!target || !migrated.has(target) || target === model.appLabel) continue;
      const place = source?.fields.get(field.name);
      if (!place) continue;
      problems.push({
        code: 'relation-to-migrated-app-from-unmigrated-app',
        severity: 'warning',
        message: `${model.appLabel} has no migrations but ${model.name}.${field.name} points at ${label}, in an app with migrations: Django does not support this. Make migrations for ${model.appLabel}.`,
        file: place.file,
        range: place.range,
      });
    }
  }
  return problems;
}
