import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { keepTableFix } from './keepTableFix';

/** RenameModel and AlterModelTable rename the table under the previous release's feet. */
export const renameModel: LintRule = {
  id: 'rename-model',
  severity: 'warning',
  vendors: ['postgresql', 'mysql', 'oracle'],
  summary: 'Renaming a table breaks the previous release, which still uses the old name.',
  check(context, target) {
    return operationSites(context.migration).flatMap((site) => {
      if ((site.type !== 'RenameModel' && site.type !== 'AlterModelTable') || site.nested) return [];
      const model = site.type === 'RenameModel' ? modelNameOf(site.call, 'old_name') : modelNameOf(site.call, 'name');
      if (isNewTable(context, site, model)) return [];
      return [
        siteFinding(
          site,
          `Renaming the table of '${model ?? '?'}' (${targetLabel(target)}) unless it sets db_table: the previous release, ` +
            'still serving during the deploy, queries the old table name and fails. Keep the table (db_table with its current ' +
            'name, the rename in the state only through SeparateDatabaseAndState).',
          [keepTableFix(context, site)],
        ),
      ];
    });
  },
};
