import { CodeLens } from 'vscode-languageserver/node';
import { MigrationKey, migrationKey } from '../core/migration';
import { FILE_START } from '../core/sourceRange';
import { MigrationProject } from '../project/migrationProject';
import { MigrationNodeState } from '../../../protocol/index';
import { ServerContext } from '../serverContext';
import { appliedInstant, timeAgo } from '../../../protocol/appliedTime';
import { DatabaseView } from '../databases/migrationStateService';
import { CodeLensSource } from './codeLenses';
import { databaseTree } from './databaseTree';
import { pathToUri } from './fileUri';

/** Client command: reveals `{ projectRoot, alias, app, name, file }` in the migrations tree. */
export const REVEAL_MIGRATION_COMMAND = 'djangoMigrations.revealMigration';
/** Client command: `(uri, position, locations)` shown as references (the dependents). */
export const SHOW_DEPENDENTS_COMMAND = 'djangoMigrations.showDependents';

/** Above `class Migration`: the applied state on each database, then how many migrations depend on it. */
export const appliedStateLenses: CodeLensSource = (context: ServerContext, project: MigrationProject, file: string): CodeLens[] => {
  const migration = project.migrationAt(file);
  if (!migration?.parsed.hasMigrationClass) return [];
  const range = migration.parsed.classNameRange ?? migration.parsed.classRange ?? FILE_START;
  const key = migrationKey(migration.appLabel, migration.name);
  const now = Date.now();
  const lenses: CodeLens[] = [];
  for (const view of context.workspace.databases.views(project) ?? []) {
    const title = lensTitle(view, databaseTree(view)?.byKey.get(key), now);
    if (!title) continue;
    const target = { projectRoot: project.project.root, alias: view.alias, app: migration.appLabel, name: migration.name, file };
    lenses.push({ range, command: { title, command: REVEAL_MIGRATION_COMMAND, arguments: [target] } });
  }
  const dependents = dependentsOf(project, key);
  lenses.push({
    range,
    command: {
      title: dependents.length === 0 ? 'no dependents' : `${dependents.length} dependent${dependents.length === 1 ? '' : 's'}`,
      command: SHOW_DEPENDENTS_COMMAND,
      arguments: [
        pathToUri(file),
        range.start,
        dependents.map((dependent) => ({
          uri: pathToUri(dependent.path),
          range: dependent.parsed.classNameRange ?? dependent.parsed.classRange ?? FILE_START,
        })),
      ],
    },
  });
  return lenses;
};

function lensTitle(view: DatabaseView, node: MigrationNodeState | undefined, now: number): string | undefined {
  const alias = view.alias;
  const { status } = view.snapshot;
  if (status === 'pending') return `reading ${alias}…`;
  if (status !== 'ok' && status !== 'missing-file') return `$(warning) ${alias}: ${status.replace(/-/g, ' ')}`;
  if (!node) return undefined;
  const ago = (appliedAt: string | undefined) => {
    const instant = appliedInstant(appliedAt);
    return instant === undefined ? '' : `, ${timeAgo(instant, now)}`;
  };
  switch (node.state) {
    case 'inconsistent':
      return `$(error) applied on ${alias} before its dependency ${node.unappliedDependencies?.[0] ?? ''}`;
    case 'replaced':
      return node.applied
        ? `applied on ${alias}${ago(node.appliedAt)} (replaced by ${node.replacedBy})`
        : `not applied on ${alias} (replaced by ${node.replacedBy})`;
    case 'squashed': {
      const squash = node.squash!;
      if (node.applied) {
        return node.recorded
          ? `$(check) applied on ${alias}${ago(node.appliedAt)}`
          : `$(check) applied on ${alias} through the ${squash.replaces} migrations it replaces${ago(node.appliedAt)}`;
      }
      return squash.appliedReplaced > 0
        ? `partly applied on ${alias}: ${squash.appliedReplaced} of the ${squash.replaces} migrations it replaces`
        : `not applied on ${alias}`;
    }
    default:
      return node.applied ? `$(check) applied on ${alias}${ago(node.appliedAt)}` : `not applied on ${alias}`;
  }
}

/** The migrations whose `dependencies` name this one, and those its `run_before` names. */
function dependentsOf(project: MigrationProject, key: MigrationKey) {
  const loaded = project.analyse().loaded;
  const found = new Set<MigrationKey>();
  for (const [dependent, resolved] of loaded.dependencies) {
    for (const dependency of resolved) {
      if (dependency.resolution.status !== 'edge') continue;
      if (dependency.attribute === 'dependencies' && dependency.resolution.key === key) found.add(dependent);
      if (dependency.attribute === 'run_before' && dependent === key) found.add(dependency.resolution.key);
    }
  }
  return [...found].sort().flatMap((dependent) => {
    const migration = loaded.diskMigrations.get(dependent);
    return migration ? [migration] : [];
  });
}
