import { lastNamePart } from '../../pythonValue';
import { fieldKeyword, hasColumn, operationField } from '../fieldCall';
import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { targetLabel, versionBefore } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { backfillDefaultFix } from './backfillDefaultFix';

/** Database functions PostgreSQL marks VOLATILE: a default calling them is computed row by row. */
const VOLATILE = new Set(['RandomUUID', 'Random']);

/**
 * AddField with a default on PostgreSQL: before 11 any default rewrites the table; from 11 on
 * only a volatile database default (`db_default=RandomUUID()`) does. Django's `default=` is
 * computed once in Python, so it is a constant to PostgreSQL.
 */
export const addFieldDefaultRewrite: LintRule = {
  id: 'add-field-default-rewrite',
  severity: 'warning',
  vendors: ['postgresql'],
  summary: 'A column added with a default rewrites the whole table (any default before PostgreSQL 11, a volatile one after).',
  check(context, target) {
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'AddField') return [];
      const field = operationField(site.call);
      if (!field || !hasColumn(field) || isNewTable(context, site, modelNameOf(site.call))) return [];
      const dbDefault = fieldKeyword(field, 'db_default');
      const pythonDefault = fieldKeyword(field, 'default');
      const hasDefault =
        dbDefault !== undefined || (pythonDefault !== undefined && !(pythonDefault.kind === 'constant' && pythonDefault.value === null));
      const volatile = dbDefault?.kind === 'call' && VOLATILE.has(lastNamePart(dbDefault.callee));
      const before11 = target.version !== undefined && versionBefore(target.version, [11, 0]);
      if (!(before11 && hasDefault) && !volatile) return [];
      const why = volatile
        ? `the volatile database default ${lastNamePart((dbDefault as { callee: string }).callee)}() is computed for every existing row`
        : 'before PostgreSQL 11 a column added with a default is written into every existing row';
      return [
        siteFinding(
          site,
          `Adding this column rewrites the whole table of '${modelNameOf(site.call)}' under an ACCESS EXCLUSIVE lock ` +
            `(${targetLabel(target)}): ${why}, for a time proportional to its size. Add it with null=True and no default, ` +
            'then backfill in batches.',
          [backfillDefaultFix(context, site, field)],
        ),
      ];
    });
  },
};
