import { DatabaseStatus, MigrationState } from './migrationState';

/**
 * `djangoMigrations/migrationGraph`: the migration graph of one app (or of the whole project)
 * with each node's state on one database alias, for the graph view.
 */
export const MIGRATION_GRAPH_REQUEST = 'djangoMigrations/migrationGraph';

/** `djangoMigrations/migrationGraphPlan`: what `migrate app name` would apply or unapply on an alias. */
export const MIGRATION_GRAPH_PLAN_REQUEST = 'djangoMigrations/migrationGraphPlan';

export interface MigrationGraphParams {
  readonly projectRoot: string;
  /** Default: the project's primary alias. */
  readonly alias?: string;
  /** One app's graph; absent: every app of the project. */
  readonly app?: string;
  /** Without `app`: the app of this migration file, when the server knows it. */
  readonly file?: string;
}

export interface MigrationGraphApp {
  readonly label: string;
  readonly migrations: number;
  /** More than one leaf. */
  readonly conflicting: boolean;
  /** Installed from a package (django.contrib, site-packages). */
  readonly installed: boolean;
}

export interface MigrationGraphAnswer {
  readonly projectRoot: string;
  readonly alias: string;
  /** Every alias of the project, primary first. */
  readonly aliases: readonly string[];
  /** Every app with migrations, the project's own first. */
  readonly apps: readonly MigrationGraphApp[];
  /** The app shown; absent for the whole project. */
  readonly app?: string;
  /** Whether the alias could be read; nodes are then shown without applied state. */
  readonly status: DatabaseStatus;
  readonly message?: string;
  readonly nodes: readonly MigrationGraphNode[];
  /** From parent (the dependency) to child. */
  readonly edges: readonly MigrationGraphEdge[];
}

/** A node's state: the tree's, or `outside` for a node of another app that an edge reaches. */
export type MigrationGraphNodeState = MigrationState | 'outside' | 'missing';

export interface MigrationGraphNode {
  /** `app.name`. */
  readonly id: string;
  readonly app: string;
  readonly name: string;
  readonly file?: string;
  readonly state: MigrationGraphNodeState;
  readonly applied: boolean;
  /** A squash: the ids it replaces. */
  readonly replaces?: readonly string[];
  /** A replaced migration: the squash Django uses instead. */
  readonly replacedBy?: string;
}

export interface MigrationGraphEdge {
  readonly from: string;
  readonly to: string;
  /** `dependency`: `to` depends on `from`; `replaces`: `to` is a squash that replaces `from`. */
  readonly kind: 'dependency' | 'replaces';
}

export interface MigrationGraphPlanParams {
  readonly projectRoot: string;
  readonly alias?: string;
  readonly app: string;
  readonly name: string;
}

export interface MigrationGraphPlanAnswer {
  /** The node `migrate` targets: the squash Django uses when `name` is replaced. */
  readonly target: string;
  /** In order; `backwards` steps are unapplied. */
  readonly steps: readonly { readonly id: string; readonly backwards: boolean }[];
}
