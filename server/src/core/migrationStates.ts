import { compareNodes, MigrationGraph } from './graph';
import { MigrationKey } from './migration';
import { ancestorsOf, makeState, mutateState, planFrom, replay } from './makeState';
import { ProjectState } from './state';

/** How many per-migration states are kept (each shares unchanged models with the others). */
const KEPT_STATES = 256;

/**
 * The state before and after any migration of one graph, computed when first asked and kept:
 * Django's `loader.project_state((app, name), at_end)`. A migration with a single parent starts
 * from its parent's state (the plans are equal but for the migration itself), so walking a
 * long app history replays only what was not replayed before.
 *
 * States handed out are shared: clone() one before changing it.
 */
export class MigrationStates {
  private readonly after = new Map<MigrationKey, ProjectState>();
  private leaves: ProjectState | undefined;

  constructor(
    readonly graph: MigrationGraph,
    readonly swappableSettings: ReadonlyMap<string, string>,
  ) {}

  /** The state of every app at its leaf: Django's `loader.project_state()`. */
  leafState(): ProjectState {
    return (this.leaves ??= makeState(this.graph, undefined, true, this.swappableSettings));
  }

  /** The state once `key` and everything it depends on has run. */
  stateAfter(key: MigrationKey): ProjectState | undefined {
    if (!this.graph.nodes.get(key)) return undefined;
    const cached = this.after.get(key);
    if (cached) return this.touch(key, cached);
    // Walk up while each migration has exactly one parent, to a known state or a merge/root.
    const chain: MigrationKey[] = [];
    let node = this.graph.nodeMap.get(key)!;
    let base: ProjectState | undefined;
    for (;;) {
      const known = this.after.get(node.key);
      if (known) {
        base = known.clone();
        break;
      }
      chain.push(node.key);
      if (node.parents.size !== 1) break;
      const parent = [...node.parents][0];
      if (!this.graph.nodes.get(parent.key)) break;
      node = parent;
    }
    // The oldest migration of the chain starts from its parent's known state, or is replayed.
    const first = chain.pop()!;
    let state: ProjectState;
    if (base) state = mutateState(this.graph.nodes.get(first)!, base);
    else state = this.startState(first);
    for (let i = chain.length - 1; i >= 0; i--) mutateState(this.graph.nodes.get(chain[i])!, state);
    return this.remember(key, state);
  }

  /**
   * The state after a root, a merge, or a migration whose parent is missing. For a merge,
   * Django's depth-first plan runs the greatest parent's whole plan first (the last one pushed
   * is the first popped), then what the other parents still need: so the state starts from that
   * parent's and replays only the rest.
   */
  private startState(key: MigrationKey): ProjectState {
    const node = this.graph.nodeMap.get(key)!;
    const parents = [...node.parents].sort(compareNodes);
    if (parents.length < 2 || parents.some((parent) => !this.graph.nodes.get(parent.key))) {
      return makeState(this.graph, [key], true, this.swappableSettings);
    }
    const last = parents[parents.length - 1];
    const state = this.stateAfter(last.key)!.clone();
    const rest = planFrom(parents.slice(0, -1).reverse(), ancestorsOf(last));
    replay(this.graph, rest, state);
    return mutateState(this.graph.nodes.get(key)!, state);
  }

  /** The state just before `key` runs (Django: `at_end=False`). */
  stateBefore(key: MigrationKey): ProjectState | undefined {
    const node = this.graph.nodes.get(key) ? this.graph.nodeMap.get(key) : undefined;
    if (!node) return undefined;
    if (node.parents.size === 1) {
      const parent = [...node.parents][0];
      const state = this.graph.nodes.get(parent.key) ? this.stateAfter(parent.key) : undefined;
      if (state) return state;
    }
    return makeState(this.graph, [key], false, this.swappableSettings);
  }

  private touch(key: MigrationKey, state: ProjectState): ProjectState {
    this.after.delete(key);
    this.after.set(key, state);
    return state;
  }

  private remember(key: MigrationKey, state: ProjectState): ProjectState {
    this.after.set(key, state);
    if (this.after.size > KEPT_STATES) this.after.delete(this.after.keys().next().value!);
    return state;
  }
}
