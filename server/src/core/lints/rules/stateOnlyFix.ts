import { FixData } from '../../problem';
import { editsFix } from '../fixEdits';
import { OperationSite } from '../lintRule';

/** Wraps a top-level operation in `SeparateDatabaseAndState(state_operations=[...])`: no SQL in this release. */
export function stateOnlyFix(site: OperationSite, title: string): FixData | undefined {
  if (site.nested) return undefined;
  const callee = site.call.callee;
  const module = callee.includes('.') ? callee.slice(0, callee.lastIndexOf('.') + 1) : '';
  const { range } = site.call;
  return editsFix(title, [
    { range: { start: range.start, end: range.start }, newText: `${module}SeparateDatabaseAndState(state_operations=[` },
    { range: { start: range.end, end: range.end }, newText: '])' },
  ]);
}
