import { editsFix, importEdit, nonAtomicEdit, renameCallee } from '../fixEdits';
import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';

/** RemoveIndex on PostgreSQL: DROP INDEX takes an ACCESS EXCLUSIVE lock on the table. */
export const removeIndexNonConcurrent: LintRule = {
  id: 'remove-index-non-concurrent',
  severity: 'warning',
  vendors: ['postgresql'],
  summary: 'RemoveIndex locks the table against reads and writes (and queues behind running queries); RemoveIndexConcurrently does not.',
  check(context, target) {
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'RemoveIndex' || isNewTable(context, site, modelNameOf(site.call))) return [];
      const edits = [
        renameCallee(site.call, 'RemoveIndexConcurrently'),
        nonAtomicEdit(context.migration),
        importEdit(context.migration, 'django.contrib.postgres.operations', 'RemoveIndexConcurrently'),
      ].filter((e) => e !== undefined);
      return [
        siteFinding(
          site,
          `DROP INDEX on the table of '${modelNameOf(site.call) ?? '?'}' (${targetLabel(target)}) takes an ACCESS EXCLUSIVE lock: ` +
            'it waits for every running query on the table, and every new query waits behind it. Use RemoveIndexConcurrently ' +
            'in a migration with atomic = False.',
          [site.nested ? undefined : editsFix('Drop the index concurrently (RemoveIndexConcurrently, atomic = False)', edits, true)],
        ),
      ];
    });
  },
};
