import { FixData } from '../../problem';
import { stringValue } from '../../pythonValue';
import { fieldCallOf, fieldKeyword, hasColumn, isReadable, isRelation } from '../fieldCall';
import { editsFix, FixEdit, nonAtomicEdit } from '../fixEdits';
import { LintContext, OperationSite } from '../lintRule';
import { modelNameOf } from '../operationSites';
import { constraintOf } from './constraintCall';

/** PostgreSQL's identifier limit (NAMEDATALEN - 1): Django shortens longer names it makes up. */
const MAX_NAME_LENGTH = 63;
const NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * AddConstraint(UniqueConstraint(fields=[...], name=...)) -> the constraint in the state, and in
 * the database its index built CONCURRENTLY then attached (`ADD CONSTRAINT ... UNIQUE USING
 * INDEX`), in a migration with `atomic = False`. Only for a constraint of plain fields and a
 * name (a condition, expressions or other options make an index Django builds differently), on
 * fields and a table whose database names the migration state knows.
 */
export function concurrentUniqueFix(context: LintContext, site: OperationSite): FixData | undefined {
  if (site.nested || site.type !== 'AddConstraint') return undefined;
  const constraint = constraintOf(site.call);
  const model = modelNameOf(site.call);
  if (!constraint || constraint.className !== 'UniqueConstraint' || model === undefined || constraint.call.args.length > 0)
    return undefined;
  if (constraint.call.kwargs.some((k) => k.name !== 'fields' && k.name !== 'name')) return undefined;
  const name = stringValue(constraint.call.kwargs.find((k) => k.name === 'name')?.value);
  const fields = constraint.call.kwargs.find((k) => k.name === 'fields')?.value;
  if (!name || !NAME.test(name) || name.length > MAX_NAME_LENGTH) return undefined;
  if ((fields?.kind !== 'list' && fields?.kind !== 'tuple') || fields.items.length === 0) return undefined;
  const app = context.migration.appLabel;
  const table = context.state?.tableNameBefore?.(app, model);
  if (!table || !NAME.test(table) || table.length > MAX_NAME_LENGTH) return undefined;
  const columns: string[] = [];
  for (const item of fields.items) {
    const column = item.kind === 'str' ? columnOf(context, app, model, item.value) : undefined;
    if (!column) return undefined;
    columns.push(`"${column}"`);
  }
  const atomic = nonAtomicEdit(context.migration);
  if (context.migration.parsed.atomic && !atomic) return undefined;
  const callee = site.call.callee;
  const module = callee.includes('.') ? callee.slice(0, callee.lastIndexOf('.') + 1) : '';
  const indent = ' '.repeat(site.call.range.start.character);
  const runSql = (forwards: string, backwards: string) =>
    `${indent}        ${module}RunSQL(\n${indent}            '${forwards}',\n${indent}            '${backwards}',\n${indent}        ),\n`;
  const { range } = site.call;
  const edits: FixEdit[] = [
    {
      range: { start: range.start, end: range.start },
      newText: `${module}SeparateDatabaseAndState(\n${indent}    state_operations=[\n${indent}        `,
    },
    {
      range: { start: range.end, end: range.end },
      newText:
        `,\n${indent}    ],\n${indent}    database_operations=[\n` +
        runSql(`CREATE UNIQUE INDEX CONCURRENTLY "${name}" ON "${table}" (${columns.join(', ')})`, `DROP INDEX IF EXISTS "${name}"`) +
        runSql(
          `ALTER TABLE "${table}" ADD CONSTRAINT "${name}" UNIQUE USING INDEX "${name}"`,
          `ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`,
        ) +
        `${indent}    ],\n${indent})`,
    },
  ];
  return editsFix('Build the unique index concurrently, then attach it (RunSQL, atomic = False)', atomic ? [atomic, ...edits] : edits);
}

/** The column of a field as the state holds it before this migration: its db_column, a relation's `<name>_id`, or its name. */
function columnOf(context: LintContext, app: string, model: string, name: string): string | undefined {
  const field = fieldCallOf(context.state?.fieldBefore?.(app, model, name));
  if (!field || !isReadable(field) || !hasColumn(field)) return undefined;
  const dbColumn = fieldKeyword(field, 'db_column');
  if (dbColumn !== undefined) return dbColumn.kind === 'str' && NAME.test(dbColumn.value) ? dbColumn.value : undefined;
  return isRelation(field) ? `${name}_id` : name;
}
