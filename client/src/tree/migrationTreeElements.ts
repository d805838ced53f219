import {
  AliasMigrationState,
  AppMigrationState,
  MigrationNodeState,
  MigrationState,
  MigrationStateResult,
  ProjectMigrationState,
} from '../../../protocol/index';

/** A project: shown as a level of its own only when the workspace has more than one. */
export interface ProjectElement {
  readonly kind: 'project';
  readonly id: string;
  readonly projectRoot: string;
  readonly project: ProjectMigrationState;
}

export interface AliasElement {
  readonly kind: 'alias';
  readonly id: string;
  readonly projectRoot: string;
  readonly alias: string;
  readonly primary: boolean;
  readonly state: AliasMigrationState;
  readonly parent?: ProjectElement;
}

export interface AppElement {
  readonly kind: 'app';
  readonly id: string;
  readonly projectRoot: string;
  readonly alias: string;
  readonly app: string;
  readonly state: AppMigrationState;
  /** An app installed from a package (django.contrib, site-packages), not one of the project's own. */
  readonly installed: boolean;
  /** More than one leaf migration: what `makemigrations --merge` joins. */
  readonly conflicting: boolean;
  readonly parent: AliasElement | InstalledAppsElement;
}

/** The apps installed from packages, gathered under the project's own apps. */
export interface InstalledAppsElement {
  readonly kind: 'installedApps';
  readonly id: string;
  readonly projectRoot: string;
  readonly alias: string;
  readonly apps: readonly AppMigrationState[];
  readonly parent: AliasElement;
}

/**
 * A migration. Commands receive it as their argument: `projectRoot`, `alias`, `app`, `name` and
 * `file` are read by every command of the extension.
 */
export interface MigrationElement {
  readonly kind: 'migration';
  readonly id: string;
  readonly projectRoot: string;
  readonly alias: string;
  readonly app: string;
  readonly name: string;
  readonly file?: string;
  readonly state: MigrationState;
  readonly applied: boolean;
  readonly node: MigrationNodeState;
  readonly parent: AppElement | MigrationElement;
}

/** A line of text under an alias: why it cannot be read, or that nothing is left to apply. */
export interface MessageElement {
  readonly kind: 'message';
  readonly id: string;
  readonly text: string;
  readonly tooltip?: string;
  readonly parent: AliasElement;
}

export type TreeElement = ProjectElement | AliasElement | AppElement | InstalledAppsElement | MigrationElement | MessageElement;

/** Every element of one state, with the children of each and an index for reveal. */
export interface TreeModel {
  readonly roots: readonly TreeElement[];
  children(element: TreeElement): readonly TreeElement[];
  /** The migration of a file, in a project's primary alias. */
  migrationOfFile(file: string): MigrationElement | undefined;
  /** A migration by its place in the tree. */
  migration(projectRoot: string, alias: string | undefined, app: string, name: string): MigrationElement | undefined;
}

/**
 * The elements of the tree: project (when several) → alias → app → migration, with the
 * migrations a squash replaces under it. Ids are stable across states, so VS Code keeps what
 * was expanded and selected when the state changes.
 */
export function buildTreeModel(state: MigrationStateResult | undefined, unappliedOnly: boolean): TreeModel {
  const children = new Map<TreeElement, TreeElement[]>();
  const migrations = new Map<string, MigrationElement>();
  const byFile = new Map<string, MigrationElement>();
  const projects = state?.projects ?? [];
  const roots: TreeElement[] = [];

  for (const project of projects) {
    const projectElement: ProjectElement | undefined =
      projects.length > 1 ? { kind: 'project', id: project.root, projectRoot: project.root, project } : undefined;
    const aliases: TreeElement[] = [];
    for (const alias of project.aliases) {
      const aliasElement: AliasElement = {
        kind: 'alias',
        id: `${project.root}|${alias.alias}`,
        projectRoot: project.root,
        alias: alias.alias,
        primary: alias.alias === project.primaryAlias,
        state: alias,
        ...(projectElement ? { parent: projectElement } : {}),
      };
      aliases.push(aliasElement);
      const apps: TreeElement[] = [];
      const installedApps: AppElement[] = [];
      const installed = alias.apps.filter((app) => isInstalled(app, project.root));
      const installedElement: InstalledAppsElement = {
        kind: 'installedApps',
        id: `${aliasElement.id}|installed`,
        projectRoot: project.root,
        alias: alias.alias,
        apps: installed,
        parent: aliasElement,
      };
      for (const app of alias.apps) {
        const fromPackage = installed.includes(app);
        const appElement: AppElement = {
          kind: 'app',
          id: `${aliasElement.id}|${app.app}`,
          projectRoot: project.root,
          alias: alias.alias,
          app: app.app,
          state: app,
          installed: fromPackage,
          conflicting: app.migrations.some((node) => node.state === 'conflicting'),
          parent: fromPackage ? installedElement : aliasElement,
        };
        const add = (node: MigrationNodeState, parent: AppElement | MigrationElement): MigrationElement | undefined => {
          if (unappliedOnly && node.applied) return undefined;
          const element: MigrationElement = {
            kind: 'migration',
            id: `${aliasElement.id}|${node.app}|${node.name}`,
            projectRoot: project.root,
            alias: alias.alias,
            app: node.app,
            name: node.name,
            ...(node.file ? { file: node.file } : {}),
            state: node.state,
            applied: node.applied,
            node,
            parent,
          };
          migrations.set(element.id, element);
          if (node.file && aliasElement.primary && (!byFile.has(node.file) || node.listed)) byFile.set(node.file, element);
          const nested = (node.children ?? []).map((child) => add(child, element)).filter((child) => child !== undefined);
          if (nested.length > 0) children.set(element, nested);
          return element;
        };
        const entries = app.migrations.map((node) => add(node, appElement)).filter((entry) => entry !== undefined);
        if (entries.length === 0 && unappliedOnly) continue;
        children.set(appElement, entries);
        (fromPackage ? installedApps : apps).push(appElement);
      }
      if (installedApps.length > 0) {
        children.set(installedElement, installedApps);
        apps.push(installedElement);
      }
      const message = messageOf(alias, unappliedOnly);
      if (message) apps.unshift({ kind: 'message', id: `${aliasElement.id}|message`, parent: aliasElement, ...message });
      children.set(aliasElement, apps);
    }
    if (projectElement) {
      children.set(projectElement, aliases);
      roots.push(projectElement);
    } else {
      roots.push(...aliases);
    }
  }

  return {
    roots,
    children: (element) => children.get(element) ?? [],
    migrationOfFile: (file) => byFile.get(file),
    migration: (projectRoot, alias, app, name) => {
      const project = projects.find((candidate) => candidate.root === projectRoot);
      const chosen = alias ?? project?.primaryAlias ?? 'default';
      return migrations.get(`${projectRoot}|${chosen}|${app}|${name}`);
    },
  };
}

function messageOf(alias: AliasMigrationState, unappliedOnly: boolean): { text: string; tooltip?: string } | undefined {
  if (alias.status === 'pending') return { text: 'Reading the database…' };
  if (alias.status !== 'ok' && alias.status !== 'missing-file') {
    return {
      text: alias.message ?? alias.status,
      tooltip: alias.retrying ? `${alias.message ?? ''}\n\nRead again by itself.` : alias.message,
    };
  }
  if (alias.apps.length === 0) return { text: 'No migrations' };
  if (unappliedOnly && alias.unapplied === 0) return { text: 'Every migration is applied' };
  return undefined;
}

/** An app from a package: its files were not read, or none of them is inside the project. */
function isInstalled(app: AppMigrationState, projectRoot: string): boolean {
  if (app.external) return true;
  const inside = (file: string): boolean => file.startsWith(projectRoot.endsWith('/') ? projectRoot : `${projectRoot}/`);
  const files = app.migrations.map((node) => node.file).filter((file): file is string => file !== undefined);
  return files.length > 0 && !files.some(inside);
}
