import { migrationKey } from '../core/migration';
import { MigrationCommandArguments } from '../protocol';
import { CodeLensSource } from './codeLenses';

/**
 * "Unapply" on an applied migration, "Migrate to Here" on the others (as last read from the
 * database). Both run `manage.py migrate` after showing the plan; trusted workspaces only.
 */
export const migrateCodeLenses: CodeLensSource = (context, project, file) => {
  if (!context.options.trusted) return [];
  const migration = project.migrationAt(file);
  const classRange = migration?.parsed.classRange;
  if (!migration || !classRange) return [];
  const range = { start: { line: classRange.start.line, character: 0 }, end: { line: classRange.start.line, character: 0 } };
  const target: MigrationCommandArguments = { projectRoot: project.project.root, app: migration.appLabel, name: migration.name, file };
  const applied = project.analyse().loaded.appliedMigrations.has(migrationKey(migration.appLabel, migration.name));
  return [
    applied
      ? { range, command: { title: 'Unapply', command: 'djangoMigrations.unapplyMigration', arguments: [target] } }
      : { range, command: { title: 'Migrate to Here', command: 'djangoMigrations.migrateToMigration', arguments: [target] } },
  ];
};
