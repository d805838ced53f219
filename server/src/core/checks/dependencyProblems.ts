import { reprKey } from '../exceptions';
import { LoaderResult, ResolvedDependency } from '../loader';
import { Migration, MigrationKey, migrationKey, splitMigrationKey } from '../migration';
import { Problem } from '../problem';

/** What the dependency checks look up across the project; it holds while no migration file comes or goes and no `replaces` changes. */
export interface DependencyCheckIndex {
  /** Each key a squash replaces, to that squash. */
  readonly replacedBy: ReadonlyMap<MigrationKey, MigrationKey>;
  /** The migrations of each app by number prefix (`shop.0004`), to suggest one for a missing name. */
  readonly byNumber: ReadonlyMap<string, readonly MigrationKey[]>;
}

export function dependencyCheckIndex(loaded: LoaderResult): DependencyCheckIndex {
  const replacedBy = new Map<MigrationKey, MigrationKey>();
  for (const [squash, migration] of loaded.replacements) {
    for (const replaced of migration.parsed.replaces) replacedBy.set(migrationKey(replaced.app, replaced.name), squash);
  }
  const byNumber = new Map<string, MigrationKey[]>();
  for (const [key, migration] of loaded.diskMigrations) {
    const number = `${migration.appLabel}.${migration.name.split('_', 1)[0]}`;
    const list = byNumber.get(number);
    if (list) list.push(key);
    else byNumber.set(number, [key]);
  }
  return { replacedBy, byNumber };
}

/**
 * The dependencies of one migration that Django cannot satisfy (a missing node, an unknown app,
 * an unresolvable swappable setting) and its dependencies on migrations a squash replaces, in
 * the order of its resolved dependencies.
 */
export function migrationDependencyProblems(loaded: LoaderResult, key: MigrationKey, index: DependencyCheckIndex): Problem[] {
  const problems: Problem[] = [];
  const migration = loaded.diskMigrations.get(key)!;
  for (const dependency of loaded.dependencies.get(key) ?? []) {
    const problem = dependencyProblem(migration, dependency, loaded.diskMigrations, loaded.graph.nodes, index);
    if (problem) problems.push(problem);
  }
  return problems;
}

function dependencyProblem(
  migration: Migration,
  { entry, attribute, resolution }: ResolvedDependency,
  disk: ReadonlyMap<MigrationKey, Migration>,
  graphNodes: ReadonlyMap<MigrationKey, Migration | null>,
  index: DependencyCheckIndex,
): Problem | undefined {
  const self = `${migration.appLabel}.${migration.name}`;
  const base = { file: migration.path, range: entry.range };
  switch (resolution.status) {
    case 'missing': {
      const [app, name] = splitMigrationKey(resolution.key);
      const squash = index.replacedBy.get(resolution.key);
      // The squash stands in for the deleted file, until its `replaces` goes.
      if (squash && graphNodes.has(squash)) return replacedDependency(entry, resolution.key, squash, disk, base);
      const suggestion = closestMigration(app, name, disk, index.byNumber);
      const role = attribute === 'dependencies' ? 'parent' : 'child';
      return {
        ...base,
        code: 'missing-dependency',
        severity: 'error',
        message:
          `Migration ${self} ${attribute === 'dependencies' ? 'dependencies' : 'run_before'} reference nonexistent ${role} node ${reprKey(app, name)}` +
          (suggestion ? `. Did you mean '${suggestion.name}'?` : ''),
        related: suggestion
          ? [{ file: suggestion.path, range: suggestion.parsed.classNameRange ?? base.range, message: `${app}.${suggestion.name}` }]
          : [],
        fixes:
          suggestion && 'nameRange' in entry && entry.nameRange
            ? [{ fix: 'replace-dependency', range: entry.nameRange, app, name: suggestion.name }]
            : [],
      };
    }
    case 'error':
      return { ...base, code: 'unknown-app', severity: 'error', message: `${resolution.error.message} (in ${self})` };
    case 'unresolved':
      return {
        ...base,
        code: 'unresolved-swappable-dependency',
        severity: 'information',
        message: `settings.${resolution.setting} is not known (no settings were read, or its value is only known when Python runs), so this dependency is not checked.`,
      };
    case 'edge': {
      const squash = index.replacedBy.get(resolution.key);
      if (!squash || attribute !== 'dependencies') return undefined;
      // Migrations inside the same squash depend on each other by design.
      if (index.replacedBy.get(`${migration.appLabel}.${migration.name}`) === squash) return undefined;
      return replacedDependency(entry, resolution.key, squash, disk, base);
    }
    default:
      return undefined;
  }
}

function replacedDependency(
  entry: ResolvedDependency['entry'],
  replaced: MigrationKey,
  squash: MigrationKey,
  disk: ReadonlyMap<MigrationKey, Migration>,
  base: { file: string; range: Problem['range'] },
): Problem {
  const [app, name] = splitMigrationKey(replaced);
  const [, squashName] = splitMigrationKey(squash);
  const squashMigration = disk.get(squash);
  return {
    ...base,
    code: 'dependency-on-replaced-migration',
    severity: 'warning',
    message:
      `${app}.${name} is replaced by the squashed migration ${app}.${squashName}. ` +
      `Depend on ${squashName} instead, or this dependency breaks when the squash is finished.`,
    related: squashMigration
      ? [{ file: squashMigration.path, range: squashMigration.parsed.attributeRanges.replaces ?? base.range, message: `replaces ${name}` }]
      : [],
    fixes: 'nameRange' in entry && entry.nameRange ? [{ fix: 'replace-dependency', range: entry.nameRange, app, name: squashName }] : [],
  };
}

/** A migration of the same app with the same number prefix, when there is exactly one. */
function closestMigration(
  app: string,
  name: string,
  disk: ReadonlyMap<MigrationKey, Migration>,
  byNumber: DependencyCheckIndex['byNumber'],
): Migration | undefined {
  const prefix = name.split('_', 1)[0];
  if (!/^\d+$/.test(prefix)) return undefined;
  const candidates = byNumber.get(`${app}.${prefix}`) ?? [];
  return candidates.length === 1 ? disk.get(candidates[0]) : undefined;
}
