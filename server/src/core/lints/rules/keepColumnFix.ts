import { FixData } from '../../problem';
import { callArgument, PythonCall, PythonValue, stringValue } from '../../pythonValue';
import { fieldCallOf, hasColumn, isReadable, isRelation } from '../fieldCall';
import { callText, editsFix, FixEdit, importEdit, lastArgumentEnd, rangeText } from '../fixEdits';
import { LintContext, OperationSite } from '../lintRule';
import { modelNameOf } from '../operationSites';
import { fieldBeforeInFile } from './fieldBefore';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * RenameField -> the rename in the state only, the field pinned to its old column:
 * `SeparateDatabaseAndState(state_operations=[RenameField(...), AlterField(..., db_column='old')])`.
 * The field is copied from the call that last wrote it; when that call or its text is not known
 * exactly (or it names something this file does not import), there is no fix.
 */
export function keepColumnFix(context: LintContext, site: OperationSite): FixData | undefined {
  if (site.nested || context.source === undefined) return undefined;
  const modelName = stringValue(callArgument(site.call, 0, 'model_name'));
  const oldName = stringValue(callArgument(site.call, 1, 'old_name'));
  const newName = stringValue(callArgument(site.call, 2, 'new_name'));
  const model = modelNameOf(site.call);
  if (!modelName || !oldName || !newName || !model || ![modelName, oldName, newName].every((n) => IDENTIFIER.test(n))) return undefined;
  if (touchedLater(context, site, model, newName)) return undefined;
  const definition = fieldDefinition(context, site, model, oldName);
  const field = fieldCallOf(definition?.call);
  if (!definition || !field || !isReadable(field) || !hasColumn(field)) return undefined;
  // A relation's column is its attname: `author` is stored in `author_id`.
  const column = isRelation(field) ? `${oldName}_id` : oldName;
  const fieldText = withKeyword(definition.text, definition.call, `db_column='${column}'`);
  if (fieldText === undefined) return undefined;
  const callee = site.call.callee;
  const module = callee.includes('.') ? callee.slice(0, callee.lastIndexOf('.') + 1) : '';
  const indent = ' '.repeat(site.call.range.start.character);
  const { range } = site.call;
  return editsFix(`Keep the column '${column}': rename in the state only (then add db_column='${column}' to the model's field)`, [
    ...definition.imports,
    {
      range: { start: range.start, end: range.start },
      newText: `${module}SeparateDatabaseAndState(\n${indent}    state_operations=[\n${indent}        `,
    },
    {
      range: { start: range.end, end: range.end },
      newText:
        `,\n${indent}        ${module}AlterField(\n${indent}            model_name='${modelName}',\n` +
        `${indent}            name='${newName}',\n${indent}            field=${fieldText},\n${indent}        ),\n` +
        `${indent}    ],\n${indent}    database_operations=[],\n${indent})`,
    },
  ]);
}

const FIELD_OPERATIONS = new Set(['AddField', 'AlterField', 'RemoveField', 'RenameField']);

/**
 * Whether a later operation of this file writes the renamed field again: its field, without the
 * db_column, would move the column after all.
 */
function touchedLater(context: LintContext, site: OperationSite, model: string, name: string): boolean {
  return context.migration.parsed.operations.slice(site.index + 1).some(({ type, call }) => {
    if (!FIELD_OPERATIONS.has(type) || modelNameOf(call) !== model) return false;
    const field = stringValue(callArgument(call, 1, type === 'RenameField' ? 'old_name' : 'name'));
    return field === undefined || field === name;
  });
}

/** The field's last definition and its source text: earlier in this file, else from the migration state. */
function fieldDefinition(
  context: LintContext,
  site: OperationSite,
  model: string,
  name: string,
): { call: PythonCall; text: string; imports: readonly FixEdit[] } | undefined {
  const inFile = fieldBeforeInFile(context, site, 'old_name');
  if (inFile) {
    const text = callText(context.source!, inFile);
    return text === undefined ? undefined : { call: inFile, text, imports: [] };
  }
  const app = context.migration.appLabel;
  const call = context.state?.fieldBefore?.(app, model, name);
  const text = context.state?.fieldSourceBefore?.(app, model, name);
  const imports = call && importsFor(context, call);
  if (!call || text === undefined || !imports) return undefined;
  return { call, text, imports };
}

/** `keyword` added as the last argument of the call whose source text is `text`. */
function withKeyword(text: string, call: PythonCall, keyword: string): string | undefined {
  const end = lastArgumentEnd(call);
  if (!end) return `${text.slice(0, -1)}${keyword})`;
  const offset = rangeText(text, { start: relative(call, call.range.start), end: relative(call, end) }).length;
  return `${text.slice(0, offset)}, ${keyword}${text.slice(offset)}`;
}

/** A position of the call's file as a position in the call's own text. */
function relative(call: PythonCall, position: { line: number; character: number }): { line: number; character: number } {
  const start = call.range.start;
  return position.line === start.line
    ? { line: 0, character: position.character - start.character }
    : { line: position.line - start.line, character: position.character };
}

/** Names that a copied field call may use though this file does not import them, and where they come from. */
const KNOWN_IMPORTS: Readonly<Record<string, readonly [module: string, name: string]>> = {
  models: ['django.db', 'models'],
  settings: ['django.conf', 'settings'],
};

/**
 * The imports this file needs for the dotted names the call uses (a field copied from another
 * migration): `models`, `settings`, `django.x.y.NAME`. Undefined when a name comes from
 * anywhere else this file does not import.
 */
function importsFor(context: LintContext, call: PythonCall): FixEdit[] | undefined {
  const bound = new Set<string>();
  for (const entry of context.migration.parsed.imports) {
    if (entry.names.length === 0) bound.add(entry.module.split('.')[0]);
    else (entry.boundNames ?? entry.names).forEach((name) => bound.add(name));
  }
  const dotted: string[] = [];
  let readable = true;
  const visit = (value: PythonValue): void => {
    if (value.kind === 'name') dotted.push(value.dotted);
    if (value.kind === 'call') {
      dotted.push(value.callee);
      [...value.args, ...value.kwargs.map((k) => k.value)].forEach(visit);
    }
    if (value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set') value.items.forEach(visit);
    if (value.kind === 'dict') value.entries.forEach((entry) => (visit(entry.key), visit(entry.value)));
    if (value.kind === 'opaque') readable = false;
  };
  visit(call);
  if (!readable) return undefined;
  const edits = new Map<string, FixEdit | undefined>();
  for (const name of dotted) {
    const root = name.split('.')[0];
    if (bound.has(root) || name === 'None' || name === 'True' || name === 'False') continue;
    const known = KNOWN_IMPORTS[root];
    if (known) edits.set(root, importEdit(context.migration, known[0], known[1]));
    else if (root === 'django' && name.includes('.')) {
      const module = name.slice(0, name.lastIndexOf('.'));
      edits.set(module, moduleImportEdit(context, module));
    } else return undefined;
  }
  return [...edits.values()].filter((edit): edit is FixEdit => edit !== undefined);
}

/** `import MODULE` after the last import (as makemigrations writes `import django.db.models.deletion`). */
function moduleImportEdit(context: LintContext, module: string): FixEdit {
  const imports = context.migration.parsed.imports;
  const line = imports.length > 0 ? imports[imports.length - 1].range.end.line + 1 : 0;
  const position = { line, character: 0 };
  return { range: { start: position, end: position }, newText: `import ${module}\n` };
}
