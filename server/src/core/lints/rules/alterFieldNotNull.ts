import { fieldKeyword, hasColumn, isNullable, operationField } from '../fieldCall';
import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { fieldBefore } from './fieldBefore';
import { notNullCheckFix } from './notNullCheckFix';

/** AlterField that makes a nullable column NOT NULL. */
export const alterFieldNotNull: LintRule = {
  id: 'alter-field-not-null',
  severity: 'warning',
  vendors: ['postgresql', 'mysql', 'oracle'],
  summary: 'Making a column NOT NULL scans the table under an exclusive lock and breaks code that still writes NULL.',
  check(context, target) {
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'AlterField') return [];
      const field = operationField(site.call);
      const before = fieldBefore(context, site);
      if (!field || !before || !hasColumn(field) || isNewTable(context, site, modelNameOf(site.call))) return [];
      if (isNullable(before) !== true || isNullable(field) !== false || fieldKeyword(field, 'db_default')) return [];
      const lock =
        target.vendor === 'postgresql'
          ? 'SET NOT NULL reads every row while holding an ACCESS EXCLUSIVE lock (no reads or writes meanwhile)'
          : 'every existing row is checked, and the change fails on any row that is still NULL';
      return [
        siteFinding(
          site,
          `Column made NOT NULL on an existing table (${targetLabel(target)}): ${lock}, and the previous release, ` +
            'still running during the deploy, fails on the rows it writes without a value. Backfill first; on PostgreSQL 12+ ' +
            'add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL without a scan.',
          [notNullCheckFix(context, site, field)],
        ),
      ];
    });
  },
};
