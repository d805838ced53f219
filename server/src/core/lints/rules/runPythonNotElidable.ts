import { callArgument } from '../../pythonValue';
import { siteFinding } from '../findings';
import { LintRule } from '../lintRule';
import { operationSites } from '../operationSites';

/** A RunPython kept by every squash, and run over whole tables. */
export const runPythonNotElidable: LintRule = {
  id: 'run-python-not-elidable',
  severity: 'information',
  optIn: true,
  vendors: ['postgresql', 'mysql', 'sqlite', 'oracle', 'other'],
  summary: 'A data migration without elidable=True survives every squash; on large tables it should work in batches.',
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
            'migrations elidable=True; on large tables, update in batches (iterator(), bulk_update(batch_size=...)) ' +
            'rather than one save() per row in one long transaction.',
        ),
      ];
    });
  },
};
