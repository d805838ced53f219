import * as vscode from 'vscode';
import { MigrationStateStore } from './migrationStateStore';
import { buildTreeModel, TreeElement, TreeModel } from './migrationTreeElements';
import { treeItemOf } from './migrationTreeItems';

/**
 * The migrations tree's data: rebuilt from the store's state when it changes (one event for the
 * whole tree; stable ids keep expansion and selection), filtered to unapplied migrations on
 * request. `getParent` makes `reveal` work.
 */
export class MigrationTreeProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private current: TreeModel;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly store: MigrationStateStore,
    private unappliedOnlyValue: boolean,
  ) {
    this.current = buildTreeModel(store.current, unappliedOnlyValue);
    this.subscription = store.onDidChange(() => this.rebuild());
  }

  get model(): TreeModel {
    return this.current;
  }

  get unappliedOnly(): boolean {
    return this.unappliedOnlyValue;
  }

  set unappliedOnly(value: boolean) {
    if (value === this.unappliedOnlyValue) return;
    this.unappliedOnlyValue = value;
    this.rebuild();
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    return treeItemOf(element, Date.now());
  }

  getChildren(element?: TreeElement): TreeElement[] {
    return [...(element ? this.current.children(element) : this.current.roots)];
  }

  getParent(element: TreeElement): TreeElement | undefined {
    return element.kind === 'project' ? undefined : element.parent;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private rebuild(): void {
    this.current = buildTreeModel(this.store.current, this.unappliedOnlyValue);
    this.changed.fire();
  }
}
