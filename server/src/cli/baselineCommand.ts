import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { MigrationProject } from '../project/migrationProject';
import { loadProjects } from '../project/projectLoader';
import { parseCommandLine, UsageError } from './commonOptions';
import { printable } from './terminalText';

const USAGE = `Usage: baseline [DIR] [--settings MODULE]

Prints, for each Django project under DIR, the baseline of [tool.django-migrations] that covers
every migration it has now: the highest-numbered migration of each of its apps (the apps under
DIR). Paste it into the project's pyproject.toml when adopting the lint rules: those migrations
and earlier ones are no longer linted, new ones are. Writes nothing.
`;

/** `baseline [DIR]`: the `baseline = [...]` line for each project's pyproject.toml. */
export async function runBaseline(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, { help: { type: 'boolean', short: 'h', default: false } });
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message);
    throw error;
  }
  if (parsed.values.help) {
    out.write(USAGE);
    return 0;
  }
  if (parsed.positionals.length > 1) return usageError('expected at most one DIR');
  const root = path.resolve(parsed.positionals[0] ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) return usageError(`${root} is not a folder`);
  // Read statically: no Python, no database.
  const projects = await loadProjects(root, { trusted: false, settingsModule: parsed.values.settings });
  for (const project of projects) {
    out.write(`# ${printable(path.relative(root, path.join(project.project.root, 'pyproject.toml')) || 'pyproject.toml')}\n`);
    out.write(
      `[tool.django-migrations]\nbaseline = [${baselineEntries(project, root)
        .map((entry) => JSON.stringify(entry))
        .join(', ')}]\n`,
    );
  }
  return 0;
}

/** `app.NNNN` of the highest-numbered migration of each app whose files are under `root`, by app label. */
export function baselineEntries(project: MigrationProject, root: string): string[] {
  const highest = new Map<string, number>();
  for (const migration of project.loaderResult().diskMigrations.values()) {
    const relative = path.relative(root, migration.path);
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    const number = /^(\d{4,})/.exec(migration.name);
    if (!number) continue;
    highest.set(migration.appLabel, Math.max(highest.get(migration.appLabel) ?? 0, Number(number[1])));
  }
  return [...highest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([app, number]) => `${app}.${String(number).padStart(4, '0')}`);
}

function usageError(message: string): number {
  process.stderr.write(`baseline: ${message}\n`);
  return 2;
}
