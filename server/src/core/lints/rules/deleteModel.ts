import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { stateOnlyFix } from './stateOnlyFix';

/** DeleteModel: the previous release still queries the table. */
export const deleteModel: LintRule = {
  id: 'delete-model',
  severity: 'warning',
  vendors: ['postgresql', 'mysql', 'oracle'],
  summary: 'Dropping a table breaks the previous release, which still queries it.',
  check(context, target) {
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'DeleteModel' || site.nested || isNewTable(context, site, modelNameOf(site.call, 'name'))) return [];
      return [
        siteFinding(
          site,
          `Dropping the table of '${modelNameOf(site.call, 'name') ?? '?'}' (${targetLabel(target)}): the previous release, still ` +
            'serving during the deploy, fails on every query of this model. Remove the model from the state in this release ' +
            '(SeparateDatabaseAndState) and drop the table in a later one.',
          [stateOnlyFix(site, 'Remove from the state only; drop the table in a later release')],
        ),
      ];
    });
  },
};
