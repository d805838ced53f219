import * as path from 'node:path';
import { Problem } from '../core/problem';
import { loadProjects } from '../project/projectLoader';
import { parseCommandLine, UsageError } from './commonOptions';

const FORMATS = ['text', 'json', 'github'] as const;
type Format = (typeof FORMATS)[number];

/** `check [DIR] [--format text|json|github]`: every diagnostic; exit 1 when any is an error. */
export async function runCheck(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, { format: { type: 'string', default: 'text' } });
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message);
    throw error;
  }
  const format = parsed.values.format as Format;
  if (!FORMATS.includes(format)) return usageError(`--format must be one of ${FORMATS.join(', ')}`);
  const root = path.resolve(parsed.positionals[0] ?? '.');
  const projects = await loadProjects(root, {
    pythonPath: parsed.values.python,
    settingsModule: parsed.values.settings,
    databaseUrl: parsed.values['database-url'],
    databaseAlias: parsed.values.database,
    trusted: true,
  });
  const problems = projects.flatMap((project) => project.analyse().problems);
  out.write(formatProblems(problems, format, root));
  return problems.some((problem) => problem.severity === 'error') ? 1 : 0;
}

function usageError(message: string): number {
  process.stderr.write(`check: ${message}\n`);
  return 2;
}

export function formatProblems(problems: readonly Problem[], format: Format, root: string): string {
  const sorted = [...problems].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  if (format === 'json') {
    return `${JSON.stringify(
      sorted.map((p) => ({
        file: relative(p.file),
        line: p.range.start.line + 1,
        column: p.range.start.character + 1,
        endLine: p.range.end.line + 1,
        endColumn: p.range.end.character + 1,
        severity: p.severity,
        code: p.code,
        message: p.message,
      })),
      null,
      2,
    )}\n`;
  }
  if (format === 'github') {
    const level = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' } as const;
    const escape = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    return sorted
      .map(
        (p) =>
          `::${level[p.severity]} file=${relative(p.file)},line=${p.range.start.line + 1},col=${p.range.start.character + 1},` +
          `endLine=${p.range.end.line + 1},endColumn=${p.range.end.character + 1},title=${p.code}::${escape(p.message)}\n`,
      )
      .join('');
  }
  const lines = sorted.map(
    (p) => `${relative(p.file)}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity} [${p.code}] ${p.message}\n`,
  );
  const errors = problems.filter((p) => p.severity === 'error').length;
  lines.push(`${problems.length} problem(s), ${errors} error(s)\n`);
  return lines.join('');
}
