import { Migration, OperationEntry } from '../migration';
import { operationSemantics } from '../operations/index';
import { callArgument, PythonCall, PythonValue } from '../pythonValue';
import { FixData, Problem } from '../problem';
import { MigrationCheck } from './check';

/**
 * Operations Django cannot run backwards: `migrate` to an earlier state stops there with
 * IrreversibleError. RunPython and RunSQL get quick fixes (a no-op reverse, or a reverse function).
 */
export const irreversibleOperation: MigrationCheck = (migration) => {
  const problems: Problem[] = [];
  for (const operation of migration.parsed.operations) {
    for (const call of irreversibleCalls(operation.type, operation.call)) {
      problems.push(problemFor(migration, operation, call));
    }
  }
  return problems;
};

/** The irreversible calls of an operation, looking inside SeparateDatabaseAndState. */
function irreversibleCalls(type: string, call: PythonCall): PythonCall[] {
  if (type === 'SeparateDatabaseAndState') {
    const databaseOperations = callArgument(call, 0, 'database_operations');
    if (databaseOperations?.kind !== 'list' && databaseOperations?.kind !== 'tuple') return [];
    return databaseOperations.items
      .filter((item): item is PythonCall => item.kind === 'call')
      .flatMap((item) => irreversibleCalls(item.callee.slice(item.callee.lastIndexOf('.') + 1), item));
  }
  return operationSemantics(type).reversible(call) ? [] : [call];
}

function problemFor(migration: Migration, operation: OperationEntry, call: PythonCall): Problem {
  const type = call.callee.slice(call.callee.lastIndexOf('.') + 1);
  const nested = call !== operation.call;
  const fixes: FixData[] = [];
  const insertAt = lastArgumentEnd(call);
  if ((type === 'RunPython' || type === 'RunSQL') && insertAt) {
    fixes.push({ fix: 'add-noop-reverse', operation: type, insertAt, noop: `${call.callee}.noop` });
    const code = callArgument(call, 0, 'code');
    const forwards =
      type === 'RunPython' && code?.kind === 'name' ? migration.parsed.functions.find((f) => f.name === code.dotted) : undefined;
    if (forwards) {
      fixes.push({ fix: 'add-reverse-function', insertAt, functionName: `reverse_${forwards.name}`, functionInsertAt: forwards.range.end });
    }
  }
  const what =
    type === 'RunPython' ? 'RunPython has no reverse_code' : type === 'RunSQL' ? 'RunSQL has no reverse_sql' : `${type} is not reversible`;
  return {
    code: 'irreversible-operation',
    severity: 'warning',
    message: `${what}${nested ? ' (inside SeparateDatabaseAndState)' : ''}: migrating ${migration.appLabel} back past ${migration.name} will fail with IrreversibleError.`,
    file: migration.path,
    range: call.calleeRange,
    fixes,
  };
}

function lastArgumentEnd(call: PythonCall): PythonCall['range']['end'] | undefined {
  const values: PythonValue[] = [...call.args, ...call.kwargs.map((k) => k.value)];
  let last: PythonValue | undefined;
  for (const value of values) {
    if (
      !last ||
      value.range.end.line > last.range.end.line ||
      (value.range.end.line === last.range.end.line && value.range.end.character > last.range.end.character)
    ) {
      last = value;
    }
  }
  return last?.range.end;
}
