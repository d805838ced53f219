import { migrationKey } from '../core/migration';
import { CodeLensSource } from './codeLenses';
import { migrationCommandTarget } from './migrationCommandTarget';

/**
 * "Unapply" on an applied migration, "Migrate to Here" on the others (as last read from the
 * database). Both run `manage.py migrate` after showing the plan; trusted workspaces only.
 */
export const migrateCodeLenses: CodeLensSource = (context, project, file) => {
  if (!context.options.trusted) return [];
  const lensTarget = migrationCommandTarget(project, file);
  if (!lensTarget) return [];
  const { migration, range, target } = lensTarget;
  const applied = project.analyse().loaded.appliedMigrations.has(migrationKey(migration.appLabel, migration.name));
  return [
    applied
      ? { range, command: { title: 'Unapply', command: 'djangoMigrations.unapplyMigration', arguments: [target] } }
      : { range, command: { title: 'Migrate to Here', command: 'djangoMigrations.migrateToMigration', arguments: [target] } },
  ];
};
