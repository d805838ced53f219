import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { planFinishSquash } from '../core/lifecycle/finishSquash';
import { AliasRows, PlanResult, RefactoringPlan } from '../core/lifecycle/refactoringPlan';
import { planRenameMigration } from '../core/lifecycle/renameMigration';
import { detectConflicts, LoaderResult } from '../core/loader';
import { planRebase } from '../core/lifecycle/rebaseMigrations';
import { filesOnUpstream } from '../git/upstreamFiles';
import { migrationKey } from '../core/migration';
import { DatabaseSettings, describeDatabase } from '../db/databaseSettings';
import { readAppliedMigrations } from '../db/recorder';
import { MigrationProject } from '../project/migrationProject';
import { withMaxMigrationFiles } from '../project/maxMigrationFiles';
import { projectFileCheck } from '../project/projectFiles';
import { writeRefactoring } from '../databases/refactoringWriter';
import { parseCommandLine, UsageError } from './commonOptions';
import { withCommandProjects } from './commandProjects';
import { printable } from './terminalText';
import { Workspace } from '../workspace/workspace';

const OPTIONS = {
  apply: { type: 'boolean', default: false },
  dir: { type: 'string' },
  onto: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

interface Refactoring {
  readonly usage: string;
  readonly positionals: number;
  plan(
    project: MigrationProject,
    loaded: LoaderResult,
    args: readonly string[],
    aliases: readonly AliasRows[],
    onto: string | undefined,
  ): PlanResult | string | Promise<PlanResult | string>;
}

const textOf = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

const REFACTORINGS: Record<string, Refactoring> = {
  'finish-squash': {
    usage: 'finish-squash APP SQUASH [--apply] [--dir DIR] [--database ALIAS] [--database-url URL]',
    positionals: 2,
    plan: (project, loaded, [app, name], aliases) => {
      const key = migrationKey(app, resolveName(loaded, app, name) ?? name);
      return planFinishSquash(loaded, key, aliases, textOf, projectFileCheck(project.project.root));
    },
  },
  rename: {
    usage: 'rename APP OLD NEW [--apply] [--dir DIR] [--database ALIAS] [--database-url URL]',
    positionals: 3,
    plan: (project, loaded, [app, old, next], aliases) => {
      const name = resolveName(loaded, app, old);
      if (name === undefined) return `no migration ${app}.${old} (or the prefix names several)`;
      return planRenameMigration(loaded, migrationKey(app, name), next, aliases, textOf, projectFileCheck(project.project.root));
    },
  },
  rebase: {
    usage: 'rebase APP [--onto LEAF] [--apply] [--dir DIR] [--database ALIAS] [--database-url URL]',
    positionals: 1,
    plan: async (project, loaded, [app], aliases, ontoName) => {
      const leaves = (detectConflicts(loaded.graph).get(app) ?? []).map((name) => migrationKey(app, name));
      if (leaves.length !== 2)
        return `'${app}' has ${leaves.length < 2 ? 'no conflicting leaves' : `${leaves.length} leaves`}: a rebase needs exactly two`;
      let onto: string | undefined;
      if (ontoName !== undefined) {
        const name = resolveName(loaded, app, ontoName);
        onto = name === undefined ? undefined : migrationKey(app, name);
        if (onto === undefined || !leaves.includes(onto)) return `--onto ${ontoName} is not one of the leaves ${leaves.join(', ')}`;
      } else {
        const files = leaves.map((key) => loaded.diskMigrations.get(key)!.path);
        const upstream = await filesOnUpstream(project.project.root, files);
        const upstreamLeaves = leaves.filter((_, index) => upstream?.has(files[index]));
        if (upstreamLeaves.length !== 1)
          return `git does not tell which of ${leaves.join(', ')} is on the upstream branch: say which to follow with --onto LEAF`;
        onto = upstreamLeaves[0];
      }
      const leaf = leaves.find((key) => key !== onto)!;
      return planRebase(loaded, leaf, onto, aliases, textOf, projectFileCheck(project.project.root));
    },
  },
};

/** A migration of APP by its name or a unique prefix, as `manage.py migrate APP PREFIX` accepts it. */
function resolveName(loaded: LoaderResult, app: string, prefix: string): string | undefined {
  const names = [...loaded.diskMigrations.values()].filter((m) => m.appLabel === app).map((m) => m.name);
  if (names.includes(prefix)) return prefix;
  const matches = names.filter((name) => name.startsWith(prefix));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * `finish-squash`, `rename`, `rebase`: print the plan (files, references, rows per database) and exit 0
 * when it is safe, 1 with the reasons when refused; with `--apply`, carry it out.
 */
export async function runRefactoring(command: string, argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const refactoring = REFACTORINGS[command];
  let parsed;
  try {
    parsed = parseCommandLine(argv, OPTIONS);
  } catch (error) {
    if (error instanceof UsageError) return usageError(command, error.message);
    throw error;
  }
  if (parsed.values.help) {
    out.write(`Usage: ${refactoring.usage}\n`);
    return 0;
  }
  if (parsed.positionals.length !== refactoring.positionals) return usageError(command, `usage: ${refactoring.usage}`);
  const values = parsed.values;
  const positionals = parsed.positionals;
  return withCommandProjects(
    command,
    values.dir,
    values,
    async ({ root, workspace, projects }) => {
      const app = positionals[0];
      const project = projects.find((candidate) => candidate.project.apps.some((a) => a.label === app));
      if (!project) {
        process.stderr.write(`${command}: no project under ${printable(root)} has an app '${printable(app)}'\n`);
        return 1;
      }
      const only = values.database ?? (values['database-url'] === undefined ? undefined : 'default');
      const databases = await projectDatabases(workspace, project, only);
      const aliases = await Promise.all([...databases].map(([alias, settings]) => aliasRows(alias, settings)));
      const loaded = project.unappliedLoaderResult();
      const result = await refactoring.plan(project, loaded, positionals, aliases, values.onto);
      if (typeof result === 'string') {
        out.write(`Refused: ${printable(result)}\n`);
        return 1;
      }
      const planned = result.ok ? { ok: true as const, plan: withMaxMigrationFiles(result.plan, loaded) } : result;
      out.write(planText(planned, root));
      if (!planned.ok) return 1;
      if (!values.apply) {
        out.write('Nothing changed: run again with --apply to do it.\n');
        return 0;
      }
      const written = await writeRefactoring(
        planned.plan,
        new Map([...databases].filter((entry): entry is [string, DatabaseSettings] => !!entry[1])),
      );
      if (!written.ok) {
        out.write(`Failed: ${printable(written.reason)}\n`);
        return 1;
      }
      out.write('Done.\n');
      return 0;
    },
    // Each alias's rows are read below, for the plan.
    { readApplied: false },
  );
}

/** The aliases to check: `--database` (with `--database-url` for it) alone, else every configured one. */
async function projectDatabases(
  workspace: Workspace,
  project: MigrationProject,
  alias: string | undefined,
): Promise<Map<string, DatabaseSettings | undefined>> {
  const configured = await workspace.configuredDatabases(project);
  const chosen = configured.filter((database) => alias === undefined || database.alias === alias);
  if (alias !== undefined && chosen.length === 0) return new Map([[alias, undefined]]);
  return new Map(chosen.map((database) => [database.alias, database.settings]));
}

async function aliasRows(alias: string, settings: DatabaseSettings | undefined): Promise<AliasRows> {
  if (!settings) return { alias, status: 'unreadable', reason: `no usable DATABASES entry '${alias}'` };
  const result = await readAppliedMigrations(settings);
  if (result.status === 'missing-file') return { alias, status: 'ok', recorded: new Set() };
  if (result.status !== 'ok') return { alias, status: 'unreadable', reason: `${describeDatabase(settings)}: ${result.message}` };
  return { alias, status: 'ok', recorded: new Set(result.rows.map((row) => migrationKey(row.app, row.name))) };
}

function planText(result: PlanResult, root: string): string {
  const lines: string[] = [];
  const relative = (file: string): string => printable(path.relative(root, file));
  if (result.ok) lines.push(printable(result.plan.title));
  const report = result.ok ? result.plan.report : result.report;
  lines.push('Databases:', ...report.map((line) => `  ${printable(line)}`));
  if (!result.ok) {
    lines.push('Refused:', ...result.reasons.map((reason) => `  ${printable(reason)}`));
    return `${lines.join('\n')}\n`;
  }
  const plan: RefactoringPlan = result.plan;
  if (plan.renames.length > 0) lines.push('Files renamed:', ...plan.renames.map((r) => `  ${relative(r.from)} -> ${relative(r.to)}`));
  if (plan.deletes.length > 0) lines.push('Files deleted:', ...plan.deletes.map((file) => `  ${relative(file)}`));
  if (plan.edits.length > 0)
    lines.push(
      'Edits:',
      ...plan.edits.map(
        (edit) =>
          `  ${relative(edit.path)}:${edit.range.start.line + 1}:${edit.range.start.character + 1} ${edit.newText === '' ? 'delete' : `'${printable(edit.newText)}'`}`,
      ),
    );
  for (const { alias, renames } of plan.rows) {
    lines.push(`Rows of '${printable(alias)}':`, ...renames.map((r) => `  ${printable(`${r.app}.${r.from} -> ${r.app}.${r.to}`)}`));
  }
  return `${lines.join('\n')}\n`;
}

function usageError(command: string, message: string): number {
  process.stderr.write(`${command}: ${printable(message)}\n`);
  return 2;
}
