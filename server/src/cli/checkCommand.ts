import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { MigrationProject } from '../project/migrationProject';
import { Workspace } from '../workspace/workspace';
import { Problem } from '../core/problem';
import { filesAddedSince } from './changedMigrations';
import { usageError, withCommandProjects } from './commandProjects';
import { lintProjects } from './lintProjects';
import { sarifLog } from './sarifLog';
import { CHECK_OPTIONS } from './checkOptions';
import { parseCommandLine, UsageError } from './commonOptions';
import type { InputRecorder } from './inputRecorder';
import { printable } from './terminalText';
import { missingMigrationProblems } from './missingMigrationsCheck';
import { staleMaxMigrationProblems } from '../project/maxMigrationFiles';

const USAGE = `Usage: check [DIR] [--format text|json|github|sarif] [--changed-since REF] [--server-version VERSION]
             [--python PATH] [--settings MODULE] [--database-url URL] [--database ALIAS]

Reports every migration problem of the Django projects under DIR (default: the current folder),
and the findings of the lint rules configured in [tool.django-migrations] of pyproject.toml,
and the migrations makemigrations would write for models that changed (as makemigrations --check).
  --changed-since REF     lint only the migrations added since the branch left REF (git)
  --server-version V      the production server's version when the database cannot be asked
Exit status: 0 without errors, 1 with errors or missing migrations, 2 for a usage error.
`;

const FORMATS = ['text', 'json', 'github', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `check [DIR] [--format text|json|github]`: every diagnostic; exit 1 when any is an error.
 * `recorder`, with `--cache-dir`, records what the run reads so that its answer can be kept.
 */
export async function runCheck(argv: string[], out: NodeJS.WritableStream, recorder?: InputRecorder): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, CHECK_OPTIONS);
  } catch (error) {
    if (error instanceof UsageError) return usageError('check', error.message);
    throw error;
  }
  if (parsed.values.help) {
    out.write(USAGE);
    return 0;
  }
  const format = parsed.values.format as Format;
  if (!FORMATS.includes(format)) return usageError('check', `--format must be one of ${FORMATS.join(', ')}`);
  if (parsed.positionals.length > 1) return usageError('check', `one folder expected, got ${parsed.positionals.join(' ')}`);
  return withCommandProjects('check', parsed.positionals[0], parsed.values, async ({ root, workspace, projects }) => {
    if (recorder) await refuseDatabaseReads(recorder, workspace, projects);
    let only: Set<string> | undefined;
    const since = parsed.values['changed-since'];
    if (since !== undefined) {
      try {
        only = await filesAddedSince(root, since);
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr?.trim();
        return usageError('check', `--changed-since ${since}: ${stderr || (error instanceof Error ? error.message : String(error))}`);
      }
    }
    const lints = await lintProjects(workspace, projects, {
      serverVersion: parsed.values['server-version'],
      only,
      cacheDirectory: parsed.values['cache-dir'],
    });
    // Problems in files outside DIR (an installed app read through --python) are not the project's.
    const missing = (await Promise.all(projects.map((project) => missingMigrationProblems(project, parsed.values.python)))).flat();
    // A migration makemigrations would name after its operations may be named after the clock
    // (`0002_auto_20240101_1200`): the answer would not hold a minute later.
    if (missing.length > 0) recorder?.refuse('a missing migration, perhaps named after the time');
    const maxMigration = projects.flatMap((project) => staleMaxMigrationProblems(project.loaderResult()));
    const problems = unique([...projects.flatMap((project) => project.analyse().problems), ...missing, ...lints, ...maxMigration]).filter(
      (problem) => isInside(problem.file, root),
    );
    out.write(format === 'sarif' ? sarifLog(sortProblems(problems), root) : formatProblems(problems, format, root));
    return problems.some((problem) => problem.severity === 'error') ? 1 : 0;
  });
}

/**
 * The applied rows and server versions a check reads come from databases, which the recorder
 * cannot read again cheaply: an answer is kept only while each configured database is a SQLite
 * file that does not exist (nothing applied, nothing asked). Testing the file records it.
 */
async function refuseDatabaseReads(recorder: InputRecorder, workspace: Workspace, projects: readonly MigrationProject[]): Promise<void> {
  for (const project of projects) {
    for (const { settings } of await workspace.configuredDatabases(project)) {
      if (!settings) continue;
      if (settings.engine !== 'sqlite') recorder.refuse(`the ${settings.engine} database`);
      else if (existsSync(settings.name)) recorder.refuse(`the SQLite database ${settings.name}`);
    }
  }
}

function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** A pyproject.toml shared by two projects reports its problems once. */
function unique(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.range.start.line}:${p.range.start.character}:${p.code}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character,
  );
}

export function formatProblems(problems: readonly Problem[], format: Exclude<Format, 'sarif'>, root: string): string {
  const sorted = sortProblems(problems);
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
    // GitHub's workflow-command escaping: data escapes % CR LF; properties also : and ,.
    const escape = (text: string) => printable(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
    const property = (text: string) => escape(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
    return sorted
      .map(
        (p) =>
          `::${level[p.severity]} file=${property(relative(p.file))},line=${p.range.start.line + 1},col=${p.range.start.character + 1},` +
          `endLine=${p.range.end.line + 1},endColumn=${p.range.end.character + 1},title=${p.code}::${escape(p.message)}\n`,
      )
      .join('');
  }
  const lines = sorted.map(
    (p) =>
      `${printable(relative(p.file))}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity} [${p.code}] ${printable(p.message)}\n`,
  );
  const errors = problems.filter((p) => p.severity === 'error').length;
  lines.push(`${problems.length} problem(s), ${errors} error(s)\n`);
  return lines.join('');
}
