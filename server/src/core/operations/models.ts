import { callArgument, PythonCall, PythonValue, stringValue } from '../pythonValue';
import { fieldReferences, modelReference } from './fieldReferences';
import { expressionText } from './expressions';
import { ModelReference, OperationSemantics } from './operation';

/** Model operations, as in django/db/migrations/operations/models.py. */

export const text = (call: PythonCall, position: number, keyword: string): string => displayText(callArgument(call, position, keyword));

/** How Django's `%s` prints an argument we read; unreadable values show their source. */
export function displayText(value: PythonValue | undefined): string {
  if (!value) return 'None';
  if (value.kind === 'str') return value.value;
  if (value.kind === 'constant') return value.value === null ? 'None' : value.value ? 'True' : 'False';
  if (value.kind === 'number') return value.text;
  if (value.kind === 'name') return value.dotted;
  if (value.kind === 'opaque') return value.text;
  return value.kind;
}

/** The model an operation acts on, from its `name` or `model_name` argument. */
export function namedModel(call: PythonCall, keyword: 'name' | 'model_name', defines = false): ModelReference[] {
  const value = callArgument(call, 0, keyword);
  if (value?.kind !== 'str') return [];
  return [{ model: value.value, range: value.range, defines }];
}

export const onModel = (describe: (call: PythonCall) => string): OperationSemantics => ({
  describe,
  reversible: () => true,
  references: (call) => namedModel(call, 'name'),
});

export const CreateModel: OperationSemantics = {
  describe(call) {
    const options = callArgument(call, 2, 'options');
    const proxy =
      options?.kind === 'dict' &&
      options.entries.some((e) => stringValue(e.key) === 'proxy' && e.value.kind === 'constant' && e.value.value === true);
    return `Create ${proxy ? 'proxy ' : ''}model ${text(call, 0, 'name')}`;
  },
  reversible: () => true,
  references(call) {
    const found = namedModel(call, 'name', true);
    const fields = callArgument(call, 1, 'fields');
    if (fields?.kind === 'list' || fields?.kind === 'tuple') {
      for (const field of fields.items) {
        if (field.kind === 'tuple' && field.items.length === 2) found.push(...fieldReferences(field.items[1]));
      }
    }
    const bases = callArgument(call, 3, 'bases');
    if (bases?.kind === 'tuple' || bases?.kind === 'list') {
      for (const base of bases.items) {
        const reference = base.kind === 'str' ? modelReference(base) : undefined;
        if (reference) found.push(reference);
      }
    }
    return found;
  },
  reverseLoses: 'undoing it drops the table and all its rows',
};

export const DeleteModel: OperationSemantics = {
  ...onModel((call) => `Delete model ${text(call, 0, 'name')}`),
  reverseLoses: 'undoing it recreates the table empty: its old rows do not come back',
};

export const RenameModel: OperationSemantics = {
  describe: (call) => `Rename model ${text(call, 0, 'old_name')} to ${text(call, 1, 'new_name')}`,
  reversible: () => true,
  references(call) {
    const oldName = callArgument(call, 0, 'old_name');
    return oldName?.kind === 'str' ? [{ model: oldName.value, range: oldName.range, defines: false }] : [];
  },
};

export const AlterModelTable = onModel((call) => {
  const table = callArgument(call, 1, 'table');
  const shown = !table || (table.kind === 'constant' && table.value === null) ? '(default)' : displayText(table);
  return `Rename table for ${text(call, 0, 'name')} to ${shown}`;
});

/** AlterUniqueTogether and AlterIndexTogether count distinct field tuples, as Django normalises them. */
function alterTogether(optionName: 'unique_together' | 'index_together'): OperationSemantics {
  return onModel((call) => {
    const value = callArgument(call, 1, optionName);
    return `Alter ${optionName} for ${text(call, 0, 'name')} (${togetherCount(value)} constraint(s))`;
  });
}

function togetherCount(value: PythonValue | undefined): number | string {
  if (!value || (value.kind === 'constant' && value.value === null)) return 0;
  if (value.kind === 'call' && value.callee === 'set' && value.args.length === 0) return 0;
  if (value.kind !== 'list' && value.kind !== 'tuple' && value.kind !== 'set') return '?';
  if (value.items.length === 0) return 0;
  // normalize_together: a flat tuple of names is one constraint.
  const first = value.items[0];
  const groups = value.kind !== 'set' && first.kind !== 'tuple' && first.kind !== 'list' ? [value] : value.items;
  const distinct = new Set(
    groups.map((group) =>
      group.kind === 'tuple' || group.kind === 'list' ? group.items.map(displayText).join('\u0000') : displayText(group),
    ),
  );
  return distinct.size;
}

export const AlterUniqueTogether = alterTogether('unique_together');
export const AlterIndexTogether = alterTogether('index_together');
export const AlterModelOptions = onModel((call) => `Change Meta options on ${text(call, 0, 'name')}`);
export const AlterModelManagers = onModel((call) => `Change managers on ${text(call, 0, 'name')}`);
export const AlterOrderWithRespectTo = onModel(
  (call) => `Set order_with_respect_to on ${text(call, 0, 'name')} to ${text(call, 1, 'order_with_respect_to')}`,
);

export const onModelName = (describe: (call: PythonCall) => string): OperationSemantics => ({
  describe,
  reversible: () => true,
  references: (call) => namedModel(call, 'model_name'),
});

export const AddIndex = onModelName((call) => {
  const index = callArgument(call, 1, 'index');
  const model = text(call, 0, 'model_name');
  if (index?.kind !== 'call') return `Create index ${displayText(index)} on field(s)  of model ${model}`;
  const name = text(index, Number.MAX_SAFE_INTEGER, 'name');
  if (index.args.length > 0) {
    return `Create index ${name} on ${index.args.map(expressionText).join(', ')} on model ${model}`;
  }
  const fields = callArgument(index, Number.MAX_SAFE_INTEGER, 'fields');
  const names = fields?.kind === 'list' || fields?.kind === 'tuple' ? fields.items.map(displayText) : [];
  return `Create index ${name} on field(s) ${names.join(', ')} of model ${model}`;
});

export const RemoveIndex = onModelName((call) => `Remove index ${text(call, 1, 'name')} from ${text(call, 0, 'model_name')}`);

export const AddConstraint = onModelName((call) => {
  const constraint = callArgument(call, 1, 'constraint');
  const name = constraint?.kind === 'call' ? text(constraint, Number.MAX_SAFE_INTEGER, 'name') : displayText(constraint);
  return `Create constraint ${name} on model ${text(call, 0, 'model_name')}`;
});

export const RemoveConstraint = onModelName(
  (call) => `Remove constraint ${text(call, 1, 'name')} from model ${text(call, 0, 'model_name')}`,
);
