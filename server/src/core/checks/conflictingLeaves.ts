import { LoaderResult } from '../loader';
import { migrationKey } from '../migration';
import { Problem } from '../problem';
import { FILE_START } from '../sourceRange';

/** Apps with a missing node: it splits its app's history in two, and missing-dependency already names the cause. */
export function missingNodeApps(loaded: LoaderResult): Set<string> {
  return new Set(loaded.graph.dummyNodes().map((node) => node.app));
}

/**
 * More than one leaf in an app: Django's `migrate` refuses to run until they are merged. One
 * problem on each of the app's leaves (sorted names) when it has more than one.
 */
export function appConflicts(
  loaded: LoaderResult,
  app: string,
  leaves: readonly string[],
  appsWithMissingNodes: ReadonlySet<string>,
): Problem[] {
  const problems: Problem[] = [];
  if (leaves.length < 2 || appsWithMissingNodes.has(app)) return problems;
  const migrations = leaves.map((name) => loaded.diskMigrations.get(migrationKey(app, name)));
  for (const [index, migration] of migrations.entries()) {
    if (!migration) continue;
    const others = leaves.filter((_, i) => i !== index);
    problems.push({
      code: 'conflicting-leaves',
      severity: 'error',
      message:
        `Conflicting migrations in ${app}: ${leaves.join(', ')} are all leaf nodes. ` +
        `Django will not migrate until they are merged (makemigrations --merge).`,
      file: migration.path,
      range: migration.parsed.classNameRange ?? FILE_START,
      related: migrations
        .filter((other, i) => other && i !== index)
        .map((other) => ({
          file: other!.path,
          range: other!.parsed.classNameRange ?? FILE_START,
          message: `Also a leaf of ${app}: ${other!.name}`,
        })),
      fixes: others.length > 0 ? [{ fix: 'merge-migrations', app }] : [],
    });
  }
  return problems;
}
