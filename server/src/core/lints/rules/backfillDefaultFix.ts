import { FixData } from '../../problem';
import { callArgument, lastNamePart, PythonValue, stringValue } from '../../pythonValue';
import { booleanKeyword, FieldCall, fieldKeyword } from '../fieldCall';
import { FixEdit, rangeText } from '../fixEdits';
import { LintContext, OperationSite } from '../lintRule';
import { versionBefore } from '../lintTarget';
import { modelNameOf } from '../operationSites';
import {
  addFieldOperation,
  DatabaseOperation,
  fieldTextWith,
  operationsModule,
  quoted,
  runSql,
  separateDatabaseFix,
  SQL_NAME,
} from './databaseRewrite';
import { columnOfField } from './fieldIndexes';
import { notNullSteps } from './notNullCheckFix';

/** The SQL of the volatile database defaults the rule knows (`db_default=RandomUUID()`). */
const VOLATILE_SQL: Readonly<Record<string, string>> = { RandomUUID: 'gen_random_uuid()', Random: 'random()' };

/** Rows the backfill writes per statement. */
const BATCH = 1000;

/**
 * AddField with a default that would rewrite the table -> the operation as written in the
 * state; in the database the column added nullable without a default (no rewrite on any
 * version), then the default set for new rows (`SET DEFAULT` never touches existing ones), the
 * existing rows backfilled with it in batches that each commit (`atomic = False`), then NOT NULL
 * (through a validated check from PostgreSQL 12) and, for Django's `default=` which the database
 * does not keep, the default dropped again. Only for a literal default or a volatile function the
 * rule knows, on PostgreSQL.
 */
export function backfillDefaultFix(context: LintContext, site: OperationSite, field: FieldCall): FixData | undefined {
  const module = operationsModule(site);
  const model = modelNameOf(site.call);
  const modelName = stringValue(callArgument(site.call, 0, 'model_name'));
  const name = stringValue(callArgument(site.call, 1, 'name'));
  const source = context.source;
  const classRange = context.migration.parsed.classRange;
  if (!module || !model || !modelName || !name || source === undefined || !classRange || site.type !== 'AddField') return undefined;
  if (!SQL_NAME.test(modelName) || !SQL_NAME.test(name) || context.targets.some((t) => t.vendor !== 'postgresql')) return undefined;
  const dbDefault = fieldKeyword(field, 'db_default');
  const pythonDefault = fieldKeyword(field, 'default');
  const kept = dbDefault !== undefined;
  const value = dbDefault ?? pythonDefault;
  const defaultSql = value && defaultExpression(value, source);
  const nullable = booleanKeyword(field, 'null', false);
  const table = context.state?.tableNameBefore?.(context.migration.appLabel, model);
  const column = columnOfField(field, name);
  if (!defaultSql || nullable === undefined || !table || !SQL_NAME.test(table) || !column) return undefined;
  const fieldText = fieldTextWith(context, field, { default: null, db_default: null, null: 'True' });
  const functionName = `backfill_${model}_${name}`;
  // Any mention of the name in the file (a function, an import, a variable) keeps the fix out: no shadowing.
  if (!fieldText || source.includes(functionName)) return undefined;

  const alter = `ALTER TABLE ${quoted(table)}`;
  const throughCheck = context.targets.every((t) => t.version !== undefined && !versionBefore(t.version, [12, 0]));
  const operations: DatabaseOperation[] = [
    addFieldOperation(module, modelName, name, fieldText),
    runSql(module, `${alter} ALTER COLUMN ${quoted(column)} SET DEFAULT ${defaultSql.sql}`, undefined, defaultSql.params),
    () => `${module}RunPython(${functionName}, ${module}RunPython.noop)`,
    ...(nullable ? [] : notNullSteps(module, table, column, throughCheck)),
    ...(kept ? [] : [runSql(module, `${alter} ALTER COLUMN ${quoted(column)} DROP DEFAULT`)]),
  ];
  const at = { line: classRange.start.line, character: 0 };
  const backfill: FixEdit = { range: { start: at, end: at }, newText: backfillFunction(functionName, table, column) };
  return separateDatabaseFix(
    context,
    site,
    'Add the column without the rewrite, then backfill it in batches (atomic = False)',
    operations,
    [backfill],
  );
}

/** The default as SQL: a volatile function's call, or `%s` with the literal as its parameter. */
function defaultExpression(value: PythonValue, source: string): { sql: string; params?: string } | undefined {
  if (value.kind === 'call' && value.args.length === 0 && value.kwargs.length === 0) {
    const sql = VOLATILE_SQL[lastNamePart(value.callee)];
    return sql === undefined ? undefined : { sql };
  }
  const literal = value.kind === 'number' || value.kind === 'str' || (value.kind === 'constant' && value.value !== null);
  return literal ? { sql: '%s', params: rangeText(source, value.range) } : undefined;
}

/** A RunPython function that fills the column's NULLs with its default, a batch per statement. */
function backfillFunction(name: string, table: string, column: string): string {
  return (
    `def ${name}(apps, schema_editor):\n` +
    `    # Batches of ${BATCH} rows, each committed on its own (atomic = False): no row stays locked for long.\n` +
    '    with schema_editor.connection.cursor() as cursor:\n' +
    '        while True:\n' +
    '            cursor.execute(\n' +
    `                'UPDATE ${quoted(table)} SET ${quoted(column)} = DEFAULT WHERE ctid IN '\n` +
    `                '(SELECT ctid FROM ${quoted(table)} WHERE ${quoted(column)} IS NULL LIMIT ${BATCH})'\n` +
    '            )\n' +
    '            if cursor.rowcount == 0:\n' +
    '                break\n\n\n'
  );
}
