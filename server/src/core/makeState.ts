import { compareNodes, MigrationGraph, Node } from './graph';
import { Migration, MigrationKey, migrationKey } from './migration';
import { applyOperation } from './operations/stateForwards';
import { markUnknown } from './operations/stateArguments';
import { ProjectState } from './state';

/**
 * Django's `Migration.mutate_state(state, preserve=False)`: every operation's state_forwards,
 * in order. A migration whose operations list is only partly readable (built dynamically, or
 * with syntax errors) leaves its app unknown rather than a state that looks complete.
 */
export function mutateState(migration: Migration, state: ProjectState): ProjectState {
  const { parsed } = migration;
  const migration_ = migrationKey(migration.appLabel, migration.name);
  parsed.operations.forEach((operation, operationIndex) => {
    applyOperation(operation.call, state, {
      appLabel: migration.appLabel,
      migration: migration_,
      operationIndex,
      imports: parsed.imports,
    });
  });
  const dynamic = parsed.dynamic.find((d) => /operation|setattr/.test(d.description));
  if (dynamic || parsed.syntaxErrors.length > 0) {
    const reason = dynamic ? dynamic.description : 'syntax errors';
    markUnknown(state, { appLabel: migration.appLabel, migration: migration_, operationIndex: -1, imports: [] }, undefined, reason);
  }
  return state;
}

/**
 * Django's `MigrationGraph._generate_plan`: each node's forwards plan in turn, without what an
 * earlier one already planned; without the nodes themselves when `atEnd` is false. A shared
 * visited set stands in for Django's `migration not in plan` list scan: a node already planned
 * has all its ancestors planned, so skipping its subtree leaves the order unchanged.
 */
export function generatePlan(graph: MigrationGraph, nodes: readonly MigrationKey[], atEnd: boolean): MigrationKey[] {
  const plan: MigrationKey[] = [];
  const planned = new Set<Node>();
  const targets = new Set(nodes);
  for (const key of nodes) {
    const start = graph.nodes.has(key) ? graph.nodeMap.get(key) : undefined;
    if (!start) continue;
    // Django's iterative_dfs (forwards), with the cycle guard of MigrationGraph.forwardsPlan.
    const expanded = new Set<Node>();
    const stack: [Node, boolean][] = [[start, false]];
    while (stack.length > 0) {
      const [node, processed] = stack.pop()!;
      if (planned.has(node)) continue;
      if (processed) {
        planned.add(node);
        if (atEnd || !targets.has(node.key)) plan.push(node.key);
      } else if (!expanded.has(node)) {
        expanded.add(node);
        stack.push([node, true]);
        const parents = [...node.parents].sort(compareNodes);
        for (const parent of parents) stack.push([parent, false]);
      }
    }
  }
  return plan;
}

/**
 * Django's `MigrationGraph.make_state(nodes, at_end)`, which `MigrationLoader.project_state()`
 * calls: the state after (or, with `atEnd` false, before) the given nodes; with no nodes, after
 * every leaf.
 */
export function makeState(
  graph: MigrationGraph,
  nodes: readonly MigrationKey[] | undefined,
  atEnd: boolean,
  swappableSettings: ReadonlyMap<string, string>,
): ProjectState {
  const state = new ProjectState([], swappableSettings);
  const targets = nodes ?? graph.leafNodes();
  if (targets.length === 0) return state;
  return replay(graph, generatePlan(graph, targets, atEnd), state);
}

/** Applies the migrations of a plan to a state, in order; dummy nodes are skipped. */
export function replay(graph: MigrationGraph, plan: readonly MigrationKey[], state: ProjectState): ProjectState {
  for (const key of plan) {
    const migration = graph.nodes.get(key);
    if (migration) mutateState(migration, state);
  }
  return state;
}
