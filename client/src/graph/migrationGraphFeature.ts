import * as vscode from 'vscode';
import { MigrationStateResult } from '../../../protocol/index';
import { ClientContext } from '../clientContext';
import { GraphScope, MigrationGraphPanel } from './migrationGraphPanel';

export const SHOW_MIGRATION_GRAPH_COMMAND = 'djangoMigrations.showMigrationGraph';

/**
 * "Show Migration Graph": from an alias or app of the tree (that alias, that app or the whole
 * project), or from the palette (the app of the migration in the active editor, else the
 * project's first app of its own).
 */
export function migrationGraphFeature(context: ClientContext): void {
  const store = context.migrationState;
  context.extension.subscriptions.push(
    vscode.commands.registerCommand(SHOW_MIGRATION_GRAPH_COMMAND, async (argument?: unknown) => {
      if (!store.current) await store.fetch();
      const scope = graphScope(store.current, argument, vscode.window.activeTextEditor?.document.uri);
      if (!scope) {
        void vscode.window.showInformationMessage('No Django project with migrations is open.');
        return;
      }
      MigrationGraphPanel.show(context, store, scope);
    }),
  );
}

function graphScope(state: MigrationStateResult | undefined, argument: unknown, active: vscode.Uri | undefined): GraphScope | undefined {
  const projects = state?.projects ?? [];
  const given = typeof argument === 'object' && argument !== null ? (argument as Record<string, unknown>) : {};
  const text = (key: string) => (typeof given[key] === 'string' ? (given[key] as string) : undefined);
  const projectRoot = text('projectRoot');
  if (projectRoot) {
    const alias = text('alias');
    // An app of the tree, or an alias (the whole project).
    return { projectRoot, ...(alias ? { alias } : {}), app: text('app') ?? (given.kind === 'alias' ? null : firstApp(state, projectRoot)) };
  }
  const file = active?.scheme === 'file' ? active.fsPath : undefined;
  for (const project of projects) {
    for (const alias of project.aliases) {
      for (const app of alias.apps) {
        if (file && app.migrations.some((node) => node.file === file || node.children?.some((child) => child.file === file)))
          return { projectRoot: project.root, app: app.app };
      }
    }
  }
  // The databases may not be read yet: the server knows the file's app from its index.
  const owner = file ? projects.find((candidate) => file.startsWith(`${candidate.root}/`)) : undefined;
  if (owner && file) return { projectRoot: owner.root, app: null, file };
  const project = projects[0];
  return project ? { projectRoot: project.root, app: firstApp(state, project.root) } : undefined;
}

/** The first app whose migrations lie inside the project, else the first app. */
function firstApp(state: MigrationStateResult | undefined, projectRoot: string): string | null {
  const project = state?.projects.find((candidate) => candidate.root === projectRoot);
  const alias = project?.aliases.find((candidate) => candidate.alias === project.primaryAlias) ?? project?.aliases[0];
  const apps = alias?.apps ?? [];
  const own = apps.find((app) => app.migrations.some((node) => node.file?.startsWith(`${projectRoot}/`)));
  return (own ?? apps[0])?.app ?? null;
}
