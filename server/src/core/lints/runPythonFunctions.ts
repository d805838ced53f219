import { callArgument, PythonValue } from '../pythonValue';
import { FunctionSignature, LintContext, OperationSite } from './lintRule';
import { operationSites } from './operationSites';

/** A function of the migration's own file that a RunPython passes as `code` or `reverse_code`. */
export interface RunPythonFunction {
  readonly site: OperationSite;
  /** The argument naming it (where findings about it point). */
  readonly value: Extract<PythonValue, { kind: 'name' }>;
  readonly fn: FunctionSignature;
}

/** Every RunPython `code` and `reverse_code` that names a function defined in the file. */
export function* runPythonFunctions(context: LintContext): Iterable<RunPythonFunction> {
  for (const site of operationSites(context.migration)) {
    if (site.type !== 'RunPython') continue;
    for (const [position, keyword] of [
      [0, 'code'],
      [1, 'reverse_code'],
    ] as const) {
      const value = callArgument(site.call, position, keyword);
      if (value?.kind !== 'name') continue;
      const fn = context.functions?.find((f) => f.name === value.dotted);
      if (fn) yield { site, value, fn };
    }
  }
}
