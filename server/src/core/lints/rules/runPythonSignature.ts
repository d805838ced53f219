import { siteFinding } from '../findings';
import { FixData } from '../../problem';
import { editsFix } from '../fixEdits';
import { FunctionSignature, LintFinding, LintRule } from '../lintRule';
import { runPythonFunctions } from '../runPythonFunctions';

/** RunPython calls `code(apps, schema_editor)`: a function that cannot take two arguments fails at migrate time. */
export const runPythonSignature: LintRule = {
  id: 'run-python-signature',
  severity: 'error',
  vendors: ['postgresql', 'mysql', 'sqlite', 'oracle', 'other'],
  summary: 'RunPython functions must accept (apps, schema_editor).',
  check(context) {
    const findings: LintFinding[] = [];
    for (const { site, value, fn } of runPythonFunctions(context)) {
      if (fn.varArgs) continue;
      const required = fn.positional.length - fn.defaults;
      if (fn.positional.length >= 2 && required <= 2) continue;
      findings.push({
        ...siteFinding(
          site,
          `RunPython calls ${fn.name}(apps, schema_editor), but ${fn.name} takes ${describeParameters(fn.positional.length, required)}: ` +
            'migrate stops with TypeError. Define it as def ' +
            `${fn.name}(apps, schema_editor).`,
          [signatureFix(fn)],
        ),
        range: value.range,
      });
    }
    return findings;
  },
};

function describeParameters(total: number, required: number): string {
  if (total < 2) return total === 0 ? 'no positional arguments' : 'one positional argument';
  return `${required} required arguments`;
}

/**
 * `def f(apps):` or `def f():` -> `def f(apps, schema_editor):`, the first name kept. A function
 * that needs more arguments has no such rewrite: its body uses them.
 */
function signatureFix(fn: FunctionSignature): FixData | undefined {
  if (!fn.plainParametersRange || fn.positional.length >= 2 || fn.positional[0] === 'schema_editor') return undefined;
  const parameters = `(${fn.positional[0] ?? 'apps'}, schema_editor)`;
  return editsFix(`Define it as ${fn.name}${parameters}`, [{ range: fn.plainParametersRange, newText: parameters }], true);
}
