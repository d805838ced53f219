import * as path from 'node:path';
import { describeDatabase } from '../db/databaseSettings';
import { DatabaseView, MigrationStateService } from '../databases/migrationStateService';
import { MigrationProject } from '../project/migrationProject';
import { AliasMigrationState, MigrationStateResult, ProjectMigrationState } from '../../../protocol/index';
import { databaseTree } from './databaseTree';

/** Every project with every alias, for the Migrations view and the status bar. */
export function migrationStateResult(service: MigrationStateService, projects: readonly MigrationProject[]): MigrationStateResult {
  const result: ProjectMigrationState[] = [];
  for (const project of projects) {
    const root = project.project.root;
    const views = service.views(project);
    result.push({ root, name: path.basename(root), primaryAlias: service.primaryAlias(project), aliases: views.map(aliasState) });
  }
  return { version: service.currentVersion, projects: result };
}

function aliasState(view: DatabaseView): AliasMigrationState {
  const { snapshot, configured } = view;
  const tree = databaseTree(view);
  return {
    alias: view.alias,
    database: configured.settings ? describeDatabase(configured.settings) : `alias '${view.alias}'`,
    engine: configured.settings?.engine ?? 'unknown',
    source: configured.source,
    status: snapshot.status,
    ...(snapshot.message ? { message: snapshot.message } : {}),
    hasTable: snapshot.hasTable,
    ...(snapshot.checkedAt !== undefined ? { checkedAt: new Date(snapshot.checkedAt).toISOString() } : {}),
    retrying: snapshot.retrying,
    apps: tree?.apps ?? [],
    unapplied: tree?.unapplied ?? 0,
    ...(tree?.consistencyError ? { consistencyError: tree.consistencyError } : {}),
  };
}
