import { editsFix, importEdit, renameCallee } from '../fixEdits';
import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { targetLabel, versionBefore } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { constraintOf } from './constraintCall';

/** AddConstraint(CheckConstraint) on PostgreSQL validates every row under an ACCESS EXCLUSIVE lock. */
export const addCheckConstraint: LintRule = {
  id: 'add-check-constraint',
  severity: 'warning',
  vendors: ['postgresql'],
  summary: 'A check constraint scans the whole table under an ACCESS EXCLUSIVE lock; add it NOT VALID and validate it later.',
  check(context, target) {
    const notValidOperations = context.djangoVersion !== undefined && !versionBefore(context.djangoVersion, [4, 1]);
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'AddConstraint' || constraintOf(site.call)?.className !== 'CheckConstraint') return [];
      if (isNewTable(context, site, modelNameOf(site.call))) return [];
      const edits = [
        renameCallee(site.call, 'AddConstraintNotValid'),
        importEdit(context.migration, 'django.contrib.postgres.operations', 'AddConstraintNotValid'),
      ].filter((e) => e !== undefined);
      return [
        siteFinding(
          site,
          `ADD CONSTRAINT ... CHECK reads every row of the existing table of '${modelNameOf(site.call) ?? '?'}' while holding ` +
            `an ACCESS EXCLUSIVE lock (${targetLabel(target)}): no reads or writes until the scan ends. Add it NOT VALID, ` +
            `then VALIDATE CONSTRAINT in a later migration (SHARE UPDATE EXCLUSIVE: writes go on)` +
            `${notValidOperations ? ': AddConstraintNotValid, then ValidateConstraint' : ' (RunSQL; AddConstraintNotValid and ValidateConstraint from Django 4.1)'}.`,
          [
            site.nested || !notValidOperations
              ? undefined
              : editsFix('Add the constraint NOT VALID (validate it in a later migration)', edits, true),
          ],
        ),
      ];
    });
  },
};
