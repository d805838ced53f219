import { FixData } from '../../../../server/src/core/problem';
import { Problem } from '../../../../server/src/core/problem';

/** The text after a quick fix's edits (applied from the end so earlier offsets hold). */
export function applyFix(text: string, problem: Problem, title: string | RegExp): string {
  const fix = problem.fixes?.find(
    (f): f is Extract<FixData, { fix: 'edits' }> =>
      f.fix === 'edits' && (typeof title === 'string' ? f.title === title : title.test(f.title)),
  );
  if (!fix)
    throw new Error(
      `no fix ${String(title)} on ${problem.code}: ${JSON.stringify(problem.fixes?.map((f) => ('title' in f ? f.title : f.fix)))}`,
    );
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => lineStarts[p.line] + p.character;
  const edits = [...fix.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of edits) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}
