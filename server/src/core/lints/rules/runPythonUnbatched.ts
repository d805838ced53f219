import { siteFinding } from '../findings';
import { LintFinding, LintRule, UnbatchedWrite } from '../lintRule';
import { runPythonFunctions } from '../runPythonFunctions';

/**
 * A RunPython function that writes a whole table row by row: it loads every row at once, sends
 * one UPDATE per row, and (in an atomic migration) keeps every row it wrote locked until the
 * migration ends. Informational: on a small table it is harmless.
 */
export const runPythonUnbatched: LintRule = {
  id: 'run-python-unbatched',
  severity: 'information',
  optIn: true,
  vendors: ['postgresql', 'mysql', 'sqlite', 'oracle', 'other'],
  summary: 'A data migration that saves every row of a table one by one, or bulk_update() without batch_size, is slow on large tables.',
  check(context) {
    const findings: LintFinding[] = [];
    for (const { site, value, fn } of runPythonFunctions(context)) {
      for (const write of fn.unbatchedWrites ?? []) {
        findings.push({ ...siteFinding(site, message(fn.name, write, context.migration.parsed.atomic)), range: value.range });
      }
    }
    return findings;
  },
};

function message(name: string, write: UnbatchedWrite, atomic: boolean): string {
  const line = write.range.start.line + 1;
  const locks = atomic ? ', and holds the lock of every row it saved until the migration commits' : '';
  if (write.kind === 'save-per-row') {
    return (
      `${name} (line ${line}) loads every row of ${write.queryset} into memory and saves them one by one: one UPDATE per row` +
      `${locks}. On a large table, loop over .iterator(chunk_size=...) or slices of primary keys and write each batch with ` +
      'bulk_update(..., batch_size=...), or use one queryset .update() when every row gets the same change.'
    );
  }
  return (
    `${name} (line ${line}) calls bulk_update without batch_size: ${write.queryset} writes every object in one statement ` +
    `(a CASE over all of them)${locks}. Give it a batch_size (for example 1000).`
  );
}
