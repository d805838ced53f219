import * as vscode from 'vscode';
import { ClientContext } from '../clientContext';
import { MigrationElement, TreeElement } from './migrationTreeElements';
import { OPEN_MIGRATION_COMMAND } from './migrationTreeItems';
import { MigrationTreeProvider } from './migrationTreeProvider';

export const MIGRATIONS_VIEW = 'djangoMigrations.migrations';
/** Context key: the tree shows unapplied migrations only. */
const UNAPPLIED_ONLY_KEY = 'djangoMigrations.unappliedOnly';

/** Where a lens or command points: `{ projectRoot, alias?, app, name }`. */
interface MigrationTarget {
  readonly projectRoot?: string;
  readonly alias?: string;
  readonly app?: string;
  readonly name?: string;
  readonly file?: string;
}

/**
 * The Migrations view in its own activity-bar container: database alias → app → migration, kept
 * current by the server; its title buttons (refresh, unapplied only), item clicks (open the
 * file), reveal of the active editor's migration (and of a lens's), and a badge with the count
 * of unapplied migrations.
 */
export function migrationTreeFeature(context: ClientContext): void {
  const store = context.migrationState;
  const memento = context.extension.workspaceState;
  const provider = new MigrationTreeProvider(store, memento.get<boolean>(UNAPPLIED_ONLY_KEY, false));
  const view = vscode.window.createTreeView<TreeElement>(MIGRATIONS_VIEW, { treeDataProvider: provider, showCollapseAll: true });

  const showFilter = async (unappliedOnly: boolean) => {
    provider.unappliedOnly = unappliedOnly;
    view.description = unappliedOnly ? 'unapplied only' : undefined;
    await memento.update(UNAPPLIED_ONLY_KEY, unappliedOnly);
    await vscode.commands.executeCommand('setContext', UNAPPLIED_ONLY_KEY, unappliedOnly);
  };
  void showFilter(provider.unappliedOnly);

  const updateBadge = () => {
    const unapplied = (store.current?.projects ?? []).reduce((sum, project) => {
      const primary = project.aliases.find((alias) => alias.alias === project.primaryAlias);
      return sum + (primary?.unapplied ?? 0);
    }, 0);
    view.badge = unapplied > 0 ? { value: unapplied, tooltip: `${unapplied} unapplied migration${unapplied === 1 ? '' : 's'}` } : undefined;
  };

  const reveal = async (element: MigrationElement | undefined, focus: boolean) => {
    if (!element) return false;
    await view.reveal(element, { select: true, focus, expand: false });
    return true;
  };

  /** A migration named by a lens or a command, with the filter lifted when it hides it. */
  const revealTarget = async (target: MigrationTarget | undefined) => {
    if (!target?.projectRoot || !target.app || !target.name) return;
    const find = () => provider.model.migration(target.projectRoot!, target.alias, target.app!, target.name!);
    if (!find() && provider.unappliedOnly) await showFilter(false);
    if (!(await reveal(find(), true)))
      void vscode.window.showInformationMessage(`${target.app}.${target.name} is not in the Migrations view.`);
  };

  const revealActive = async (focus: boolean) => {
    const document = vscode.window.activeTextEditor?.document;
    if (document?.uri.scheme !== 'file') return false;
    return reveal(provider.model.migrationOfFile(document.uri.fsPath), focus);
  };

  context.extension.subscriptions.push(
    provider,
    view,
    store.onDidChange(updateBadge),
    vscode.commands.registerCommand('djangoMigrations.refreshMigrations', () =>
      vscode.window.withProgress({ location: { viewId: MIGRATIONS_VIEW } }, () => store.refresh()),
    ),
    vscode.commands.registerCommand('djangoMigrations.showUnappliedOnly', () => showFilter(true)),
    vscode.commands.registerCommand('djangoMigrations.showAllMigrations', () => showFilter(false)),
    vscode.commands.registerCommand(OPEN_MIGRATION_COMMAND, async (target?: MigrationTarget) => {
      if (target?.file) await vscode.window.showTextDocument(vscode.Uri.file(target.file), { preview: true });
    }),
    vscode.commands.registerCommand('djangoMigrations.revealMigration', (target?: MigrationTarget) => revealTarget(target)),
    vscode.commands.registerCommand('djangoMigrations.revealActiveMigration', async () => {
      if (!(await revealActive(true)))
        void vscode.window.showInformationMessage('The active editor holds no migration of the Migrations view.');
    }),
    vscode.window.onDidChangeActiveTextEditor(() => {
      if (view.visible && vscode.workspace.getConfiguration('djangoMigrations').get<boolean>('tree.autoReveal', true))
        void revealActive(false);
    }),
  );
}
