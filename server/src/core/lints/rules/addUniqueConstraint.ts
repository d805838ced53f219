import { callArgument } from '../../pythonValue';
import { siteFinding } from '../findings';
import { booleanKeyword, operationField } from '../fieldCall';
import { LintContext, LintRule, OperationSite } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { constraintOf } from './constraintCall';
import { fieldBefore } from './fieldBefore';

/** A unique constraint built on an existing table, without CONCURRENTLY. */
export const addUniqueConstraint: LintRule = {
  id: 'add-unique-constraint',
  severity: 'warning',
  vendors: ['postgresql'],
  summary: 'A unique constraint builds its index while the table is locked against writes.',
  check(context, target) {
    return operationSites(context.migration).flatMap((site) => {
      const unique =
        makesFieldUnique(context, site) ||
        (site.type === 'AddConstraint' && constraintOf(site.call)?.className === 'UniqueConstraint') ||
        (site.type === 'AlterUniqueTogether' && isNonEmpty(callArgument(site.call, 1, 'unique_together')));
      const model = modelNameOf(site.call, site.type === 'AlterUniqueTogether' ? 'name' : 'model_name');
      if (!unique || isNewTable(context, site, model)) return [];
      return [
        siteFinding(
          site,
          `The unique index behind this constraint is built on the existing table of '${model ?? '?'}' while writes wait ` +
            `(${targetLabel(target)}). Build it first with CREATE UNIQUE INDEX CONCURRENTLY (RunSQL in a migration with ` +
            "atomic = False), then attach it with ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX, keeping Django's " +
            'state with SeparateDatabaseAndState.',
        ),
      ];
    });
  },
};

/** AddField with `unique=True`, or AlterField that turns it on (where the previous field is known). */
function makesFieldUnique(context: LintContext, site: OperationSite): boolean {
  if (site.type !== 'AddField' && site.type !== 'AlterField') return false;
  const field = operationField(site.call);
  if (!field || booleanKeyword(field, 'unique', false) !== true || booleanKeyword(field, 'primary_key', false) !== false) return false;
  if (site.type === 'AddField') return true;
  const before = fieldBefore(context, site);
  return before !== undefined && booleanKeyword(before, 'unique', false) === false;
}

function isNonEmpty(value: ReturnType<typeof callArgument>): boolean {
  return (value?.kind === 'set' || value?.kind === 'list' || value?.kind === 'tuple') && value.items.length > 0;
}
