import { FixData } from '../../problem';
import { callArgument, PythonCall } from '../../pythonValue';
import { addKeyword, editsKeepingWhatRan } from '../fixEdits';
import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { operationSites } from '../operationSites';

/** A RunPython kept by every squash. */
export const runPythonNotElidable: LintRule = {
  id: 'run-python-not-elidable',
  severity: 'information',
  optIn: true,
  vendors: ['postgresql', 'mysql', 'sqlite', 'oracle', 'other'],
  summary: 'A data migration without elidable=True survives every squash.',
  check(context) {
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'RunPython') return [];
      const elidable = callArgument(site.call, 4, 'elidable');
      if (elidable !== undefined) return [];
      const code = callArgument(site.call, 0, 'code');
      if (code?.kind === 'name' && code.dotted.endsWith('RunPython.noop')) return [];
      return [
        siteFinding(
          site,
          'RunPython without elidable: squashmigrations keeps it (and the models it needs) forever. Mark one-off data ' +
            'migrations elidable=True.',
          [elidableFix(site.call)],
        ),
      ];
    });
  },
};

/** `elidable=True` after the last argument, where every argument is one Python reads as written. */
function elidableFix(call: PythonCall): FixData | undefined {
  if (call.kwargs.some((k) => k.name.startsWith('*')) || call.args.some((a) => a.kind === 'opaque')) return undefined;
  const edit = addKeyword(call, 'elidable=True');
  return edit && editsKeepingWhatRan('Mark it elidable=True (a one-off data migration: squashes drop it)', [edit]);
}
