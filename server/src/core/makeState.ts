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
  // One context for the whole migration: state_forwards copy what they keep of it.
  const context = {
    appLabel: migration.appLabel,
    migration: migrationKey(migration.appLabel, migration.name),
    operationIndex: 0,
    imports: parsed.imports,
  };
  const operations = parsed.operations;
  for (let index = 0; index < operations.length; index++) {
    context.operationIndex = index;
    applyOperation(operations[index].call, state, context);
  }
  const dynamic = parsed.dynamic.length > 0 ? parsed.dynamic.find((d) => /operation|setattr/.test(d.description)) : undefined;
  if (dynamic || parsed.syntaxErrors.length > 0) {
    context.operationIndex = -1;
    markUnknown(state, context, undefined, dynamic ? dynamic.description : 'syntax errors');
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
  const targets = new Set(nodes);
  const starts = nodes.flatMap((key) => (graph.nodes.has(key) ? [graph.nodeMap.get(key)!] : []));
  return planFrom(starts, new Set(), (node) => atEnd || !targets.has(node.key));
}

/**
 * Django's iterative_dfs (forwards) from each start in turn, with the cycle guard of
 * MigrationGraph.forwardsPlan, skipping what `planned` holds (and adding to it).
 */
export function planFrom(starts: readonly Node[], planned: Set<Node>, keep: (node: Node) => boolean = () => true): MigrationKey[] {
  const plan: MigrationKey[] = [];
  for (const start of starts) {
    const expanded = new Set<Node>();
    const stack: [Node, boolean][] = [[start, false]];
    while (stack.length > 0) {
      const [node, processed] = stack.pop()!;
      if (planned.has(node)) continue;
      if (processed) {
        planned.add(node);
        if (keep(node)) plan.push(node.key);
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

/** A node and every node it depends on. */
export function ancestorsOf(node: Node): Set<Node> {
  const seen = new Set<Node>([node]);
  const todo = [node];
  while (todo.length > 0) {
    for (const parent of todo.pop()!.parents) {
      if (!seen.has(parent)) {
        seen.add(parent);
        todo.push(parent);
      }
    }
  }
  return seen;
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
