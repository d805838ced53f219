import { Problem } from '../problem';
import { MigrationCheck } from './check';

/**
 * A data migration that imports models directly gets today's model classes, not the historical
 * ones its RunPython runs against; Django's docs ask for `apps.get_model()` instead.
 */
export const modelImportInDataMigration: MigrationCheck = (migration) => {
  const problems: Problem[] = [];
  if (migration.parsed.operations.some((operation) => operation.type === 'RunPython')) {
    for (const entry of migration.parsed.imports) {
      if (!isModelsModule(entry.module)) continue;
      const model = entry.names.find((name) => name !== '*') ?? 'Model';
      const app = entry.module.split('.').filter(Boolean).slice(-2, -1)[0] ?? migration.appLabel;
      problems.push({
        code: 'model-import-in-data-migration',
        severity: 'warning',
        message:
          `This data migration imports models from ${entry.module}: they are today's models, not the historical ` +
          `ones this migration runs against. Use apps.get_model('${app}', '${model}') inside the RunPython function.`,
        file: migration.path,
        range: entry.range,
      });
    }
  }
  return problems;
};

/** `shop.models`, `..models`, `shop.models.order`; Django's own field module is fine. */
function isModelsModule(module: string): boolean {
  if (module === 'django.db.models' || module.startsWith('django.db.models.')) return false;
  const parts = module.split('.');
  return parts.includes('models');
}
