import { FixData } from '../../problem';
import { callArgument, stringValue } from '../../pythonValue';
import { FieldCall, fieldKeyword, hasColumn } from '../fieldCall';
import { rangeText } from '../fixEdits';
import { createIndexName, postgresInlineConstraintName } from '../djangoNames';
import { LintContext, OperationSite } from '../lintRule';
import { versionBefore } from '../lintTarget';
import { modelNameOf } from '../operationSites';
import { DatabaseOperation, operationsModule, quoted, runSql, separateDatabaseFix, SQL_NAME } from './databaseRewrite';
import { fieldBefore } from './fieldBefore';
import { differsOnlyIn } from './fieldDifference';
import { columnOfField } from './fieldIndexes';

/**
 * AlterField that only makes a nullable column NOT NULL -> the operation as written in the
 * state; in the database the NULL rows backfilled with the field's default, a
 * `CHECK (column IS NOT NULL) NOT VALID` (no scan), its VALIDATE (a scan that lets writes go on),
 * then SET NOT NULL, which PostgreSQL 12+ proves from the validated check without a scan, and the
 * check dropped again: each statement commits on its own (`atomic = False`). Only where every
 * database is PostgreSQL 12 or later and the default, if any, is a literal.
 */
export function notNullCheckFix(context: LintContext, site: OperationSite, field: FieldCall): FixData | undefined {
  const module = operationsModule(site);
  const model = modelNameOf(site.call);
  const name = stringValue(callArgument(site.call, 1, 'name'));
  const source = context.source;
  if (!module || !model || !name || source === undefined || site.type !== 'AlterField' || !hasColumn(field)) return undefined;
  if (context.targets.some((t) => t.vendor !== 'postgresql' || t.version === undefined || versionBefore(t.version, [12, 0])))
    return undefined;
  const before = fieldBefore(context, site);
  if (!before || !differsOnlyIn(before, field, ['null', 'default'])) return undefined;
  const table = context.state?.tableNameBefore?.(context.migration.appLabel, model);
  const column = columnOfField(field, name);
  if (!table || !SQL_NAME.test(table) || !column) return undefined;
  const value = fieldKeyword(field, 'default');
  const literal = value?.kind === 'number' || value?.kind === 'str' || (value?.kind === 'constant' && value.value !== null);
  if (value !== undefined && !literal) return undefined;
  return separateDatabaseFix(context, site, 'Make it NOT NULL through a validated CHECK constraint (atomic = False)', [
    ...(value && literal
      ? [
          runSql(
            module,
            `UPDATE ${quoted(table)} SET ${quoted(column)} = %s WHERE ${quoted(column)} IS NULL`,
            undefined,
            rangeText(source, value.range),
          ),
        ]
      : []),
    ...notNullSteps(module, table, column, true),
  ]);
}

/**
 * SET NOT NULL on a column with no NULL left: from PostgreSQL 12 (`throughCheck`) after a
 * `CHECK (column IS NOT NULL) NOT VALID` validated beside the traffic, so that SET NOT NULL
 * needs no scan, the check dropped afterwards; before 12 SET NOT NULL alone (a scan, no rewrite).
 */
export function notNullSteps(module: string, table: string, column: string, throughCheck: boolean): DatabaseOperation[] {
  const alter = `ALTER TABLE ${quoted(table)}`;
  const setNotNull = runSql(
    module,
    `${alter} ALTER COLUMN ${quoted(column)} SET NOT NULL`,
    `${alter} ALTER COLUMN ${quoted(column)} DROP NOT NULL`,
  );
  if (!throughCheck) return [setNotNull];
  const check = postgresInlineConstraintName(table, column, 'not_null') ?? createIndexName(table, [column], '_not_null');
  return [
    runSql(
      module,
      `${alter} ADD CONSTRAINT ${quoted(check)} CHECK (${quoted(column)} IS NOT NULL) NOT VALID`,
      `${alter} DROP CONSTRAINT IF EXISTS ${quoted(check)}`,
    ),
    runSql(module, `${alter} VALIDATE CONSTRAINT ${quoted(check)}`),
    setNotNull,
    runSql(module, `${alter} DROP CONSTRAINT ${quoted(check)}`),
  ];
}
