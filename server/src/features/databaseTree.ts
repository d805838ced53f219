import { MigrationKey, migrationKey } from '../core/migration';
import { AppliedState } from '../databases/appliedState';
import { DatabaseView } from '../databases/migrationStateService';
import { AppMigrationState, MigrationNodeState } from '../../../protocol/index';
import { buildMigrationTree, MigrationTree } from './migrationTree';

export interface IndexedTree extends MigrationTree {
  /** Every node (children included) by key; a listed node wins over a squash's child. */
  readonly byKey: ReadonlyMap<MigrationKey, MigrationNodeState>;
  readonly byApp: ReadonlyMap<string, AppMigrationState>;
}

/** Built once per applied state: the service keeps one while neither the rows nor the files change. */
const trees = new WeakMap<AppliedState, IndexedTree>();

/** One database's tree as the Migrations view shows it; undefined while the database cannot be read. */
export function databaseTree(view: DatabaseView): IndexedTree | undefined {
  const applied = view.applied();
  if (!applied) return undefined;
  let tree = trees.get(applied);
  if (!tree) {
    const project = view.project;
    tree = indexTree(
      buildMigrationTree({
        alias: applied.alias,
        loaded: applied.loaded,
        rows: applied.rows,
        applied,
        apps: project.project.apps,
        externalApps: project.project.externalApps,
        djangoVersion: project.djangoVersion,
      }),
    );
    trees.set(applied, tree);
  }
  return tree;
}

function indexTree(tree: MigrationTree): IndexedTree {
  const byKey = new Map<MigrationKey, MigrationNodeState>();
  const add = (node: MigrationNodeState) => {
    const key = migrationKey(node.app, node.name);
    if (!byKey.has(key) || node.listed) byKey.set(key, node);
    for (const child of node.children ?? []) add(child);
  };
  for (const app of tree.apps) for (const node of app.migrations) add(node);
  return { ...tree, byKey, byApp: new Map(tree.apps.map((app) => [app.app, app])) };
}
