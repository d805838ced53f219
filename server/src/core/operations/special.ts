import { callArgument, PythonCall } from '../pythonValue';
import { OperationSemantics } from './operation';

/** Special operations, as in django/db/migrations/operations/special.py. */

/** Django stores `reverse_*=None` and reports `reversible` as "is not None". */
function hasArgument(call: PythonCall, position: number, keyword: string): boolean {
  const value = callArgument(call, position, keyword);
  return value !== undefined && !(value.kind === 'constant' && value.value === null);
}

export const RunSQL: OperationSemantics = {
  describe: () => 'Raw SQL operation',
  reversible: (call) => hasArgument(call, 1, 'reverse_sql'),
  references: () => [],
};

export const RunPython: OperationSemantics = {
  describe: () => 'Raw Python operation',
  reversible: (call) => hasArgument(call, 1, 'reverse_code'),
  references: () => [],
};

/** Reversible as far as Django's flag says; its database operations are checked one by one. */
export const SeparateDatabaseAndState: OperationSemantics = {
  describe: () => 'Custom state/database change combination',
  reversible: () => true,
  references: () => [],
};
