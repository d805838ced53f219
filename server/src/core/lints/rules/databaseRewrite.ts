import { FixData } from '../../problem';
import { PythonValue } from '../../pythonValue';
import { FieldCall } from '../fieldCall';
import { callText, editsFix, FixEdit, nonAtomicEdit, rangeText } from '../fixEdits';
import { LintContext, OperationSite } from '../lintRule';

/** A database operation of a rewrite: its text, given the indentation of its first line. */
export type DatabaseOperation = (indent: string) => string;

/** Names safe to write unescaped inside `'"name"'` of a Python string of SQL. */
export const SQL_NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** `"name"`, as Django's `quote_name` writes it on PostgreSQL. */
export const quoted = (name: string): string => `"${name}"`;

/** The module operations are called through in this file (`migrations.`); undefined for a bare name. */
export function operationsModule(site: OperationSite): string | undefined {
  const callee = site.call.callee;
  return callee.includes('.') ? callee.slice(0, callee.lastIndexOf('.') + 1) : undefined;
}

/**
 * `RunSQL(forwards, backwards)`; `RunSQL.noop` when nothing undoes it. `params` (Python source)
 * passes the statement with its parameters, as `[(sql, [params])]`.
 */
export function runSql(module: string, forwards: string, backwards?: string, params?: string): DatabaseOperation {
  const sql = params === undefined ? `'${forwards}'` : `[('${forwards}', [${params}])]`;
  const reverse = backwards === undefined ? `${module}RunSQL.noop` : `'${backwards}'`;
  return (indent) => `${module}RunSQL(\n${indent}    ${sql},\n${indent}    ${reverse},\n${indent})`;
}

/**
 * The top-level operation kept in the state as written, and the database given `operations`
 * instead: `SeparateDatabaseAndState(state_operations=[<op>], database_operations=[...])`, in a
 * migration with `atomic = False` so each statement commits (and releases its locks) on its
 * own. Undefined for a nested operation or a file whose Migration class cannot take `atomic`.
 */
export function separateDatabaseFix(
  context: LintContext,
  site: OperationSite,
  title: string,
  operations: readonly DatabaseOperation[],
  otherEdits: readonly FixEdit[] = [],
): FixData | undefined {
  const module = operationsModule(site);
  if (site.nested || module === undefined) return undefined;
  const atomic = nonAtomicEdit(context.migration);
  if (context.migration.parsed.atomic && !atomic) return undefined;
  const indent = ' '.repeat(site.call.range.start.character);
  const inner = `${indent}        `;
  const source = context.source;
  const written = source === undefined ? undefined : callText(source, site.call);
  if (source === undefined || written === undefined) return undefined;
  // The operation moves two levels in and its own lines follow it, unless a string spans them.
  const moved = /'''|"""/.test(written) ? written : written.replace(/\n(?=[^\r\n])/g, '\n        ');
  const text =
    `${module}SeparateDatabaseAndState(\n${indent}    state_operations=[\n${inner}${moved},\n` +
    `${indent}    ],\n${indent}    database_operations=[\n` +
    operations.map((operation) => `${inner}${operation(inner)},\n`).join('') +
    `${indent}    ],\n${indent})`;
  // The file's own line endings.
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = (edit: FixEdit): FixEdit => ({ ...edit, newText: edit.newText.replace(/\r?\n/g, eol) });
  return editsFix(title, [...(atomic ? [atomic] : []), ...otherEdits, { range: site.call.range, newText: text }].map(lines));
}

/**
 * The field call's text with keywords replaced (a Python source value), removed (`null`) or
 * added at the end, on one line; undefined when the file's text is not what the parse saw.
 */
export function fieldTextWith(
  context: LintContext,
  field: FieldCall,
  changes: Readonly<Record<string, string | null>>,
): string | undefined {
  const source = context.source;
  if (source === undefined || callText(source, field.call) === undefined) return undefined;
  const text = (value: PythonValue) => rangeText(source, value.range);
  const parts = field.call.args.map(text);
  for (const keyword of field.call.kwargs) {
    if (!(keyword.name in changes)) parts.push(`${keyword.name}=${text(keyword.value)}`);
    else if (changes[keyword.name] !== null) parts.push(`${keyword.name}=${changes[keyword.name]}`);
  }
  for (const [name, value] of Object.entries(changes)) {
    if (value !== null && !field.call.kwargs.some((k) => k.name === name)) parts.push(`${name}=${value}`);
  }
  if (parts.some((part) => part.includes('\n'))) return undefined;
  return `${field.call.callee}(${parts.join(', ')})`;
}

/** `AddField(model_name=..., name=..., field=...)` as makemigrations lays it out, with a field of our own. */
export function addFieldOperation(module: string, modelName: string, name: string, fieldText: string): DatabaseOperation {
  return (indent) =>
    `${module}AddField(\n${indent}    model_name='${modelName}',\n${indent}    name='${name}',\n${indent}    field=${fieldText},\n${indent})`;
}
