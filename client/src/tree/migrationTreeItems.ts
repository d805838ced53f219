import * as vscode from 'vscode';
import { describeMigration } from './migrationDescription';
import { AliasMigrationState, MigrationNodeState } from '../../../protocol/index';
import { appliedInstant, timeAgo } from '../../../protocol/appliedTime';
import { AliasElement, AppElement, InstalledAppsElement, MigrationElement, TreeElement } from './migrationTreeElements';

/** The command a migration item runs when clicked. */
export const OPEN_MIGRATION_COMMAND = 'djangoMigrations.openMigration';

/** How each element looks: label, description, icon, tooltip, contextValue. */
export function treeItemOf(element: TreeElement, now: number): vscode.TreeItem {
  switch (element.kind) {
    case 'project': {
      const item = new vscode.TreeItem(element.project.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = element.id;
      item.description = vscode.workspace.asRelativePath(element.projectRoot, true);
      item.iconPath = new vscode.ThemeIcon('folder');
      item.tooltip = element.projectRoot;
      item.contextValue = 'djangoMigrations.project';
      return item;
    }
    case 'alias':
      return aliasItem(element, now);
    case 'app':
      return appItem(element);
    case 'installedApps':
      return installedAppsItem(element);
    case 'migration':
      return migrationItem(element, now);
    case 'message': {
      const item = new vscode.TreeItem(element.text, vscode.TreeItemCollapsibleState.None);
      item.id = element.id;
      item.tooltip = element.tooltip ?? element.text;
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = 'djangoMigrations.message';
      return item;
    }
  }
}

function aliasItem(element: AliasElement, now: number): vscode.TreeItem {
  const state = element.state;
  const item = new vscode.TreeItem(element.alias, vscode.TreeItemCollapsibleState.Expanded);
  item.id = element.id;
  // `djangoMigrations.alias.sqlite`: menus offer a password only to database servers.
  item.contextValue = `djangoMigrations.alias.${state.engine}`;
  const readable = state.status === 'ok' || state.status === 'missing-file';
  const counts = readable ? (state.unapplied > 0 ? `${state.unapplied} unapplied` : 'all applied') : statusText(state);
  item.description = [counts, element.primary ? undefined : 'not the primary alias'].filter(Boolean).join(' · ');
  item.iconPath =
    state.status === 'pending'
      ? new vscode.ThemeIcon('loading~spin')
      : !readable
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : state.consistencyError
          ? new vscode.ThemeIcon('database', new vscode.ThemeColor('list.errorForeground'))
          : new vscode.ThemeIcon('database');
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escape(element.alias)}**: ${escape(state.database)}\n\n`);
  tooltip.appendMarkdown(`Connection settings from ${SOURCES[state.source]}.`);
  if (element.primary) tooltip.appendMarkdown(' This alias drives the diagnostics, lenses and the status bar.');
  tooltip.appendMarkdown('\n\n');
  if (state.message) tooltip.appendMarkdown(`${escape(state.message)}\n\n`);
  if (readable && !state.hasTable) tooltip.appendMarkdown('No `django_migrations` table: nothing is applied yet.\n\n');
  if (state.consistencyError) tooltip.appendMarkdown(`$(error) ${escape(state.consistencyError)}\n\n`);
  const checked = state.checkedAt ? Date.parse(state.checkedAt) : undefined;
  if (checked !== undefined) tooltip.appendMarkdown(`Read ${timeAgo(checked, now)}${state.retrying ? '; read again by itself' : ''}.`);
  item.tooltip = tooltip;
  return item;
}

const SOURCES: Record<AliasMigrationState['source'], string> = {
  settings: "the project's settings",
  django: "the project's Django (DATABASES as it computes it)",
  setting: 'the `djangoMigrations.databases.connections` setting',
};

function appItem(element: AppElement): vscode.TreeItem {
  const state = element.state;
  const item = new vscode.TreeItem(
    element.app,
    state.unapplied > 0 || element.conflicting ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = element.id;
  // `djangoMigrations.app.conflicting`: Merge is offered only where there is something to merge.
  item.contextValue = element.conflicting ? 'djangoMigrations.app.conflicting' : 'djangoMigrations.app';
  item.iconPath = new vscode.ThemeIcon('package');
  const total = state.applied + state.unapplied;
  item.description = state.external
    ? `${state.migrations.length} applied · files not read`
    : total === 0
      ? 'no migrations'
      : state.unapplied > 0
        ? `${state.unapplied} of ${total} unapplied`
        : `all ${total} applied`;
  item.tooltip = state.external
    ? `${element.app}: an app outside the workspace. Its applied migrations are listed; set djangoMigrations.python.path to read its files.`
    : `${element.app}: ${state.applied} applied, ${state.unapplied} unapplied`;
  return item;
}

function installedAppsItem(element: InstalledAppsElement): vscode.TreeItem {
  const item = new vscode.TreeItem('Installed packages', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = element.id;
  item.contextValue = 'djangoMigrations.installedApps';
  item.iconPath = new vscode.ThemeIcon('library');
  const unapplied = element.apps.reduce((sum, app) => sum + app.unapplied, 0);
  const count = `${element.apps.length} app${element.apps.length === 1 ? '' : 's'}`;
  item.description = unapplied > 0 ? `${count} · ${unapplied} unapplied` : `${count} · all applied`;
  item.tooltip = `Apps installed from packages (django.contrib, site-packages): ${element.apps.map((app) => app.app).join(', ')}.`;
  return item;
}

function migrationItem(element: MigrationElement, now: number): vscode.TreeItem {
  const node = element.node;
  const item = new vscode.TreeItem(
    node.name,
    node.children && node.children.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = element.id;
  item.contextValue = `djangoMigrations.migration.${node.state}`;
  item.description = describeMigration(node);
  item.iconPath = iconOf(node);
  item.tooltip = tooltipOf(element, now);
  if (node.file) {
    item.command = { command: OPEN_MIGRATION_COMMAND, title: 'Open Migration', arguments: [element] };
  }
  return item;
}

function agoText(appliedAt: string | undefined, now: number): string {
  const instant = appliedInstant(appliedAt);
  return instant === undefined ? '' : ` ${timeAgo(instant, now)}`;
}

function iconOf(node: MigrationNodeState): vscode.ThemeIcon {
  const passed = new vscode.ThemeColor('testing.iconPassed');
  switch (node.state) {
    case 'applied':
      return new vscode.ThemeIcon('pass-filled', passed);
    case 'unapplied':
      return new vscode.ThemeIcon('circle-large-outline');
    case 'squashed':
      return new vscode.ThemeIcon('fold', node.applied ? passed : undefined);
    case 'replaced':
      return new vscode.ThemeIcon('history', new vscode.ThemeColor('disabledForeground'));
    case 'conflicting':
      return new vscode.ThemeIcon('git-merge', new vscode.ThemeColor('list.warningForeground'));
    case 'missingFile':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'inconsistent':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  }
}

const STATE_EXPLANATIONS: Record<MigrationNodeState['state'], string> = {
  applied: 'Applied.',
  unapplied: 'Not applied: `migrate` would apply it.',
  squashed: 'A squashed migration.',
  replaced: 'Replaced by a squashed migration, which Django uses instead.',
  conflicting: 'One of several leaf migrations of its app: `makemigrations --merge` joins them.',
  missingFile: 'Recorded as applied, but no migration file has this name: deleted or renamed.',
  inconsistent: 'Applied while a dependency is not: `migrate` stops with InconsistentMigrationHistory.',
};

function tooltipOf(element: MigrationElement, now: number): vscode.MarkdownString {
  const node = element.node;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escape(node.app)}.${escape(node.name)}** on \`${escape(element.alias)}\`\n\n`);
  tooltip.appendMarkdown(`${STATE_EXPLANATIONS[node.state]}\n\n`);
  if (node.replacedBy) tooltip.appendMarkdown(`Replaced by ${escape(node.replacedBy)}.\n\n`);
  if (node.unappliedDependencies?.length)
    tooltip.appendMarkdown(`Not applied: ${node.unappliedDependencies.map((key) => escape(key)).join(', ')}.\n\n`);
  if (node.squash) {
    const { replaces, appliedReplaced, inGraph } = node.squash;
    tooltip.appendMarkdown(`Replaces ${replaces} migrations, ${appliedReplaced} of them recorded as applied. `);
    tooltip.appendMarkdown(
      inGraph
        ? node.applied
          ? node.recorded
            ? 'Django counts it as applied.'
            : node.finishRecording
              ? 'Django counts it as applied; showmigrations marks it `[-]`: run `migrate` to finish recording it.'
              : 'Django counts it as applied; `migrate` records it too.'
          : 'Django applies it in place of the migrations it replaces.'
        : 'Django does not use it until all of them are applied, or none.',
    );
    tooltip.appendMarkdown('\n\n');
  }
  if (node.appliedAt)
    tooltip.appendMarkdown(
      `Applied ${escape(node.appliedAt)}${agoText(node.appliedAt, now) ? ` (${timeAgo(appliedInstant(node.appliedAt)!, now)})` : ''}.\n\n`,
    );
  tooltip.appendMarkdown(node.dependents === 1 ? '1 migration depends on it.' : `${node.dependents} migrations depend on it.`);
  return tooltip;
}

function statusText(state: AliasMigrationState): string {
  const text = state.status === 'pending' ? 'reading…' : state.status.replace(/-/g, ' ');
  return state.retrying && state.status !== 'pending' ? `${text} · retrying` : text;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (character) => `\\${character}`);
}
