import * as path from 'node:path';
import * as vscode from 'vscode';
import { AliasMigrationState, MigrationNodeState, MigrationStateResult, ProjectMigrationState } from '../../../protocol/index';
import { ClientContext } from '../clientContext';

/** Why the count grows once the folder is trusted. */
const RESTRICTED_MODE =
  "$(workspace-untrusted) Restricted Mode: only the migrations in the workspace's files are counted. Trusting the folder lets the project's Python find the migrations of installed apps (django.contrib, site-packages), which are counted then.";

/** How many unapplied migrations the tooltip names before it counts the rest. */
const TOOLTIP_LIMIT = 15;

/**
 * "N unapplied" for the active project (the one holding the active editor's file, else the
 * first) and its primary alias; the tooltip names them; a click focuses the Migrations view.
 */
export function unappliedStatusBarFeature(context: ClientContext): void {
  const store = context.migrationState;
  const item = vscode.window.createStatusBarItem('djangoMigrations.unapplied', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Django Migrations';
  item.command = 'djangoMigrations.migrations.focus';
  const update = () => render(item, store.current);
  context.extension.subscriptions.push(item, store.onDidChange(update), vscode.window.onDidChangeActiveTextEditor(update));
  update();
}

function render(item: vscode.StatusBarItem, state: MigrationStateResult | undefined): void {
  const project = activeProject(state);
  const alias = project?.aliases.find((candidate) => candidate.alias === project.primaryAlias) ?? project?.aliases[0];
  if (!project || !alias) {
    item.hide();
    return;
  }
  const readable = alias.status === 'ok' || alias.status === 'missing-file';
  const restricted = vscode.workspace.isTrusted ? '' : ' $(workspace-untrusted)';
  item.text =
    (alias.status === 'pending'
      ? '$(sync~spin) migrations'
      : readable
        ? `$(database) ${alias.unapplied} unapplied`
        : `$(warning) ${alias.alias}: ${alias.status.replace(/-/g, ' ')}`) + restricted;
  item.backgroundColor = readable || alias.status === 'pending' ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
  item.tooltip = tooltipOf(project, alias, readable);
  item.accessibilityInformation = {
    label: readable ? `${alias.unapplied} unapplied migrations on ${alias.alias}` : `${alias.alias}: ${alias.status}`,
  };
  item.show();
}

function tooltipOf(project: ProjectMigrationState, alias: AliasMigrationState, readable: boolean): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${project.name}** · \`${alias.alias}\`: ${alias.database}\n\n`);
  if (!readable) {
    tooltip.appendMarkdown(alias.message ?? alias.status);
    if (!vscode.workspace.isTrusted) tooltip.appendMarkdown(`\n\n${RESTRICTED_MODE}`);
    return tooltip;
  }
  const unapplied = alias.apps.flatMap((app) =>
    app.migrations.filter((migration: MigrationNodeState) => migration.listed && !migration.applied),
  );
  if (unapplied.length === 0) tooltip.appendMarkdown('Every migration is applied.');
  for (const migration of unapplied.slice(0, TOOLTIP_LIMIT)) tooltip.appendMarkdown(`- ${migration.app}.${migration.name}\n`);
  if (unapplied.length > TOOLTIP_LIMIT) tooltip.appendMarkdown(`\nand ${unapplied.length - TOOLTIP_LIMIT} more`);
  if (alias.consistencyError) tooltip.appendMarkdown(`\n\n$(error) ${alias.consistencyError}`);
  if (!vscode.workspace.isTrusted) tooltip.appendMarkdown(`\n\n${RESTRICTED_MODE}`);
  tooltip.appendMarkdown('\n\nClick to show the Migrations view.');
  return tooltip;
}

/** The project whose folder holds the active editor's file (the innermost), else the first. */
function activeProject(state: MigrationStateResult | undefined): ProjectMigrationState | undefined {
  const projects = state?.projects ?? [];
  const file = vscode.window.activeTextEditor?.document.uri;
  if (file?.scheme === 'file') {
    const holding = projects
      .filter(
        (project) =>
          !path.relative(project.root, file.fsPath).startsWith('..') && !path.isAbsolute(path.relative(project.root, file.fsPath)),
      )
      .sort((a, b) => b.root.length - a.root.length);
    if (holding[0]) return holding[0];
  }
  return projects.find((project) => project.aliases.length > 0) ?? projects[0];
}
