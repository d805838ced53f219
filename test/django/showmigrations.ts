import * as assert from 'node:assert/strict';
import { migrationKey } from '../../server/src/core/migration';
import { AppliedMigrationsResult, readAppliedMigrations } from '../../server/src/db/recorder';
import { parseDatabaseUrl } from '../../server/src/db/databaseSettings';
import { loadProjects } from '../../server/src/project/projectLoader';
import { buildMigrationTree, MigrationTree } from '../../server/src/features/migrationTree';
import { DjangoProject, djangoPython } from './djangoProject';

/** One line of `showmigrations`: the name, its mark and the squash count of its title. */
export interface ListedMigration {
  readonly name: string;
  readonly applied: boolean;
  readonly squashed: number;
}

export type ShowmigrationsList = Record<string, ListedMigration[]>;

/** Runs the real `manage.py showmigrations` (with `args`, e.g. `--settings`); undefined when Django fails. */
export async function djangoShowmigrations(project: DjangoProject, ...args: string[]): Promise<ShowmigrationsList | undefined> {
  const result = await project.python(['manage.py', 'showmigrations', ...args]);
  if (result.code !== 0) return undefined;
  return parseShowmigrations(result.stdout);
}

/** Django 3.2's `show_list` output: an app label, then ` [X] name` / ` [ ] name (N squashed migrations)` lines. */
export function parseShowmigrations(output: string): ShowmigrationsList {
  const list: ShowmigrationsList = {};
  let current: ListedMigration[] | undefined;
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      current = list[line.trim()] = [];
      continue;
    }
    const mark = /^ \[([X -])\] (\S+)(?: \((\d+) squashed migrations\))?$/.exec(line);
    if (mark) current?.push({ name: mark[2], applied: mark[1] !== ' ', squashed: Number(mark[3] ?? 0) });
  }
  return list;
}

/** The same list from our tree: per app, the entries Django lists, in order. */
export function listOf(tree: MigrationTree): ShowmigrationsList {
  const list: ShowmigrationsList = {};
  for (const app of tree.apps) {
    if (app.external) continue;
    list[app.app] = app.migrations
      .filter((migration) => migration.listed)
      .map((migration) => ({ name: migration.name, applied: migration.applied, squashed: migration.squash?.replaces ?? 0 }));
  }
  return list;
}

export interface OurState {
  readonly tree: MigrationTree;
  readonly read: AppliedMigrationsResult;
  readonly graphErrors: number;
}

/**
 * Our tree for a project folder and a database URL: the projects loaded as the server loads them
 * (with the project's Python, so django.contrib apps are read), the rows read read-only.
 */
export async function ourState(dir: string, databaseUrl: string, alias = 'default'): Promise<OurState> {
  const [project] = await loadProjects(dir, { trusted: true, pythonPath: djangoPython });
  assert.ok(project, `no project in ${dir}`);
  const parsed = parseDatabaseUrl(databaseUrl, { baseDirectory: dir });
  assert.ok(parsed.ok);
  const read = await readAppliedMigrations(parsed.settings);
  const rows = read.status === 'ok' ? read.rows : [];
  const loaded = project.buildGraph(true, new Map(rows.map((row) => [migrationKey(row.app, row.name), row.applied])));
  const tree = buildMigrationTree({ alias, loaded, rows, apps: project.project.apps, externalApps: project.project.externalApps });
  return { tree, read, graphErrors: loaded.errors.length };
}
