import { editsFix, addKeyword } from '../fixEdits';
import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { hasColumn, isNullable, operationField, fieldKeyword } from '../fieldCall';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { targetLabel, versionBefore } from '../lintTarget';

/**
 * AddField of a NOT NULL column to an existing table. Django gives the column a DEFAULT only
 * to fill the existing rows and drops it in the same migration, so the previous release, still
 * serving requests during the deploy, fails on every INSERT that does not name the column.
 */
export const addFieldNotNull: LintRule = {
  id: 'add-field-not-null',
  severity: 'warning',
  vendors: ['postgresql', 'mysql', 'oracle'],
  summary: 'A NOT NULL column without a database default breaks the code still running during the deploy.',
  check(context, target) {
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'AddField') return [];
      const field = operationField(site.call);
      if (!field || !hasColumn(field) || isNullable(field) !== false) return [];
      if (fieldKeyword(field, 'db_default') || fieldKeyword(field, 'primary_key')) return [];
      // The database computes a generated column for old and new rows alike: no INSERT has to name it.
      if (field.className === 'GeneratedField') return [];
      if (isNewTable(context, site, modelNameOf(site.call))) return [];
      const model = modelNameOf(site.call);
      const defaultValue = field.call.kwargs.find((k) => k.name === 'default');
      const canUseDbDefault = context.djangoVersion !== undefined && !versionBefore(context.djangoVersion, [5, 0]);
      const nullable = addKeyword(field.call, 'null=True');
      return [
        siteFinding(
          site,
          `NOT NULL column on the existing table of '${model}' without a database default (${targetLabel(target)}): ` +
            `Django fills the existing rows with a DEFAULT and drops it again, so the previous release, still serving ` +
            `during the deploy, fails with a NOT NULL violation on every INSERT into this table. Add it with null=True, ` +
            `backfill, and make it NOT NULL in a later release${canUseDbDefault ? ', or give it a db_default' : ''}.`,
          [
            nullable ? editsFix('Add the field with null=True (make it NOT NULL in a later release)', [nullable], true) : undefined,
            canUseDbDefault && defaultValue
              ? editsFix('Use db_default so the database fills the column', [{ range: defaultValue.nameRange, newText: 'db_default' }])
              : undefined,
          ],
        ),
      ];
    });
  },
};
