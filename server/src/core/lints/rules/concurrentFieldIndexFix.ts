import { FixData } from '../../problem';
import { callArgument, stringValue } from '../../pythonValue';
import { booleanKeyword, FieldCall, hasColumn, isRelation } from '../fieldCall';
import { createIndexName, postgresInlineConstraintName } from '../djangoNames';
import { LintContext, OperationSite } from '../lintRule';
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
import { columnOfField, concurrentIndex, concurrentLikeIndex } from './fieldIndexes';
import { fieldBefore } from './fieldBefore';
import { differsOnlyIn } from './fieldDifference';

/** What the field gains: a unique constraint (`unique=True`) or an index (`db_index=True`). */
export type FieldIndexKind = 'unique' | 'index';

/**
 * AddField / AlterField that gives a column a unique constraint or an index -> the operation as
 * written in the state; in the database the column without them (AddField) and the index built
 * CONCURRENTLY (a unique one then attached as the constraint, `ADD CONSTRAINT ... UNIQUE USING
 * INDEX`), with the `_like` twin Django adds for varchar/text columns, under the names Django
 * gives them, in a migration with `atomic = False`. An AlterField only when it changes nothing
 * else; never for relations (add-foreign-key) or on a backend other than PostgreSQL.
 */
export function concurrentFieldIndexFix(
  context: LintContext,
  site: OperationSite,
  field: FieldCall,
  kind: FieldIndexKind,
): FixData | undefined {
  const module = operationsModule(site);
  const model = modelNameOf(site.call);
  const modelName = stringValue(callArgument(site.call, 0, 'model_name'));
  const name = stringValue(callArgument(site.call, 1, 'name'));
  if (!module || !model || !modelName || !name || !SQL_NAME.test(modelName) || !SQL_NAME.test(name)) return undefined;
  if (context.targets.some((target) => target.vendor !== 'postgresql') || isRelation(field) || !hasColumn(field)) return undefined;
  if (booleanKeyword(field, 'primary_key', false) !== false) return undefined;
  const table = context.state?.tableNameBefore?.(context.migration.appLabel, model);
  const column = columnOfField(field, name);
  if (!table || !SQL_NAME.test(table) || !column) return undefined;
  const like = concurrentLikeIndex(module, table, column, field.className);
  if (!like) return undefined;

  const adding = site.type === 'AddField';
  if (!adding && !(site.type === 'AlterField' && changesOnly(context, site, field, kind === 'unique' ? 'unique' : 'db_index')))
    return undefined;
  let indexes: DatabaseOperation[];
  if (kind === 'unique') {
    // Inline `UNIQUE` on a new column is named by PostgreSQL; AlterField's by Django (`_uniq`).
    const constraint = adding ? postgresInlineConstraintName(table, column, 'key') : createIndexName(table, [column], '_uniq');
    if (!constraint) return undefined;
    const alter = `ALTER TABLE ${quoted(table)}`;
    indexes = [
      concurrentIndex(module, table, column, constraint, { unique: true }),
      runSql(
        module,
        `${alter} ADD CONSTRAINT ${quoted(constraint)} UNIQUE USING INDEX ${quoted(constraint)}`,
        `${alter} DROP CONSTRAINT IF EXISTS ${quoted(constraint)}`,
      ),
      ...like,
    ];
  } else {
    indexes = [concurrentIndex(module, table, column, createIndexName(table, [column])), ...like];
  }
  const fieldText = adding ? fieldTextWith(context, field, { unique: null, db_index: null }) : undefined;
  if (adding && !fieldText) return undefined;
  return separateDatabaseFix(
    context,
    site,
    `Build the ${kind === 'unique' ? 'unique index concurrently, then attach it' : 'index concurrently'} (atomic = False)`,
    [...(adding ? [addFieldOperation(module, modelName, name, fieldText!)] : []), ...indexes],
  );
}

/**
 * Whether an AlterField changes nothing but `keyword` (turned on) against the field it
 * replaces, which had neither a unique constraint nor an index: then the database only gains
 * the index.
 */
function changesOnly(context: LintContext, site: OperationSite, field: FieldCall, keyword: string): boolean {
  const before = fieldBefore(context, site);
  if (!before || booleanKeyword(before, 'unique', false) !== false || booleanKeyword(before, 'db_index', false) !== false) return false;
  return differsOnlyIn(before, field, [keyword]);
}
