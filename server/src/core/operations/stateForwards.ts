import { lastNamePart, PythonCall } from '../pythonValue';
import { ProjectState } from '../state';
import { FIELD_STATE_FORWARDS } from './fieldsState';
import { MODEL_STATE_FORWARDS } from './modelsState';
import { postgresStateForwards } from './postgresState';
import { specialStateForwards } from './specialState';
import { markUnknown, StateContext, StateForwards, stringArgument } from './stateArguments';

/**
 * Every built-in operation's state_forwards, keyed by class name, one table per Django module
 * (models, fields, special, contrib.postgres). Django puts state_forwards on each operation
 * class; here it sits beside describe()/references() in files of its own.
 */
const TABLE = new Map<string, StateForwards>();

/** Django's `operation.state_forwards(app_label, state)` for an operation call. */
export const applyOperation: StateForwards = (call, state, context) => {
  const forwards = TABLE.get(lastNamePart(call.callee));
  if (forwards) forwards(call, state, context);
  else customOperation(call, state, context);
};

for (const table of [
  MODEL_STATE_FORWARDS,
  FIELD_STATE_FORWARDS,
  specialStateForwards(applyOperation),
  postgresStateForwards(MODEL_STATE_FORWARDS),
]) {
  for (const [name, forwards] of Object.entries(table)) TABLE.set(name, forwards);
}

/**
 * An operation class we do not know runs code we cannot read: the model it seems to name (a
 * `model_name=` or `name=` string) becomes unknown, else every model of the app.
 */
function customOperation(call: PythonCall, state: ProjectState, context: StateContext): void {
  const modelName = stringArgument(call, Number.MAX_SAFE_INTEGER, 'model_name') ?? stringArgument(call, Number.MAX_SAFE_INTEGER, 'name');
  markUnknown(state, context, modelName, `custom operation ${lastNamePart(call.callee)}`);
}
