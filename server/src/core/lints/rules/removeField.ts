import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { stateOnlyFix } from './stateOnlyFix';

/** RemoveField: the previous release still selects the column. */
export const removeField: LintRule = {
  id: 'remove-field',
  severity: 'warning',
  vendors: ['postgresql', 'mysql', 'oracle'],
  summary: 'Dropping a column breaks the previous release, which still selects it, until every server runs the new code.',
  check(context, target) {
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'RemoveField' || site.nested || isNewTable(context, site, modelNameOf(site.call))) return [];
      return [
        siteFinding(
          site,
          `Dropping a column of '${modelNameOf(site.call) ?? '?'}' (${targetLabel(target)}): the previous release, still serving ` +
            'during the deploy, names the column in every query of this model and fails until it is replaced. Remove the field ' +
            'from the state in this release (SeparateDatabaseAndState; make the column nullable first if it is NOT NULL) and drop ' +
            'the column in a later one.',
          [stateOnlyFix(site, 'Remove from the state only; drop the column in a later release')],
        ),
      ];
    });
  },
};
