import { detectConflicts } from '../loader';
import { migrationKey } from '../migration';
import { Problem } from '../problem';
import { FILE_START } from '../sourceRange';
import { GraphCheck } from './check';

/** More than one leaf in an app: Django's `migrate` refuses to run until they are merged. */
export const conflictingLeaves: GraphCheck = (loaded) => {
  const problems: Problem[] = [];
  // A missing node splits its app's history in two; missing-dependency already names the cause.
  const appsWithMissingNodes = new Set(loaded.graph.dummyNodes().map((node) => node.app));
  for (const [app, leaves] of detectConflicts(loaded.graph)) {
    if (appsWithMissingNodes.has(app)) continue;
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
  }
  return problems;
};
