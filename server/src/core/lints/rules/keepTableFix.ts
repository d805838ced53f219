import { FixData } from '../../problem';
import { callArgument, PythonValue, stringValue } from '../../pythonValue';
import { editsFix } from '../fixEdits';
import { LintContext, OperationSite, Vendor } from '../lintRule';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Django's `connection.ops.max_name_length()`: a longer `app_model` name is shortened with a hash
 * on that backend, so the real table is not the name the state spells.
 */
const MAX_NAME_LENGTH: Partial<Record<Vendor, number>> = { postgresql: 63, mysql: 64, oracle: 30, sqlite: Infinity };

/**
 * RenameModel -> the rename in the state only, the model pinned to its old table:
 * `SeparateDatabaseAndState(state_operations=[RenameModel(...), AlterModelTable(..., table='old')])`.
 * Only where the state knows the table's name and that no auto-created many-to-many table is
 * named after the model (RenameModel renames those tables' columns too, which db_table does not keep).
 */
export function keepTableFix(context: LintContext, site: OperationSite): FixData | undefined {
  if (site.nested || site.type !== 'RenameModel') return undefined;
  const oldName = stringValue(callArgument(site.call, 0, 'old_name'));
  const newName = stringValue(callArgument(site.call, 1, 'new_name'));
  if (!oldName || !newName || ![oldName, newName].every((n) => IDENTIFIER.test(n))) return undefined;
  if (oldName.toLowerCase() === newName.toLowerCase()) return undefined;
  const app = context.migration.appLabel;
  const table = context.state?.tableNameBefore?.(app, oldName.toLowerCase());
  if (table === undefined || !/^[\w$]+$/.test(table) || context.targets.some((t) => table.length > (MAX_NAME_LENGTH[t.vendor] ?? 0))) {
    return undefined;
  }
  if (context.state?.hasAutoManyToManyBefore?.(app, oldName.toLowerCase()) !== false || manyToManyEarlier(context, site)) return undefined;
  const callee = site.call.callee;
  const module = callee.includes('.') ? callee.slice(0, callee.lastIndexOf('.') + 1) : '';
  const indent = ' '.repeat(site.call.range.start.character);
  const { range } = site.call;
  return editsFix(`Keep the table '${table}': rename in the state only (then add db_table = '${table}' to the model's Meta)`, [
    {
      range: { start: range.start, end: range.start },
      newText: `${module}SeparateDatabaseAndState(\n${indent}    state_operations=[\n${indent}        `,
    },
    {
      range: { start: range.end, end: range.end },
      newText:
        `,\n${indent}        ${module}AlterModelTable(\n${indent}            name='${newName.toLowerCase()}',\n` +
        `${indent}            table='${table}',\n${indent}        ),\n${indent}    ],\n${indent}    database_operations=[],\n${indent})`,
    },
  ]);
}

/** Whether an operation before `site` in this file writes a ManyToManyField (its table is named after models). */
function manyToManyEarlier(context: LintContext, site: OperationSite): boolean {
  const mentions = (value: PythonValue): boolean => {
    if (value.kind === 'call')
      return value.callee.endsWith('ManyToManyField') || [...value.args, ...value.kwargs.map((k) => k.value)].some(mentions);
    if (value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set') return value.items.some(mentions);
    if (value.kind === 'dict') return value.entries.some((entry) => mentions(entry.key) || mentions(entry.value));
    return value.kind === 'opaque';
  };
  return context.migration.parsed.operations.slice(0, site.index).some((operation) => mentions(operation.call));
}
