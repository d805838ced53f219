import { callArgument, stringValue } from '../../pythonValue';
import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { fieldKeyword } from '../fieldCall';
import { fieldBefore } from './fieldBefore';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { keepColumnFix } from './keepColumnFix';

/** RenameField renames the column under the previous release's feet. */
export const renameField: LintRule = {
  id: 'rename-field',
  severity: 'warning',
  vendors: ['postgresql', 'mysql', 'oracle'],
  summary: 'Renaming a column breaks the previous release, which still uses the old name.',
  check(context, target) {
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'RenameField' || site.nested || isNewTable(context, site, modelNameOf(site.call))) return [];
      // A field with its own db_column keeps its column: the rename is the state's only.
      const before = fieldBefore(context, site, 'old_name');
      if (before && fieldKeyword(before, 'db_column')?.kind === 'str') return [];
      const oldName = stringValue(callArgument(site.call, 1, 'old_name')) ?? '?';
      return [
        siteFinding(
          site,
          `Renaming the column '${oldName}' (${targetLabel(target)}): the previous release, still serving during the deploy, ` +
            `queries '${oldName}' and fails. Keep the column: rename in the state only (SeparateDatabaseAndState) with ` +
            `db_column='${oldName}' on the field, or add the new column, backfill, and drop the old one in a later release.`,
          [keepColumnFix(context, site)],
        ),
      ];
    });
  },
};
