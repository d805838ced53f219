/**
 * The exact `manage.py` argument lists behind the commands, built from the user's choices. Pure:
 * the editor runs them as tasks, tests run them with real Django and compare with manage.py.
 */

export interface ManagePyCommand {
  /** Arguments after `manage.py`. */
  readonly args: readonly string[];
  /** `manage.py migrate catalog 0002_seed`, for task names and messages. */
  readonly title: string;
  /** Django may ask questions (defaults for new fields, renames, confirmations): run it where the user can answer. */
  readonly interactive: boolean;
}

/** A command, or why the choices do not make one. */
export type BuiltCommand = { readonly ok: true; readonly command: ManagePyCommand } | { readonly ok: false; readonly message: string };

interface InteractiveOption {
  /** False adds `--noinput`: Django takes its defaults instead of asking. Default true. */
  readonly interactive?: boolean;
}

export interface MakemigrationsOptions extends InteractiveOption {
  /** App labels; all apps when empty. */
  readonly apps?: readonly string[];
  readonly name?: string;
  /** An empty migration (the start of a data migration); needs at least one app. */
  readonly empty?: boolean;
  readonly dryRun?: boolean;
  /** `--merge`: a migration joining an app's leaf nodes. */
  readonly merge?: boolean;
}

export interface MigrateOptions extends InteractiveOption {
  readonly app?: string;
  /** A migration name (or unambiguous prefix) of `app`, or `zero`; needs `app`. */
  readonly target?: string;
  readonly fake?: boolean;
  readonly fakeInitial?: boolean;
  /** `--plan`: print what would run, change nothing. */
  readonly plan?: boolean;
  /** A DATABASES alias. */
  readonly database?: string;
}

export interface SquashmigrationsOptions extends InteractiveOption {
  readonly app: string;
  /** First migration to squash; from the app's first when absent. */
  readonly start?: string;
  readonly end: string;
  readonly squashedName?: string;
  readonly noOptimize?: boolean;
}

export interface ShowmigrationsOptions {
  readonly apps?: readonly string[];
  readonly database?: string;
}

export function makemigrationsCommand(options: MakemigrationsOptions): BuiltCommand {
  const apps = options.apps ?? [];
  if (options.empty && apps.length === 0) return invalid('An empty migration needs an app: choose the app the data migration belongs to.');
  if (options.empty && options.merge) return invalid('--merge and --empty cannot be combined.');
  const nameProblem = checkName(options.name, 'migration name');
  if (nameProblem) return invalid(nameProblem);
  const flags: string[] = [];
  if (options.merge) flags.push('--merge');
  if (options.empty) flags.push('--empty');
  if (options.name) flags.push(...option('--name', options.name));
  if (options.dryRun) flags.push('--dry-run');
  return built('makemigrations', apps, flags, options.interactive);
}

/** `makemigrations --merge [APP]`: the quick fix of the conflicting-leaves diagnostic. */
export function mergeCommand(options: { readonly apps?: readonly string[]; readonly name?: string } & InteractiveOption): BuiltCommand {
  return makemigrationsCommand({ ...options, merge: true });
}

export function migrateCommand(options: MigrateOptions): BuiltCommand {
  if (options.target && !options.app) return invalid('A target migration needs its app.');
  const positionals = [options.app, options.target].filter((value): value is string => !!value);
  const flags: string[] = [];
  if (options.fake) flags.push('--fake');
  if (options.fakeInitial) flags.push('--fake-initial');
  if (options.plan) flags.push('--plan');
  if (options.database) flags.push(...option('--database', options.database));
  return built('migrate', positionals, flags, options.interactive);
}

export function squashmigrationsCommand(options: SquashmigrationsOptions): BuiltCommand {
  if (!options.app || !options.end) return invalid('Squashing needs an app and the last migration to squash.');
  if (options.start && options.start === options.end) return invalid('The first and the last migration to squash are the same migration.');
  const nameProblem = checkName(options.squashedName, 'squashed name');
  if (nameProblem) return invalid(nameProblem);
  const positionals = options.start ? [options.app, options.start, options.end] : [options.app, options.end];
  const flags: string[] = [];
  if (options.squashedName) flags.push(...option('--squashed-name', options.squashedName));
  if (options.noOptimize) flags.push('--no-optimize');
  return built('squashmigrations', positionals, flags, options.interactive);
}

export function showmigrationsCommand(options: ShowmigrationsOptions = {}): BuiltCommand {
  const args = ordered('showmigrations', options.apps ?? [], options.database ? option('--database', options.database) : []);
  // It asks nothing and has no --noinput.
  return { ok: true, command: { args, title: title(args), interactive: false } };
}

/** A command that can ask questions; non-interactive gets `--noinput`. */
function built(name: string, positionals: readonly string[], flags: readonly string[], interactive = true): BuiltCommand {
  const named = title(ordered(name, positionals, flags));
  const args = ordered(name, positionals, interactive ? flags : [...flags, '--noinput']);
  return { ok: true, command: { args, title: named, interactive } };
}

/**
 * Names come from files and databases: a migration file `--fake.py` is a migration Django loads.
 * A name that starts with `-` goes after argparse's `--`, where it can only be a positional.
 */
function ordered(name: string, positionals: readonly string[], flags: readonly string[]): string[] {
  if (!positionals.some((value) => value.startsWith('-'))) return [name, ...positionals, ...flags];
  return [name, ...flags, '--', ...positionals];
}

/** `--option=value` when the value could be read as an option of its own. */
function option(flag: string, value: string): string[] {
  return value.startsWith('-') ? [`${flag}=${value}`] : [flag, value];
}

function title(args: readonly string[]): string {
  return `manage.py ${args.join(' ')}`;
}

function invalid(message: string): BuiltCommand {
  return { ok: false, message };
}

/** Django refuses names that are not Python identifiers (the file must be importable). */
function checkName(name: string | undefined, what: string): string | undefined {
  if (name === undefined || name === '') return undefined;
  return /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name)
    ? undefined
    : `The ${what} must be a valid Python identifier: ${JSON.stringify(name)} is not.`;
}
