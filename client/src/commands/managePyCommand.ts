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
  const args = ['makemigrations', ...apps];
  if (options.merge) args.push('--merge');
  if (options.empty) args.push('--empty');
  if (options.name) args.push('--name', options.name);
  if (options.dryRun) args.push('--dry-run');
  return built(args, options.interactive);
}

/** `makemigrations --merge [APP]`: the quick fix of the conflicting-leaves diagnostic. */
export function mergeCommand(options: { readonly apps?: readonly string[]; readonly name?: string } & InteractiveOption): BuiltCommand {
  return makemigrationsCommand({ ...options, merge: true });
}

export function migrateCommand(options: MigrateOptions): BuiltCommand {
  if (options.target && !options.app) return invalid('A target migration needs its app.');
  const args = ['migrate'];
  if (options.app) args.push(options.app);
  if (options.target) args.push(options.target);
  if (options.fake) args.push('--fake');
  if (options.fakeInitial) args.push('--fake-initial');
  if (options.plan) args.push('--plan');
  if (options.database) args.push('--database', options.database);
  return built(args, options.interactive);
}

export function squashmigrationsCommand(options: SquashmigrationsOptions): BuiltCommand {
  if (!options.app || !options.end) return invalid('Squashing needs an app and the last migration to squash.');
  if (options.start && options.start === options.end) return invalid('The first and the last migration to squash are the same migration.');
  const nameProblem = checkName(options.squashedName, 'squashed name');
  if (nameProblem) return invalid(nameProblem);
  const args = ['squashmigrations', options.app];
  if (options.start) args.push(options.start);
  args.push(options.end);
  if (options.squashedName) args.push('--squashed-name', options.squashedName);
  if (options.noOptimize) args.push('--no-optimize');
  return built(args, options.interactive);
}

export function showmigrationsCommand(options: ShowmigrationsOptions = {}): BuiltCommand {
  const args = ['showmigrations', ...(options.apps ?? [])];
  if (options.database) args.push('--database', options.database);
  // It asks nothing and has no --noinput.
  return { ok: true, command: { args, title: title(args), interactive: false } };
}

/** A command that can ask questions; non-interactive gets `--noinput`. */
function built(args: string[], interactive = true): BuiltCommand {
  const named = title(args);
  if (!interactive) args.push('--noinput');
  return { ok: true, command: { args, title: named, interactive } };
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
  return /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name) ? undefined : `The ${what} must be a valid Python identifier: ${JSON.stringify(name)} is not.`;
}
