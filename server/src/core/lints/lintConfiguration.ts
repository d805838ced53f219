import { ProblemSeverity } from '../problem';
import { ServerVersion } from './lintRule';
import { parseServerVersion } from './lintTarget';

/** A rule's severity in the configuration, or `off`. */
export type RuleLevel = ProblemSeverity | 'off';

/** Rule choices for the whole project or one app. */
export interface RuleSelection {
  /** Only these rules (undefined: every rule). */
  readonly select?: readonly string[];
  readonly ignore: readonly string[];
  readonly severity: Readonly<Record<string, RuleLevel>>;
}

/** `[tool.django-migrations]` of pyproject.toml, validated. */
export interface LintConfiguration extends RuleSelection {
  readonly perApp: Readonly<Record<string, RuleSelection>>;
  /** Migrations that predate adopting the rules: per app, every migration numbered up to this one. */
  readonly baseline: readonly { readonly app: string; readonly number: number }[];
  /** Server version per alias (`"*"` for every alias), for when the database cannot be asked. */
  readonly serverVersion: Readonly<Record<string, string>>;
  /** The project's Django release (`"4.2"`): which fixes exist, which server versions it supports. */
  readonly djangoVersion?: ServerVersion;
}

/** A configuration mistake, with the path of keys to it (`["per-app", "shop", "ignore"]`). */
export interface ConfigurationProblem {
  readonly path: readonly string[];
  readonly message: string;
  /** The offending value when it is a string (a rule id), to locate it in the file. */
  readonly value?: string;
}

export const EMPTY_CONFIGURATION: LintConfiguration = { ignore: [], severity: {}, perApp: {}, baseline: [], serverVersion: {} };

const LEVELS: readonly RuleLevel[] = ['error', 'warning', 'information', 'hint', 'off'];
const TOP_KEYS = new Set(['select', 'ignore', 'severity', 'per-app', 'baseline', 'server-version', 'django-version']);
const APP_KEYS = new Set(['select', 'ignore', 'severity']);

/**
 * Validates the `[tool.django-migrations]` table. Never throws: every wrong key, rule id or value
 * is a problem, and the rest of the configuration still applies.
 */
export function readLintConfiguration(
  raw: unknown,
  knownRules: ReadonlySet<string>,
): { configuration: LintConfiguration; problems: ConfigurationProblem[] } {
  const problems: ConfigurationProblem[] = [];
  if (raw === undefined) return { configuration: EMPTY_CONFIGURATION, problems };
  if (!isTable(raw)) {
    problems.push({ path: [], message: '[tool.django-migrations] must be a table.' });
    return { configuration: EMPTY_CONFIGURATION, problems };
  }
  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.has(key)) problems.push({ path: [key], message: `Unknown key '${key}'; expected one of ${[...TOP_KEYS].join(', ')}.` });
  }
  const top = readSelection(raw, [], knownRules, problems);
  const perApp: Record<string, RuleSelection> = {};
  const apps = raw['per-app'];
  if (apps !== undefined) {
    if (!isTable(apps)) problems.push({ path: ['per-app'], message: 'per-app must be a table of app labels.' });
    else {
      for (const [app, selection] of Object.entries(apps)) {
        if (!isTable(selection)) {
          problems.push({ path: ['per-app', app], message: `per-app.${app} must be a table.` });
          continue;
        }
        for (const key of Object.keys(selection)) {
          if (!APP_KEYS.has(key))
            problems.push({ path: ['per-app', app, key], message: `Unknown key '${key}'; expected one of ${[...APP_KEYS].join(', ')}.` });
        }
        perApp[app] = readSelection(selection, ['per-app', app], knownRules, problems);
      }
    }
  }
  return {
    configuration: {
      ...top,
      perApp,
      baseline: readBaseline(raw.baseline, problems),
      serverVersion: readServerVersion(raw['server-version'], problems),
      ...readDjangoVersion(raw['django-version'], problems),
    },
    problems,
  };
}

function readSelection(
  table: Record<string, unknown>,
  path: string[],
  knownRules: ReadonlySet<string>,
  problems: ConfigurationProblem[],
): RuleSelection {
  const ruleList = (key: string): string[] | undefined => {
    const value = table[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      problems.push({ path: [...path, key], message: `${key} must be a list of rule ids.` });
      return undefined;
    }
    for (const rule of value) {
      if (!knownRules.has(rule)) problems.push({ path: [...path, key], value: rule, message: `Unknown rule '${rule}'.` });
    }
    return value.filter((rule) => knownRules.has(rule));
  };
  const severity: Record<string, RuleLevel> = {};
  const levels = table.severity;
  if (levels !== undefined) {
    if (!isTable(levels)) problems.push({ path: [...path, 'severity'], message: 'severity must be a table of rule id = level.' });
    else {
      for (const [rule, level] of Object.entries(levels)) {
        if (!knownRules.has(rule)) problems.push({ path: [...path, 'severity', rule], message: `Unknown rule '${rule}'.` });
        else if (!LEVELS.includes(level as RuleLevel))
          problems.push({ path: [...path, 'severity', rule], message: `Level must be one of ${LEVELS.join(', ')}.` });
        else severity[rule] = level as RuleLevel;
      }
    }
  }
  const select = ruleList('select');
  return { ...(select ? { select } : {}), ignore: ruleList('ignore') ?? [], severity };
}

function readBaseline(value: unknown, problems: ConfigurationProblem[]): LintConfiguration['baseline'] {
  if (value === undefined) return [];
  const entries = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!entries) {
    problems.push({ path: ['baseline'], message: 'baseline must be "app.0042" or a list of them.' });
    return [];
  }
  const baseline: { app: string; number: number }[] = [];
  for (const entry of entries) {
    const match = typeof entry === 'string' ? /^([^.\s]+)\.(\d{4})/.exec(entry) : null;
    if (!match)
      problems.push({
        path: ['baseline'],
        value: typeof entry === 'string' ? entry : undefined,
        message: `'${String(entry)}' is not app_label.NNNN (for example "shop.0042").`,
      });
    else baseline.push({ app: match[1], number: Number(match[2]) });
  }
  return baseline;
}

function readServerVersion(value: unknown, problems: ConfigurationProblem[]): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value === 'string') return { '*': value };
  if (isTable(value) && Object.values(value).every((v) => typeof v === 'string')) return value as Record<string, string>;
  problems.push({ path: ['server-version'], message: 'server-version must be "15" or a table of alias = "15".' });
  return {};
}

function readDjangoVersion(value: unknown, problems: ConfigurationProblem[]): { djangoVersion?: ServerVersion } {
  if (value === undefined) return {};
  const version = typeof value === 'string' ? parseServerVersion(value) : undefined;
  if (version) return { djangoVersion: version };
  problems.push({ path: ['django-version'], message: 'django-version must be a release such as "4.2".' });
  return {};
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * A rule's level for one app: enabled by the project's select/ignore, then the app's own
 * (an app's select replaces the project's); the app's severity, else the project's, else the
 * rule's default. An opt-in rule is enabled by a select that names it or a severity.
 */
export function ruleLevel(
  configuration: LintConfiguration,
  app: string,
  rule: string,
  defaultLevel: ProblemSeverity,
  optIn = false,
): RuleLevel {
  const level = configuration.perApp[app]?.severity[rule] ?? configuration.severity[rule];
  let enabled = !optIn || (level !== undefined && level !== 'off');
  for (const selection of [configuration, configuration.perApp[app]]) {
    if (!selection) continue;
    if (selection.select) enabled = selection.select.includes(rule);
    if (selection.ignore.includes(rule)) enabled = false;
  }
  if (!enabled) return 'off';
  return level ?? defaultLevel;
}

/** Whether a migration predates adoption: its number is at most the app's baseline. */
export function isBaselined(configuration: LintConfiguration, app: string, name: string): boolean {
  const number = /^(\d{4})/.exec(name);
  if (!number) return false;
  return configuration.baseline.some((entry) => entry.app === app && Number(number[1]) <= entry.number);
}
