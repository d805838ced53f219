import { callArgument, lastNamePart, PythonCall } from '../../pythonValue';

/** The `constraint=` of AddConstraint when written as a call: its class name and the call. */
export function constraintOf(call: PythonCall): { className: string; call: PythonCall } | undefined {
  const constraint = callArgument(call, 1, 'constraint');
  return constraint?.kind === 'call' ? { className: lastNamePart(constraint.callee), call: constraint } : undefined;
}
