import { fieldKeyword, FieldCall, isRelation } from '../fieldCall';
import { createIndexName } from '../djangoNames';
import { DatabaseOperation, quoted, runSql, SQL_NAME } from './databaseRewrite';

/** Field classes whose PostgreSQL column is `varchar` or `text`: Django gives their indexes a `_like` twin. */
const PATTERN_OPERATOR_CLASSES: Readonly<Record<string, string>> = {
  CharField: 'varchar_pattern_ops',
  EmailField: 'varchar_pattern_ops',
  SlugField: 'varchar_pattern_ops',
  URLField: 'varchar_pattern_ops',
  FileField: 'varchar_pattern_ops',
  ImageField: 'varchar_pattern_ops',
  FilePathField: 'varchar_pattern_ops',
  TextField: 'text_pattern_ops',
};

/** Django's field classes whose column is neither `varchar` nor `text`: no `_like` index. */
const OTHER_COLUMN_CLASSES = new Set([
  'AutoField',
  'BigAutoField',
  'SmallAutoField',
  'IntegerField',
  'BigIntegerField',
  'SmallIntegerField',
  'PositiveIntegerField',
  'PositiveBigIntegerField',
  'PositiveSmallIntegerField',
  'BooleanField',
  'NullBooleanField',
  'DateField',
  'DateTimeField',
  'TimeField',
  'DurationField',
  'DecimalField',
  'FloatField',
  'UUIDField',
  'GenericIPAddressField',
  'IPAddressField',
  'JSONField',
  'BinaryField',
]);

/**
 * The operator class of the `_like` index PostgreSQL's schema editor adds beside a `varchar` or
 * `text` column's index (`_create_like_index_sql`); null when the column type has none; undefined
 * for a class whose column type is not known here (a custom field).
 */
export function likeOperatorClass(fieldClass: string): string | null | undefined {
  if (fieldClass in PATTERN_OPERATOR_CLASSES) return PATTERN_OPERATOR_CLASSES[fieldClass];
  return OTHER_COLUMN_CLASSES.has(fieldClass) ? null : undefined;
}

/** A field's column: its `db_column`, a relation's `<name>_id`, or its name; undefined when not a plain name. */
export function columnOfField(field: FieldCall, name: string): string | undefined {
  const dbColumn = fieldKeyword(field, 'db_column');
  const column = dbColumn === undefined ? (isRelation(field) ? `${name}_id` : name) : dbColumn.kind === 'str' ? dbColumn.value : undefined;
  return column !== undefined && SQL_NAME.test(column) ? column : undefined;
}

/** `CREATE [UNIQUE] INDEX CONCURRENTLY name ON table (columns [opclass])`, dropped concurrently when unapplied. */
export function concurrentIndex(
  module: string,
  table: string,
  columns: string | readonly string[],
  name: string,
  options: { unique?: boolean; opclass?: string } = {},
): DatabaseOperation {
  const list = (typeof columns === 'string' ? [columns] : columns).map(
    (column) => `${quoted(column)}${options.opclass ? ` ${options.opclass}` : ''}`,
  );
  return runSql(
    module,
    `CREATE ${options.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${quoted(name)} ON ${quoted(table)} (${list.join(', ')})`,
    `DROP INDEX CONCURRENTLY IF EXISTS ${quoted(name)}`,
  );
}

/**
 * The `_like` index Django adds for a `varchar`/`text` column it indexes, built concurrently,
 * under Django's own name; none for other columns; undefined when the column type is unknown.
 */
export function concurrentLikeIndex(module: string, table: string, column: string, fieldClass: string): DatabaseOperation[] | undefined {
  const opclass = likeOperatorClass(fieldClass);
  if (opclass === undefined) return undefined;
  return opclass === null ? [] : [concurrentIndex(module, table, column, createIndexName(table, [column], '_like'), { opclass })];
}
