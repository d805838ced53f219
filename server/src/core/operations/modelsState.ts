import { callArgument, PythonCall } from '../pythonValue';
import { ModelState } from '../state';
import { noneValue, stringItems } from '../stateValues';
import {
  markUnknown,
  namedPairs,
  normalizeTogether,
  originOf,
  readFieldState,
  readManagers,
  readOptions,
  reportMissing,
  StateContext,
  StateForwards,
  stringArgument,
} from './stateArguments';

/**
 * state_forwards of the model operations, as in django/db/migrations/operations/models.py.
 * Kept apart from the describe()/references() semantics in models.ts: the two change for
 * different reasons and grow separately.
 */

/** AlterModelOptions: the keys it owns; one that its options leave out is removed. */
export const ALTER_OPTION_KEYS = [
  'base_manager_name',
  'default_manager_name',
  'default_related_name',
  'get_latest_by',
  'managed',
  'ordering',
  'permissions',
  'default_permissions',
  'select_on_save',
  'verbose_name',
  'verbose_name_plural',
] as const;

const CreateModel: StateForwards = (call, state, context) => {
  const name = stringArgument(call, 0, 'name');
  if (name === undefined) return markUnknown(state, context, undefined, 'a CreateModel whose name cannot be read');
  const unknown: string[] = [];
  const fields = namedPairs(callArgument(call, 1, 'fields'));
  if (!fields) unknown.push('its fields cannot be read');
  const options = readOptions(callArgument(call, 2, 'options'));
  if (!options) unknown.push('its options cannot be read');
  const basesValue = callArgument(call, 3, 'bases');
  const bases = basesValue?.kind === 'tuple' || basesValue?.kind === 'list' ? [...basesValue.items] : [];
  if (basesValue && bases.length === 0 && !(basesValue.kind === 'constant' && basesValue.value === null)) {
    unknown.push('its bases cannot be read');
  }
  const managers = readManagers(callArgument(call, 4, 'managers'));
  if (!managers) unknown.push('its managers cannot be read');
  const model = new ModelState(
    context.appLabel,
    name,
    (fields ?? []).map((field) => readFieldState(field.name, field.value, context)),
    options ?? [],
    bases,
    managers ?? [],
  );
  model.origin = model.created = originOf(context, call);
  model.unknown.push(...unknown.map((reason) => `CreateModel ${name}: ${reason} (${context.migration})`));
  state.addModel(model);
};

const DeleteModel: StateForwards = (call, state, context) => {
  const name = stringArgument(call, 0, 'name');
  if (name === undefined) return markUnknown(state, context, undefined, 'a DeleteModel whose name cannot be read');
  if (!state.removeModel(context.appLabel, name)) reportMissing(state, context, call, noModel(context, name));
};

const RenameModel: StateForwards = (call, state, context) => {
  const oldName = stringArgument(call, 0, 'old_name');
  const newName = stringArgument(call, 1, 'new_name');
  if (oldName === undefined || newName === undefined) {
    return markUnknown(state, context, oldName, 'a RenameModel whose names cannot be read');
  }
  if (!state.renameModel(context.appLabel, oldName, newName, originOf(context, call))) {
    reportMissing(state, context, call, noModel(context, oldName));
  }
};

/** An operation that sets one option to its argument (AlterModelTable, AlterOrderWithRespectTo...). */
function setOption(optionName: string, keyword: string, normalise = (call: PythonCall) => callArgument(call, 1, keyword)): StateForwards {
  return (call, state, context) => {
    const name = stringArgument(call, 0, 'name');
    if (name === undefined) return markUnknown(state, context, undefined, `an operation on ${optionName} whose model cannot be read`);
    const value = normalise(call) ?? noneValue(call.range);
    if (!state.alterModelOptions(context.appLabel, name, [[optionName, value]])) {
      reportMissing(state, context, call, noModel(context, name));
    }
  };
}

const alterTogether = (optionName: string): StateForwards =>
  setOption(optionName, optionName, (call) => {
    const value = callArgument(call, 1, optionName);
    return value && normalizeTogether(value);
  });

const AlterModelOptions: StateForwards = (call, state, context) => {
  const name = stringArgument(call, 0, 'name');
  const options = readOptions(callArgument(call, 1, 'options'));
  if (name === undefined || !options) return markUnknown(state, context, name, 'an AlterModelOptions that cannot be read');
  if (!state.alterModelOptions(context.appLabel, name, options, ALTER_OPTION_KEYS)) {
    reportMissing(state, context, call, noModel(context, name));
  }
};

const AlterModelManagers: StateForwards = (call, state, context) => {
  const name = stringArgument(call, 0, 'name');
  const managers = readManagers(callArgument(call, 1, 'managers'));
  if (name === undefined || !managers) return markUnknown(state, context, name, 'an AlterModelManagers that cannot be read');
  if (!state.alterModelManagers(context.appLabel, name, managers)) reportMissing(state, context, call, noModel(context, name));
};

/** AddIndex / AddConstraint: the index or constraint call is appended to the option list. */
function appendOption(optionName: 'indexes' | 'constraints', keyword: string): StateForwards {
  return (call, state, context) => {
    const modelName = stringArgument(call, 0, 'model_name');
    const value = callArgument(call, 1, keyword);
    if (modelName === undefined || value?.kind !== 'call') {
      return markUnknown(state, context, modelName, `an operation on ${optionName} that cannot be read`);
    }
    if (!state.appendOption(context.appLabel, modelName, optionName, value)) {
      reportMissing(state, context, call, noModel(context, modelName));
    }
  };
}

/** RemoveIndex / RemoveConstraint: every item with that name goes. */
function removeOption(optionName: 'indexes' | 'constraints'): StateForwards {
  return (call, state, context) => {
    const modelName = stringArgument(call, 0, 'model_name');
    const name = stringArgument(call, 1, 'name');
    if (modelName === undefined || name === undefined) {
      return markUnknown(state, context, modelName, `an operation on ${optionName} that cannot be read`);
    }
    if (!state.removeOption(context.appLabel, modelName, optionName, name)) {
      reportMissing(state, context, call, noModel(context, modelName));
    }
  };
}

/** Django 4.1+: RenameIndex(model_name, new_name, old_name=None, old_fields=None). */
const RenameIndex: StateForwards = (call, state, context) => {
  const modelName = stringArgument(call, 0, 'model_name');
  const newName = stringArgument(call, 1, 'new_name');
  const oldName = stringArgument(call, 2, 'old_name');
  const oldFields = stringItems(callArgument(call, 3, 'old_fields'));
  if (modelName === undefined || newName === undefined || (oldName === undefined && !oldFields)) {
    return markUnknown(state, context, modelName, 'a RenameIndex that cannot be read');
  }
  if (!state.getModel(context.appLabel, modelName)) return reportMissing(state, context, call, noModel(context, modelName));
  if (oldFields) {
    // An unnamed index_together entry becomes a named Index on the same fields.
    const fieldsValue = callArgument(call, 3, 'old_fields')!;
    const index: PythonCall = {
      kind: 'call',
      callee: 'models.Index',
      calleeRange: call.range,
      args: [],
      kwargs: [
        { name: 'fields', nameRange: fieldsValue.range, value: fieldsValue },
        { name: 'name', nameRange: call.range, value: callArgument(call, 1, 'new_name')! },
      ],
      range: call.range,
    };
    state.appendOption(context.appLabel, modelName, 'indexes', index);
    state.removeModelOptions(
      context.appLabel,
      modelName,
      'index_together',
      oldFields.map((f) => f ?? ''),
    );
  } else {
    state.renameIndex(context.appLabel, modelName, oldName!, newName, callArgument(call, 1, 'new_name')!.range);
  }
};

/** Django 5.2: AlterConstraint(model_name, name, constraint) replaces the constraint of that name. */
const AlterConstraint: StateForwards = (call, state, context) => {
  const modelName = stringArgument(call, 0, 'model_name');
  const name = stringArgument(call, 1, 'name');
  const constraint = callArgument(call, 2, 'constraint');
  if (modelName === undefined || name === undefined || constraint?.kind !== 'call') {
    return markUnknown(state, context, modelName, 'an AlterConstraint that cannot be read');
  }
  if (!state.alterOption(context.appLabel, modelName, 'constraints', name, constraint)) {
    reportMissing(state, context, call, noModel(context, modelName));
  }
};

export function noModel(context: StateContext, name: string): string {
  return `No model ${context.appLabel}.${name.toLowerCase()} in the state before this operation`;
}

export const MODEL_STATE_FORWARDS: Readonly<Record<string, StateForwards>> = {
  CreateModel,
  DeleteModel,
  RenameModel,
  AlterModelTable: setOption('db_table', 'table'),
  AlterModelTableComment: setOption('db_table_comment', 'table_comment'),
  AlterUniqueTogether: alterTogether('unique_together'),
  AlterIndexTogether: alterTogether('index_together'),
  AlterModelOptions,
  AlterModelManagers,
  AlterOrderWithRespectTo: setOption('order_with_respect_to', 'order_with_respect_to'),
  AddIndex: appendOption('indexes', 'index'),
  RemoveIndex: removeOption('indexes'),
  RenameIndex,
  AddConstraint: appendOption('constraints', 'constraint'),
  RemoveConstraint: removeOption('constraints'),
  AlterConstraint,
};
