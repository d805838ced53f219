import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { DotEnvProblem, parseDotEnv } from './dotEnv';
import { secretsOfEnvironment } from './secretRedaction';

/** Where the interpreter came from, so messages can say what to change. */
export type PythonSource = 'explicit' | 'virtualEnvironment' | 'path';

/** Where the settings module came from. */
export type SettingsSource = 'explicit' | 'environment' | 'manage.py';

export interface PythonEnvironmentOptions {
  /** The folder of `manage.py`: working directory and first entry of `sys.path`. */
  readonly projectRoot: string;
  /** The `djangoMigrations.python.path` setting or `--python`. Relative paths are read from the project root. */
  readonly pythonPath?: string;
  /** The `djangoMigrations.settings.module` setting or `--settings`. */
  readonly settingsModule?: string;
  /** The module `manage.py` gives to `os.environ.setdefault('DJANGO_SETTINGS_MODULE', ...)`. */
  readonly manageSettingsModule?: string;
  /** The environment to start from; the current process's by default. */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform;
}

export interface EnvironmentProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** Everything needed to run the project's Python the way `python manage.py` would run. */
export interface PythonEnvironment {
  readonly projectRoot: string;
  readonly python: string;
  readonly pythonSource: PythonSource;
  readonly settingsModule?: string;
  readonly settingsSource?: SettingsSource;
  /** The child's whole environment: base, then `.env` entries the base does not set. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * The same variables looked up by name, without listing the base: a `check` whose answer is
   * kept depends on the variables it read, not on every one the process has.
   */
  readonly variables: Readonly<Record<string, string | undefined>>;
  readonly dotEnvFiles: readonly string[];
  /** Values never to show in logs or messages. */
  readonly secrets: readonly string[];
  readonly problems: readonly EnvironmentProblem[];
}

const DOT_ENV_FILES = ['.env'];

/**
 * Chooses the interpreter (explicit path, else the project's `.venv` or `venv`, else `python3`
 * from PATH), the settings module (explicit, else DJANGO_SETTINGS_MODULE of the environment,
 * else what `manage.py` sets by default) and the child's environment with the project's `.env`.
 * Never throws: unreadable or malformed `.env` files become problems.
 */
export function resolvePythonEnvironment(options: PythonEnvironmentOptions): PythonEnvironment {
  const projectRoot = resolve(options.projectRoot);
  const platform = options.platform ?? process.platform;
  const base = options.baseEnv ?? process.env;
  const problems: EnvironmentProblem[] = [];

  // What `.env` adds, then what running the project's Python sets: over the base, lazily, so that
  // a lookup by name reads only that variable of the process (see `variables`).
  const added: Record<string, string> = {};

  // Like python-dotenv without override: what the user's environment already sets wins.
  const dotEnvFiles: string[] = [];
  for (const name of DOT_ENV_FILES) {
    const file = join(projectRoot, name);
    if (!existsSync(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push({ file, message: `Cannot read ${name}: ${(error as Error).message}` });
      continue;
    }
    dotEnvFiles.push(file);
    const parsed = parseDotEnv(text, (variable) => base[variable]);
    for (const [key, value] of parsed.values) if (base[key] === undefined) added[key] = value;
    problems.push(...parsed.problems.map((problem: DotEnvProblem) => ({ file, line: problem.line, message: problem.message })));
  }

  const { python, pythonSource } = choosePython(projectRoot, options.pythonPath, platform);
  if (pythonSource === 'virtualEnvironment') {
    // What `activate` does, so tools the project runs from Python find the environment's own.
    const bin = dirname(python);
    added.VIRTUAL_ENV = dirname(bin);
    // Windows spells it as it likes (Path); elsewhere it is PATH.
    const pathKey = (platform === 'win32' ? Object.keys(base).find((key) => key.toUpperCase() === 'PATH') : undefined) ?? 'PATH';
    const path = added[pathKey] ?? base[pathKey];
    added[pathKey] = path ? `${bin}${delimiter}${path}` : bin;
  }

  const explicitSettings = options.settingsModule?.trim() || undefined;
  const environmentSettings = (added.DJANGO_SETTINGS_MODULE ?? base.DJANGO_SETTINGS_MODULE)?.trim() || undefined;
  const manageSettings = options.manageSettingsModule?.trim() || undefined;
  const settingsModule = explicitSettings ?? environmentSettings ?? manageSettings;
  const settingsSource: SettingsSource | undefined = explicitSettings
    ? 'explicit'
    : environmentSettings
      ? 'environment'
      : manageSettings
        ? 'manage.py'
        : undefined;
  if (settingsModule) added.DJANGO_SETTINGS_MODULE = settingsModule;
  // Output as UTF-8 whatever the locale, and unbuffered so progress streams as it happens.
  added.PYTHONIOENCODING = 'utf-8';
  added.PYTHONUNBUFFERED = '1';

  const variables = Object.assign(Object.create(base) as Record<string, string | undefined>, added);
  let env: Record<string, string> | undefined;
  const wholeEnvironment = () => {
    if (env) return env;
    env = {};
    for (const [name, value] of Object.entries(base)) if (value !== undefined) env[name] = value;
    return Object.assign(env, added);
  };

  return {
    projectRoot,
    python,
    pythonSource,
    settingsModule,
    settingsSource,
    get env() {
      return wholeEnvironment();
    },
    variables,
    dotEnvFiles,
    get secrets() {
      return secretsOfEnvironment(wholeEnvironment());
    },
    problems,
  };
}

function choosePython(
  projectRoot: string,
  pythonPath: string | undefined,
  platform: NodeJS.Platform,
): { python: string; pythonSource: PythonSource } {
  const explicit = pythonPath?.trim();
  if (explicit) {
    // A bare command name ("python3.11") is looked up on PATH; a path is read from the project root.
    const isPath = explicit.includes('/') || explicit.includes('\\');
    return { python: isPath && !isAbsolute(explicit) ? resolve(projectRoot, explicit) : explicit, pythonSource: 'explicit' };
  }
  const inEnvironment = platform === 'win32' ? ['Scripts', 'python.exe'] : ['bin', 'python'];
  for (const folder of ['.venv', 'venv']) {
    const candidate = join(projectRoot, folder, ...inEnvironment);
    if (existsSync(candidate)) return { python: candidate, pythonSource: 'virtualEnvironment' };
  }
  return { python: platform === 'win32' ? 'python' : 'python3', pythonSource: 'path' };
}

/** Identifies one helper process: same root, interpreter and settings share one. */
export function pythonEnvironmentKey(environment: PythonEnvironment): string {
  return JSON.stringify([environment.projectRoot, environment.python, environment.settingsModule ?? null]);
}
