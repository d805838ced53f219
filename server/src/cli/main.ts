import { runBaseline } from './baselineCommand';
import { runCheck } from './checkCommand';
import { runGraph } from './graphCommand';
import { runRefactoring } from './lifecycleCommands';
import { runSqlmigrate } from './sqlmigrateCommand';
import { runState } from './stateCommand';
import { runStatus } from './statusCommand';
import type { InputRecorder } from './inputRecorder';

type Command = (argv: string[], out: NodeJS.WritableStream, recorder?: InputRecorder) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  check: {
    run: runCheck,
    summary: 'check [DIR] [--format text|json|github|sarif] [--changed-since REF]  report problems and lints; exit 1 on errors',
  },
  graph: { run: runGraph, summary: 'graph [DIR] --json                         the migration graph as Django builds it' },
  status: {
    run: runStatus,
    summary: 'status [DIR] [--database ALIAS] [--json]   which migrations are applied, as showmigrations lists them',
  },
  state: {
    run: runState,
    summary: 'state APP [MIGRATION] [--json]             the models of APP in the migration state, as Django replays it',
  },
  sqlmigrate: {
    run: (argv, out) => runSqlmigrate(argv, out),
    summary: 'sqlmigrate APP NAME [--backwards] [--dir DIR]  the SQL of a migration, exactly as manage.py prints it',
  },
  baseline: {
    run: runBaseline,
    summary: 'baseline [DIR]                              the lint baseline covering every migration there is now',
  },
  'finish-squash': {
    run: (argv, out) => runRefactoring('finish-squash', argv, out),
    summary: 'finish-squash APP SQUASH [--apply] [--dir DIR]  delete the replaced files, repoint dependents, drop replaces',
  },
  rename: {
    run: (argv, out) => runRefactoring('rename', argv, out),
    summary: 'rename APP OLD NEW [--apply] [--dir DIR]     rename a migration: file, references and recorded rows',
  },
  rebase: {
    run: (argv, out) => runRefactoring('rebase', argv, out),
    summary: 'rebase APP [--onto LEAF] [--apply] [--dir DIR]  renumber our branch after the other leaf instead of merging',
  },
};

function usage(): string {
  const lines = Object.values(COMMANDS).map((command) => `  ${command.summary}`);
  return [
    'Usage: django-migrations <command> [options]',
    '',
    ...lines,
    '',
    "Common options: --python PATH (the project's interpreter), --settings MODULE, --database-url URL, --django-version 3.2|4.2|5.2 (when --python does not tell)",
    '',
  ].join('\n');
}

/** Runs one command; `recorder` records the inputs of a `check` whose answer is to be kept. */
export async function main(argv: string[], recorder?: InputRecorder): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    const asked = name === undefined || name === '--help' || name === '-h';
    (asked ? process.stdout : process.stderr).write(usage());
    return asked ? 0 : 2;
  }
  return command.run(rest, process.stdout, recorder);
}
