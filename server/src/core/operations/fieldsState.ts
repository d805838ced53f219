import { callArgument, PythonCall } from '../pythonValue';
import { truthy } from '../stateValues';
import { noModel } from './modelsState';
import { markUnknown, readFieldState, reportMissing, StateContext, StateForwards, stringArgument } from './stateArguments';
import { ProjectState } from '../state';

/**
 * state_forwards of the field operations, as in django/db/migrations/operations/fields.py
 * (kept apart from fields.ts, which holds their describe() and references()).
 */

/** `preserve_default=False`: the state forgets the one-off default used to fill existing rows. */
function preserveDefault(call: PythonCall): boolean {
  return truthy(callArgument(call, 3, 'preserve_default') ?? { kind: 'constant', value: true, range: call.range }) !== false;
}

function setField(operation: 'AddField' | 'AlterField'): StateForwards {
  return (call, state, context) => {
    const modelName = stringArgument(call, 0, 'model_name');
    const name = stringArgument(call, 1, 'name');
    if (modelName === undefined || name === undefined) {
      return markUnknown(state, context, modelName, `an ${operation} that cannot be read`);
    }
    const field = readFieldState(name, callArgument(call, 2, 'field'), context);
    if (!state.addField(context.appLabel, modelName, field, preserveDefault(call))) {
      reportMissing(state, context, call, noModel(context, modelName));
    }
  };
}

const RemoveField: StateForwards = (call, state, context) => {
  const modelName = stringArgument(call, 0, 'model_name');
  const name = stringArgument(call, 1, 'name');
  if (modelName === undefined || name === undefined) return markUnknown(state, context, modelName, 'a RemoveField that cannot be read');
  if (!state.removeField(context.appLabel, modelName, name)) missingField(state, context, call, modelName, name);
};

const RenameField: StateForwards = (call, state, context) => {
  const modelName = stringArgument(call, 0, 'model_name');
  const oldName = stringArgument(call, 1, 'old_name');
  const newName = stringArgument(call, 2, 'new_name');
  if (modelName === undefined || oldName === undefined || newName === undefined) {
    return markUnknown(state, context, modelName, 'a RenameField that cannot be read');
  }
  if (!state.renameField(context.appLabel, modelName, oldName, newName, callArgument(call, 2, 'new_name')!.range)) {
    missingField(state, context, call, modelName, oldName);
  }
};

/** Django's KeyError / FieldDoesNotExist. */
function missingField(state: ProjectState, context: StateContext, call: PythonCall, modelName: string, name: string): void {
  const message = state.getModel(context.appLabel, modelName)
    ? `${context.appLabel}.${modelName} has no field named '${name}'`
    : noModel(context, modelName);
  reportMissing(state, context, call, message);
}

export const FIELD_STATE_FORWARDS: Readonly<Record<string, StateForwards>> = {
  AddField: setField('AddField'),
  RemoveField,
  AlterField: setField('AlterField'),
  RenameField,
};
