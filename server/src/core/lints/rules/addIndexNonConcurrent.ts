import { editsFix, importEdit, nonAtomicEdit, renameCallee } from '../fixEdits';
import { siteFinding } from '../findings';
import { booleanKeyword, isRelation, operationField } from '../fieldCall';
import { LintRule } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { concurrentFieldIndexFix } from './concurrentFieldIndexFix';
import { fieldBefore } from './fieldBefore';

const POSTGRES_OPERATIONS = 'django.contrib.postgres.operations';

/** AddIndex on PostgreSQL: CREATE INDEX holds a SHARE lock, so writes wait for the whole build. */
export const addIndexNonConcurrent: LintRule = {
  id: 'add-index-non-concurrent',
  severity: 'warning',
  vendors: ['postgresql'],
  summary: 'AddIndex blocks every write to the table while the index is built; AddIndexConcurrently does not.',
  check(context, target) {
    const fix = (site: Parameters<typeof siteFinding>[0]) => {
      const edits = [
        renameCallee(site.call, 'AddIndexConcurrently'),
        nonAtomicEdit(context.migration),
        importEdit(context.migration, POSTGRES_OPERATIONS, 'AddIndexConcurrently'),
      ];
      return editsFix(
        'Build the index concurrently (AddIndexConcurrently, atomic = False)',
        edits.filter((e) => e !== undefined),
        true,
      );
    };
    return operationSites(context.migration).flatMap((site) => {
      if (isNewTable(context, site, modelNameOf(site.call))) return [];
      if (site.type === 'AddField' || site.type === 'AlterField') {
        // `db_index=True` on a new column, or turned on: Django runs CREATE INDEX (foreign keys: add-foreign-key).
        const field = operationField(site.call);
        if (!field || isRelation(field) || booleanKeyword(field, 'db_index', false) !== true) return [];
        if (booleanKeyword(field, 'unique', false) !== false) return [];
        if (site.type === 'AlterField') {
          const before = fieldBefore(context, site);
          if (!before || booleanKeyword(before, 'db_index', false) !== false || booleanKeyword(before, 'unique', false) !== false)
            return [];
        }
        return [
          siteFinding(
            site,
            `CREATE INDEX for db_index=True on the existing table of '${modelNameOf(site.call) ?? '?'}' (${targetLabel(target)}) ` +
              'holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE waits. Build the index with CREATE INDEX ' +
              'CONCURRENTLY in a migration with atomic = False, keeping the field as written in the state (SeparateDatabaseAndState).',
            [concurrentFieldIndexFix(context, site, field, 'index')],
          ),
        ];
      }
      if (site.type !== 'AddIndex') return [];
      const others =
        context.migration.parsed.operations.length > 1
          ? ' (atomic = False then applies to every operation of this migration: better alone in its own migration)'
          : '';
      return [
        siteFinding(
          site,
          `CREATE INDEX on the existing table of '${modelNameOf(site.call) ?? '?'}' (${targetLabel(target)}) holds a SHARE lock ` +
            'for the whole build: every INSERT, UPDATE and DELETE waits until it ends. Use AddIndexConcurrently in a migration ' +
            `with atomic = False${others}.`,
          [site.nested ? undefined : fix(site)],
        ),
      ];
    });
  },
};
