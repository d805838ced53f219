import { callArgument, lastNamePart } from '../pythonValue';
import { markUnknown, StateForwards } from './stateArguments';

/**
 * state_forwards of the special operations (django/db/migrations/operations/special.py):
 * SeparateDatabaseAndState and RunSQL apply their `state_operations`; RunPython changes nothing.
 * `applyOperation` is the dispatcher, passed in so this table does not import it back.
 */
export function specialStateForwards(applyOperation: StateForwards): Readonly<Record<string, StateForwards>> {
  const stateOperations =
    (position: number): StateForwards =>
    (call, state, context) => {
      const value = callArgument(call, position, 'state_operations');
      if (!value || (value.kind === 'constant' && value.value === null)) return;
      if (value.kind !== 'list' && value.kind !== 'tuple') {
        return markUnknown(state, context, undefined, `${lastNamePart(call.callee)} state_operations that cannot be read`);
      }
      for (const operation of value.items) {
        if (operation.kind === 'call') applyOperation(operation, state, context);
        else markUnknown(state, context, undefined, 'a state operation that cannot be read');
      }
    };
  return {
    SeparateDatabaseAndState: stateOperations(1),
    RunSQL: stateOperations(2),
    RunPython: () => undefined,
  };
}
