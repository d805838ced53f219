import { hasColumn, operationField } from '../fieldCall';
import { siteFinding } from '../findings';
import { LintRule, ServerVersion } from '../lintRule';
import { versionBefore } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { constraintOf } from './constraintCall';

/**
 * Operations Django's SQLite schema editor runs by rebuilding the table (create a copy with the
 * new schema, copy the rows, drop the old one, rename): slow on big tables, and the moment
 * foreign keys and triggers are rebuilt. Informational, as Django's docs describe it.
 */
export const sqliteTableRebuild: LintRule = {
  id: 'sqlite-table-rebuild',
  severity: 'information',
  optIn: true,
  vendors: ['sqlite'],
  summary: 'On SQLite Django rebuilds the whole table for this operation (new table, copy, drop, rename).',
  check(context) {
    const django: ServerVersion = context.djangoVersion ?? [3, 2];
    return operationSites(context.migration).flatMap((site) => {
      if (isNewTable(context, site, modelNameOf(site.call))) return [];
      const why = rebuildReason(site.type, site.call, django);
      return why
        ? [
            siteFinding(
              site,
              `SQLite: Django rebuilds the table of '${modelNameOf(site.call) ?? '?'}' for ${why} (a new table with the new ` +
                'schema, every row copied, the old table dropped, the new one renamed): time proportional to its size.',
            ),
          ]
        : [];
    });
  },
};

function rebuildReason(type: string, call: Parameters<typeof operationField>[0], django: ServerVersion): string | undefined {
  switch (type) {
    case 'AlterField':
      return 'AlterField';
    case 'AddField': {
      // Django 3.2's add_field always rebuilds (M2M fields add a table instead); later releases are not linted here.
      const field = operationField(call);
      return field && hasColumn(field) && versionBefore(django, [4, 0]) ? 'AddField' : undefined;
    }
    case 'RemoveField':
      return versionBefore(django, [4, 0]) ? 'RemoveField' : undefined;
    case 'AddConstraint':
    case 'RemoveConstraint': {
      const constraint = type === 'AddConstraint' ? constraintOf(call) : undefined;
      if (type === 'AddConstraint' && !constraint) return undefined;
      // Django 3.2 adds a partial unique constraint as an index; everything else rebuilds.
      const partial = constraint?.className === 'UniqueConstraint' && constraint.call.kwargs.some((k) => k.name === 'condition');
      return partial || !versionBefore(django, [4, 0]) ? undefined : type;
    }
    default:
      return undefined;
  }
}
