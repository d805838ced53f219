import { editsFix, nonAtomicEdit } from '../fixEdits';
import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { operationSites } from '../operationSites';

/** Operations Django refuses inside a transaction (`NotSupportedError`). */
const CONCURRENT = new Set(['AddIndexConcurrently', 'RemoveIndexConcurrently']);

/** AddIndexConcurrently / RemoveIndexConcurrently in an atomic migration fail at migrate time. */
export const concurrentIndexInAtomicMigration: LintRule = {
  id: 'concurrent-index-in-atomic-migration',
  severity: 'error',
  vendors: ['postgresql'],
  summary: 'A concurrent index operation in an atomic migration fails with NotSupportedError.',
  check(context, target) {
    if (!context.migration.parsed.atomic) return [];
    const fix = nonAtomicEdit(context.migration);
    return operationSites(context.migration).flatMap((site) => {
      if (!CONCURRENT.has(site.type)) return [];
      return [
        siteFinding(
          site,
          `${site.type} cannot run inside a transaction (${targetLabel(target)}: CREATE/DROP INDEX CONCURRENTLY), and this ` +
            'migration is atomic: migrate stops with NotSupportedError. Set atomic = False on the migration.',
          [fix ? editsFix('Set atomic = False on the migration', [fix], true) : undefined],
        ),
      ];
    });
  },
};
