import { normalizeTogether } from '../../operations/stateArguments';
import { FixData } from '../../problem';
import { callArgument, PythonValue, stringValue } from '../../pythonValue';
import { fieldCallOf, hasColumn, isReadable } from '../fieldCall';
import { createIndexName } from '../djangoNames';
import { LintContext, OperationSite } from '../lintRule';
import { modelNameOf } from '../operationSites';
import { DatabaseOperation, operationsModule, quoted, runSql, separateDatabaseFix, SQL_NAME } from './databaseRewrite';
import { columnOfField, concurrentIndex } from './fieldIndexes';

/**
 * AlterUniqueTogether that only adds groups -> the operation as written in the state; in the
 * database each new group's unique index built CONCURRENTLY and attached as the constraint
 * (`ADD CONSTRAINT ... UNIQUE USING INDEX`) under the name Django gives it (`..._uniq`), in a
 * migration with `atomic = False`. Only where the state knows the previous groups, the table and
 * every column, on PostgreSQL.
 */
export function concurrentUniqueTogetherFix(context: LintContext, site: OperationSite): FixData | undefined {
  const module = operationsModule(site);
  const model = modelNameOf(site.call, 'name');
  const value = callArgument(site.call, 1, 'unique_together');
  if (!module || !model || !value || site.type !== 'AlterUniqueTogether') return undefined;
  if (context.targets.some((target) => target.vendor !== 'postgresql')) return undefined;
  const app = context.migration.appLabel;
  const groups = togetherGroups(value);
  const before = context.state?.uniqueTogetherBefore?.(app, model);
  const table = context.state?.tableNameBefore?.(app, model);
  if (!groups || !before || !table || !SQL_NAME.test(table)) return undefined;
  const key = (group: readonly string[]) => JSON.stringify(group);
  const kept = new Set(groups.map(key));
  // Removing a group drops its constraint (a brief lock, no build): a change this fix does not write.
  if (before.some((group) => !kept.has(key(group)))) return undefined;
  const existing = new Set(before.map(key));
  const operations: DatabaseOperation[] = [];
  for (const group of groups.filter((g) => !existing.has(key(g)))) {
    const columns: string[] = [];
    for (const name of group) {
      const field = fieldCallOf(context.state?.fieldBefore?.(app, model, name));
      const column = field && isReadable(field) && hasColumn(field) ? columnOfField(field, name) : undefined;
      if (!column) return undefined;
      columns.push(column);
    }
    const constraint = createIndexName(table, columns, '_uniq');
    const alter = `ALTER TABLE ${quoted(table)}`;
    operations.push(
      concurrentIndex(module, table, columns, constraint, { unique: true }),
      runSql(
        module,
        `${alter} ADD CONSTRAINT ${quoted(constraint)} UNIQUE USING INDEX ${quoted(constraint)}`,
        `${alter} DROP CONSTRAINT IF EXISTS ${quoted(constraint)}`,
      ),
    );
  }
  if (operations.length === 0) return undefined;
  return separateDatabaseFix(context, site, 'Build the unique indexes concurrently, then attach them (atomic = False)', operations);
}

/** The groups of field names of a `unique_together` value, as Django normalizes it; undefined when one is not plain names. */
export function togetherGroups(value: PythonValue): string[][] | undefined {
  const normalized = normalizeTogether(value);
  if (normalized.kind === 'constant' && normalized.value === null) return [];
  if (normalized.kind !== 'set' && normalized.kind !== 'list' && normalized.kind !== 'tuple') return undefined;
  const groups: string[][] = [];
  for (const group of normalized.items) {
    const names = group.kind === 'tuple' ? group.items.map(stringValue) : [];
    if (names.length === 0 || names.some((name) => name === undefined)) return undefined;
    groups.push(names as string[]);
  }
  return groups;
}
