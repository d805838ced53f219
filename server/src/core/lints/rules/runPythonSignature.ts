import { callArgument } from '../../pythonValue';
import { siteFinding } from '../findings';
import { LintFinding, LintRule } from '../lintRule';
import { operationSites } from '../operationSites';

/** RunPython calls `code(apps, schema_editor)`: a function that cannot take two arguments fails at migrate time. */
export const runPythonSignature: LintRule = {
  id: 'run-python-signature',
  severity: 'error',
  vendors: ['postgresql', 'mysql', 'sqlite', 'oracle', 'other'],
  summary: 'RunPython functions must accept (apps, schema_editor).',
  check(context) {
    const findings: LintFinding[] = [];
    for (const site of operationSites(context.migration)) {
      if (site.type !== 'RunPython') continue;
      for (const [position, keyword] of [
        [0, 'code'],
        [1, 'reverse_code'],
      ] as const) {
        const value = callArgument(site.call, position, keyword);
        if (value?.kind !== 'name') continue;
        const fn = context.functions?.find((f) => f.name === value.dotted);
        if (!fn || fn.varArgs) continue;
        const required = fn.positional.length - fn.defaults;
        if (fn.positional.length >= 2 && required <= 2) continue;
        findings.push({
          ...siteFinding(
            site,
            `RunPython calls ${fn.name}(apps, schema_editor), but ${fn.name} takes ${describeParameters(fn.positional.length, required)}: ` +
              'migrate stops with TypeError. Define it as def ' +
              `${fn.name}(apps, schema_editor).`,
          ),
          range: value.range,
        });
      }
    }
    return findings;
  },
};

function describeParameters(total: number, required: number): string {
  if (total < 2) return total === 0 ? 'no positional arguments' : 'one positional argument';
  return `${required} required arguments`;
}
