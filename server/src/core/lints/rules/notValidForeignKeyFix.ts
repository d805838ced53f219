import { FixData } from '../../problem';
import { callArgument, stringValue } from '../../pythonValue';
import { booleanKeyword, FieldCall, fieldKeyword } from '../fieldCall';
import { createIndexName } from '../djangoNames';
import { LintContext, OperationSite } from '../lintRule';
import { modelNameOf } from '../operationSites';
import { addFieldOperation, fieldTextWith, operationsModule, quoted, runSql, separateDatabaseFix, SQL_NAME } from './databaseRewrite';
import { columnOfField, concurrentIndex, concurrentLikeIndex } from './fieldIndexes';

/**
 * AddField(ForeignKey) -> the field as written in the state; in the database the column without
 * its constraint and index (`db_constraint=False, db_index=False`), the index built concurrently,
 * the constraint added NOT VALID and then validated, each committing on its own (`atomic =
 * False`). Names are Django's own, so the schema ends as the plain AddField leaves it. Only for
 * a ForeignKey to a primary key whose table and column the migration state knows, on PostgreSQL.
 */
export function notValidForeignKeyFix(context: LintContext, site: OperationSite, field: FieldCall): FixData | undefined {
  const module = operationsModule(site);
  const model = modelNameOf(site.call);
  const modelName = stringValue(callArgument(site.call, 0, 'model_name'));
  const name = stringValue(callArgument(site.call, 1, 'name'));
  if (!module || !model || !modelName || !name || !SQL_NAME.test(modelName) || !SQL_NAME.test(name)) return undefined;
  if (field.className !== 'ForeignKey' || context.targets.some((target) => target.vendor !== 'postgresql')) return undefined;
  if (fieldKeyword(field, 'to_field') || booleanKeyword(field, 'unique', false) !== false) return undefined;
  const indexed = booleanKeyword(field, 'db_index', true);
  const to = callArgument(field.call, 0, 'to');
  const app = context.migration.appLabel;
  const table = context.state?.tableNameBefore?.(app, model);
  const target = to && context.state?.relationTargetBefore?.(app, model, to);
  const column = columnOfField(field, name);
  if (indexed === undefined || !table || !target || !column || ![table, target.table, target.column].every((n) => SQL_NAME.test(n))) {
    return undefined;
  }
  const like = indexed ? concurrentLikeIndex(module, table, column, target.fieldClass) : [];
  const fieldText = fieldTextWith(context, field, { db_constraint: 'False', db_index: 'False' });
  if (!like || !fieldText) return undefined;
  const constraint = createIndexName(table, [column], `_fk_${target.table}_${target.column}`);
  const alter = `ALTER TABLE ${quoted(table)}`;
  return separateDatabaseFix(context, site, 'Add the foreign key NOT VALID, then validate it (atomic = False)', [
    addFieldOperation(module, modelName, name, fieldText),
    ...(indexed ? [concurrentIndex(module, table, column, createIndexName(table, [column])), ...like] : []),
    runSql(
      module,
      `${alter} ADD CONSTRAINT ${quoted(constraint)} FOREIGN KEY (${quoted(column)}) ` +
        `REFERENCES ${quoted(target.table)} (${quoted(target.column)}) DEFERRABLE INITIALLY DEFERRED NOT VALID`,
      `${alter} DROP CONSTRAINT IF EXISTS ${quoted(constraint)}`,
    ),
    runSql(module, `${alter} VALIDATE CONSTRAINT ${quoted(constraint)}`),
  ]);
}
