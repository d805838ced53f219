import { MigrationGraphAnswer, MigrationGraphNode, MigrationGraphPlanAnswer } from '../../../protocol/index';
import { NodeNeighbours } from './graphNavigation';

/** The tree's commands the graph view offers on a migration, by the name the page sends. */
export const GRAPH_COMMANDS = {
  migrateTo: 'djangoMigrations.migrateToMigration',
  unapply: 'djangoMigrations.unapplyMigration',
  showSql: 'djangoMigrations.showSql',
  showPlanSql: 'djangoMigrations.showPlanSql',
} as const;

export type GraphCommand = keyof typeof GRAPH_COMMANDS;

/** A node as the page draws it: the server's node with its row and column. */
export interface PlacedGraphNode extends MigrationGraphNode {
  readonly layer: number;
  readonly lane: number;
  readonly keys: NodeNeighbours;
}

/** Extension → page. */
export type ToGraphPage =
  | {
      readonly type: 'graph';
      readonly graph: Omit<MigrationGraphAnswer, 'nodes'> & { readonly projectName: string; readonly trusted: boolean };
      readonly nodes: readonly PlacedGraphNode[];
      readonly selected?: string;
    }
  | { readonly type: 'plan'; readonly plan: MigrationGraphPlanAnswer; readonly selected: string }
  | { readonly type: 'error'; readonly message: string };

/** Page → extension. */
export type FromGraphPage =
  | { readonly type: 'ready' }
  | { readonly type: 'scope'; readonly app: string | null; readonly alias: string }
  | { readonly type: 'select'; readonly id: string }
  | { readonly type: 'open'; readonly id: string }
  | { readonly type: 'command'; readonly command: GraphCommand; readonly id: string };
