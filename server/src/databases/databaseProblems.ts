import { promises as fs } from 'node:fs';
import { MigrationKey, migrationKey, splitMigrationKey } from '../core/migration';
import { Problem } from '../core/problem';
import { FILE_START, SourceRange } from '../core/sourceRange';
import { MigrationProject } from '../project/migrationProject';
import { appliedAgo } from '../../../protocol/appliedTime';
import { textBlobIds } from '../git/gitRepository';
import { DatabaseView, MigrationStateService } from './migrationStateService';

/**
 * Problems only the databases (and git) reveal in one migration file: an edit to a migration
 * already applied (stale), an edit to one already on the upstream branch, a migration applied
 * before its dependency, and rows recorded for migrations whose files are gone (shown on the
 * app's latest migration).
 *
 * @param text the file's text as the editor holds it; read from disk when undefined
 */
export async function databaseProblems(
  service: MigrationStateService,
  project: MigrationProject,
  file: string,
  text: string | undefined,
  now: number = Date.now(),
): Promise<Problem[]> {
  const migration = project.migrationAt(file);
  if (!migration) return [];
  const key = migrationKey(migration.appLabel, migration.name);
  const range = migration.parsed.classNameRange ?? FILE_START;
  const content = text ?? (await fs.readFile(file, 'utf8').catch(() => undefined));
  const ids = content === undefined ? [] : textBlobIds(content);
  const problems: Problem[] = [];
  const stale: { view: DatabaseView; appliedAt?: string }[] = [];

  for (const view of service.views(project)) {
    const applied = view.applied();
    if (!applied) continue;
    const database = `'${view.alias}'`;
    const inconsistent = applied.history.inconsistent.find((entry) => entry.migration === key);
    for (const dependency of inconsistent?.unappliedDependencies ?? []) {
      const [app, name] = splitMigrationKey(dependency);
      problems.push({
        code: 'inconsistent-history',
        severity: 'error',
        message:
          `Migration ${key} is applied before its dependency ${app}.${name} on database ${database}: ` +
          '`migrate` stops with InconsistentMigrationHistory until the dependency is applied (or this migration unapplied).',
        file,
        range: dependencyRange(view, key, dependency) ?? range,
      });
    }
    if (applied.recorded.has(key) && ids.length > 0) {
      const remembered = await service.rememberedHash(view, key);
      if (remembered && !ids.includes(remembered)) stale.push({ view, appliedAt: applied.recorded.get(key) ?? undefined });
    }
    const missing = [...applied.withoutFile].filter((recorded) => splitMigrationKey(recorded)[0] === migration.appLabel);
    if (missing.length > 0 && applied.loaded.graph.leafNodes(migration.appLabel).includes(key)) {
      for (const recorded of missing) {
        const [app, name] = splitMigrationKey(recorded);
        problems.push({
          code: 'applied-migration-missing-file',
          severity: 'warning',
          message:
            `${app}.${name} is recorded as applied on database ${database} (${appliedAgo(applied.recorded.get(recorded), now)}) ` +
            'but has no migration file: it was deleted or renamed. Django ignores the row; a renamed migration counts as ' +
            'unapplied under its new name and would run again there.',
          file,
          range,
        });
      }
    }
  }

  // A quick fix's result (a reverse function, a corrected dependency) changes nothing that ran.
  const accepted = ids.length > 0 && (await service.isAcceptedEdit(project, key, ids));
  if (stale.length > 0 && !accepted) {
    const where = stale.map(({ view, appliedAt }) => `'${view.alias}' (${appliedAgo(appliedAt, now)})`).join(', ');
    problems.push({
      code: 'stale-applied-migration',
      severity: 'warning',
      message:
        `This migration is applied on ${stale.length === 1 ? 'database' : 'databases'} ${where}, and its text differs ` +
        'from what was applied. Django never runs an applied migration again, so the database will drift from the ' +
        'migrations: undo the edit and make the change in a new migration (makemigrations), or unapply it first.',
      file,
      range,
    });
  }

  const published = await publishedVersion(service, project, file);
  if (published && ids.length > 0 && !ids.includes(published.blob) && !accepted) {
    problems.push({
      code: 'edited-published-migration',
      severity: 'warning',
      message:
        `This migration is already committed on ${published.upstream}, and it differs from that version. ` +
        'Databases that applied it from there will not run it again and will drift: put the change in a new migration instead.',
      file,
      range,
    });
  }
  return problems;
}

/** The file's blob in the commit the branch shares with its upstream branch. */
async function publishedVersion(
  service: MigrationStateService,
  project: MigrationProject,
  file: string,
): Promise<{ upstream: string; blob: string } | undefined> {
  const git = await service.git(project);
  const base = await git?.upstreamBase();
  if (!git || !base) return undefined;
  const blob = await git.blobId(base.commit, file);
  return blob ? { upstream: base.upstream, blob } : undefined;
}

/** The `dependencies` entry of `key` that names `dependency`. */
function dependencyRange(view: DatabaseView, key: MigrationKey, dependency: MigrationKey): SourceRange | undefined {
  const resolved = view.loaded().dependencies.get(key) ?? [];
  return resolved.find((entry) => entry.resolution.status === 'edge' && entry.resolution.key === dependency)?.entry.range;
}
