import { SourceRange } from '../sourceRange';

/** A `#` comment of the migration file, as the parser found it. */
export interface SourceComment {
  /** The comment text including `#`. */
  readonly text: string;
  readonly range: SourceRange;
  /** Nothing but whitespace before it on its line. */
  readonly ownLine: boolean;
}

/** `# django-migrations: ignore[rule-a, rule-b] reason`, or `# django-migrations: reviewed reason` (every rule). */
export interface Suppression {
  readonly rules: readonly string[] | 'all';
  readonly reason: string;
  readonly range: SourceRange;
  /** The line it applies to: its own line for a trailing comment, the next line for a comment alone on its line. */
  readonly appliesToLine: number;
}

export interface SuppressionProblem {
  readonly range: SourceRange;
  readonly message: string;
}

const MARKER = /^#\s*django-migrations\s*:\s*/;
const IGNORE = /^ignore\[([^\]]*)\](.*)$/;
const REVIEWED = /^reviewed\b(.*)$/;

/**
 * Reads the suppression comments (comment text, not Python source). A comment that starts with
 * the marker but does not say a known rule and a reason is a problem, never silently ignored.
 */
export function readSuppressions(
  comments: readonly SourceComment[],
  knownRules: ReadonlySet<string>,
): { suppressions: Suppression[]; problems: SuppressionProblem[] } {
  const suppressions: Suppression[] = [];
  const problems: SuppressionProblem[] = [];
  for (const comment of comments) {
    const marker = MARKER.exec(comment.text);
    if (!marker) continue;
    const body = comment.text.slice(marker[0].length).trim();
    const appliesToLine = comment.ownLine ? comment.range.start.line + 1 : comment.range.start.line;
    const reviewed = REVIEWED.exec(body);
    const ignore = IGNORE.exec(body);
    if (!reviewed && !ignore) {
      problems.push({
        range: comment.range,
        message: 'Expected "django-migrations: ignore[rule-id] reason" or "django-migrations: reviewed reason".',
      });
      continue;
    }
    const reason = (reviewed ? reviewed[1] : ignore![2]).trim();
    const rules = ignore
      ? ignore[1]
          .split(',')
          .map((rule) => rule.trim())
          .filter((rule) => rule !== '')
      : 'all';
    const unknown = rules === 'all' ? [] : rules.filter((rule) => !knownRules.has(rule));
    if (rules !== 'all' && rules.length === 0) {
      problems.push({ range: comment.range, message: 'Name the rule to ignore: ignore[rule-id] reason.' });
    } else if (unknown.length > 0) {
      problems.push({
        range: comment.range,
        message: `Unknown rule ${unknown.map((r) => `'${r}'`).join(', ')}; the rules are listed in docs/lints.md.`,
      });
    } else if (reason === '') {
      problems.push({ range: comment.range, message: 'A suppression needs a reason after it: why is this safe here?' });
    } else {
      suppressions.push({ rules, reason, range: comment.range, appliesToLine });
    }
  }
  return { suppressions, problems };
}

export function suppresses(suppression: Suppression, rule: string): boolean {
  return suppression.rules === 'all' || suppression.rules.includes(rule);
}
