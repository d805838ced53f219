import { LintRule } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { operationSites } from '../operationSites';

/** Operations that run no DDL: data, or Python-side options only. */
const NO_DDL = new Set(['RunPython', 'AlterModelOptions', 'AlterModelManagers']);

/** More than one schema change in a migration where DDL is not transactional. */
export const mysqlMultipleSchemaChanges: LintRule = {
  id: 'mysql-multiple-schema-changes',
  severity: 'warning',
  vendors: ['mysql', 'oracle'],
  summary: 'Without transactional DDL, a failure after the first schema change leaves the migration half applied.',
  check(context, target) {
    const schema = operationSites(context.migration).filter((site) => !NO_DDL.has(site.type));
    const range = context.migration.parsed.classNameRange;
    if (schema.length < 2 || !range) return [];
    return [
      {
        range,
        message:
          `${schema.length} schema changes in one migration (${targetLabel(target)}): DDL is not transactional there, so if ` +
          'one fails the earlier ones stay applied and Django does not record the migration; you must undo them by hand ' +
          'before migrating again. One schema change per migration.',
      },
    ];
  },
};
