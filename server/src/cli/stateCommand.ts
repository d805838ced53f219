import { splitMigrationKey } from '../core/migration';
import { usageError, withCommandProjects } from './commandProjects';
import { parseCommandLine, UsageError } from './commonOptions';
import { printable } from './terminalText';
import { fieldJson, stateJson, ValueJson } from '../core/stateJson';

const USAGE = `Usage: state APP [MIGRATION] [--json] [--dir DIR] [--python PATH] [--settings MODULE] [--django-version X.Y]

The models of APP as Django's migration state has them (loader.project_state()): after MIGRATION
(a name or a unique prefix of one, as manage.py takes them), or after every app's leaf. With
--json, one object in the shape of docs/state-json.md; without it, each model and its fields.
Fields are written as the deconstruct() of the project's Django writes them (--django-version).
`;

/** `state APP [MIGRATION] --json`: the migration state of an app, as Django's loader makes it. */
export async function runState(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, {
      json: { type: 'boolean', default: false },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
  } catch (error) {
    if (error instanceof UsageError) return usageError('state', error.message);
    throw error;
  }
  if (parsed.values.help) {
    out.write(USAGE);
    return 0;
  }
  if (parsed.positionals.length < 1 || parsed.positionals.length > 2) return usageError('state', 'expected APP and an optional MIGRATION');
  const [app, prefix] = parsed.positionals;
  return withCommandProjects('state', parsed.values.dir, parsed.values, async (loaded) => {
    const project = loaded.projects.find((candidate) =>
      [...candidate.loaderResult().graph.nodes.keys()].some((key) => splitMigrationKey(key)[0] === app),
    );
    if (!project) {
      process.stderr.write(`state: App '${app}' does not have migrations.\n`);
      return 1;
    }
    const result = project.loaderResult();
    const states = project.migrationStates();
    let state = states.leafState();
    if (prefix !== undefined) {
      // Django's get_migration_by_prefix: an exact name, else the one name starting with it.
      const names = [...result.graph.nodes.keys()]
        .map(splitMigrationKey)
        .filter(([a]) => a === app)
        .map(([, name]) => name);
      const matches = names.includes(prefix) ? [prefix] : names.filter((name) => name.startsWith(prefix));
      if (matches.length !== 1) {
        const why =
          matches.length === 0
            ? `Cannot find a migration matching '${prefix}' from app '${app}'.`
            : `More than one migration matches '${prefix}' in app '${app}'. Please be more specific.`;
        process.stderr.write(`state: ${why}\n`);
        return 1;
      }
      state = states.stateAfter(`${app}.${matches[0]}`)!;
    }
    const document = stateJson(state, result.diskMigrations, new Set([app]), project.djangoVersion);
    if (parsed.values.json) {
      out.write(`${JSON.stringify(document, null, 2)}\n`);
      return 0;
    }
    for (const model of state.appModels(app)) {
      const unknown = model.isUnknown || state.unknownApps.has(app) ? ' (not fully known: operations that cannot be read)' : '';
      // Names and values come from the migration files: controls escaped, as in every text output.
      out.write(`${printable(`${app}.${model.name}`)}${unknown}\n`);
      for (const field of model.fields.values()) {
        const imports = result.diskMigrations.get(field.origin?.migration ?? '')?.parsed.imports ?? [];
        const json = fieldJson(field, state, imports, project.djangoVersion);
        out.write(`  ${printable(`${field.name}: ${field.unknown ? `unknown (${field.unknown})` : pythonText(json)}`)}\n`);
      }
    }
    return 0;
  });
}

/** A value of the state document as Python would write it. */
function pythonText(value: ValueJson): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonText).join(', ')}]`;
  if ('name' in value) return value.name;
  if ('opaque' in value) return value.opaque;
  if ('dict' in value)
    return `{${Object.entries(value.dict)
      .map(([k, v]) => `'${k}': ${pythonText(v)}`)
      .join(', ')}}`;
  const args = [...value.args.map(pythonText), ...Object.entries(value.kwargs).map(([k, v]) => `${k}=${pythonText(v)}`)];
  return `${value.call}(${args.join(', ')})`;
}
