import { booleanKeyword, isRelation, operationField } from '../fieldCall';
import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { notValidForeignKeyFix } from './notValidForeignKeyFix';

/** A foreign key added to an existing table: PostgreSQL validates it against every row. */
export const addForeignKey: LintRule = {
  id: 'add-foreign-key',
  severity: 'warning',
  vendors: ['postgresql'],
  summary: 'A new foreign key scans the table while writes to both tables wait; add it NOT VALID and validate it later.',
  check(context, target) {
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'AddField') return [];
      const field = operationField(site.call);
      if (!field || !isRelation(field) || booleanKeyword(field, 'db_constraint', true) !== true) return [];
      if (isNewTable(context, site, modelNameOf(site.call))) return [];
      return [
        siteFinding(
          site,
          `ADD CONSTRAINT ... FOREIGN KEY checks every row of the existing table of '${modelNameOf(site.call) ?? '?'}' ` +
            `while holding SHARE ROW EXCLUSIVE locks on it and on the referenced table (${targetLabel(target)}): writes to both ` +
            'wait until the scan ends. Add the field with db_constraint=False, then the constraint with RunSQL ... NOT VALID, ' +
            'and VALIDATE CONSTRAINT in a transaction of its own (atomic = False, or a later migration).',
          [notValidForeignKeyFix(context, site, field)],
        ),
      ];
    });
  },
};
