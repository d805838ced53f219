import { callArgument } from '../../pythonValue';
import { siteFinding } from '../findings';
import { booleanKeyword, operationField } from '../fieldCall';
import { LintContext, LintRule, OperationSite } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { concurrentFieldIndexFix } from './concurrentFieldIndexFix';
import { concurrentUniqueTogetherFix, togetherGroups } from './concurrentUniqueTogetherFix';
import { concurrentUniqueFix } from './concurrentUniqueFix';
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
        (site.type === 'AlterUniqueTogether' && addsUniqueTogether(context, site));
      const model = modelNameOf(site.call, site.type === 'AlterUniqueTogether' ? 'name' : 'model_name');
      if (!unique || isNewTable(context, site, model)) return [];
      return [
        siteFinding(
          site,
          `The unique index behind this constraint is built on the existing table of '${model ?? '?'}' while writes wait ` +
            `(${targetLabel(target)}). Build it first with CREATE UNIQUE INDEX CONCURRENTLY (RunSQL in a migration with ` +
            "atomic = False), then attach it with ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX, keeping Django's " +
            'state with SeparateDatabaseAndState.',
          [concurrentUniqueFix(context, site), uniqueFieldFix(context, site), concurrentUniqueTogetherFix(context, site)],
        ),
      ];
    });
  },
};

/** The concurrent rewrite of an AddField / AlterField that makes the column unique. */
function uniqueFieldFix(context: LintContext, site: OperationSite) {
  const field = site.type === 'AddField' || site.type === 'AlterField' ? operationField(site.call) : undefined;
  return field && concurrentFieldIndexFix(context, site, field, 'unique');
}

/** AddField with `unique=True`, or AlterField that turns it on (where the previous field is known). */
function makesFieldUnique(context: LintContext, site: OperationSite): boolean {
  if (site.type !== 'AddField' && site.type !== 'AlterField') return false;
  const field = operationField(site.call);
  if (!field || booleanKeyword(field, 'unique', false) !== true || booleanKeyword(field, 'primary_key', false) !== false) return false;
  if (site.type === 'AddField') return true;
  const before = fieldBefore(context, site);
  return before !== undefined && booleanKeyword(before, 'unique', false) === false;
}

/** AlterUniqueTogether with groups, unless the state knows it adds none (a restated or shrunk set builds nothing). */
function addsUniqueTogether(context: LintContext, site: OperationSite): boolean {
  const value = callArgument(site.call, 1, 'unique_together');
  if (!((value?.kind === 'set' || value?.kind === 'list' || value?.kind === 'tuple') && value.items.length > 0)) return false;
  const model = modelNameOf(site.call, 'name');
  const groups = togetherGroups(value);
  const before = model === undefined ? undefined : context.state?.uniqueTogetherBefore?.(context.migration.appLabel, model);
  if (!groups || !before) return true;
  const existing = new Set(before.map((group) => JSON.stringify(group)));
  return groups.some((group) => !existing.has(JSON.stringify(group)));
}
