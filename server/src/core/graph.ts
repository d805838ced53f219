import { CircularDependencyError, NodeNotFoundError, reprKey } from './exceptions';
import { Migration, MigrationKey, splitMigrationKey } from './migration';

/**
 * Django's MigrationGraph (django/db/migrations/graph.py), method for method: the same node and
 * dummy-node bookkeeping, the same squash rewiring and the same depth-first plan order, so that
 * plans, leaves and roots agree with Django's to the element.
 */
export class Node {
  readonly children = new Set<Node>();
  readonly parents = new Set<Node>();
  readonly app: string;
  readonly name: string;

  constructor(readonly key: MigrationKey) {
    [this.app, this.name] = splitMigrationKey(key);
  }

  addChild(child: Node): void {
    this.children.add(child);
  }

  addParent(parent: Node): void {
    this.parents.add(parent);
  }
}

/** Stands in for a node that a dependency names but that does not exist. */
export class DummyNode extends Node {
  constructor(
    key: MigrationKey,
    /** The first migration to name it: an edit of dependencies can make another one first. */
    public origin: MigrationKey,
    public errorMessage: string,
  ) {
    super(key);
  }

  error(): NodeNotFoundError {
    return { type: 'NodeNotFoundError', message: this.errorMessage, node: this.key, origin: this.origin };
  }
}

/** Python orders `(app_label, name)` tuples element-wise; Node.__lt__ compares keys. */
export function compareNodes(a: Node, b: Node): number {
  if (a.app !== b.app) return a.app < b.app ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

export function compareKeys(a: MigrationKey, b: MigrationKey): number {
  const [appA, nameA] = splitMigrationKey(a);
  const [appB, nameB] = splitMigrationKey(b);
  if (appA !== appB) return appA < appB ? -1 : 1;
  if (nameA !== nameB) return nameA < nameB ? -1 : 1;
  return 0;
}

export class MigrationGraph {
  constructor(
    /** Every node, dummy ones included. */
    readonly nodeMap = new Map<MigrationKey, Node>(),
    /** Node key to migration; `null` for dummy nodes, as in Django. */
    readonly nodes = new Map<MigrationKey, Migration | null>(),
  ) {}

  addNode(key: MigrationKey, migration: Migration): void {
    const node = new Node(key);
    this.nodeMap.set(key, node);
    this.nodes.set(key, migration);
  }

  addDummyNode(key: MigrationKey, origin: MigrationKey, errorMessage: string): void {
    this.nodeMap.set(key, new DummyNode(key, origin, errorMessage));
    this.nodes.set(key, null);
  }

  /** Always with Django's `skip_validation=True`: the loader validates once at the end. */
  addDependency(migration: MigrationKey, child: MigrationKey, parent: MigrationKey): void {
    if (!this.nodes.has(child)) this.addDummyNode(child, migration, nonexistentNodeMessage(migration, child, 'child'));
    if (!this.nodes.has(parent)) this.addDummyNode(parent, migration, nonexistentNodeMessage(migration, parent, 'parent'));
    const childNode = this.nodeMap.get(child)!;
    const parentNode = this.nodeMap.get(parent)!;
    childNode.addParent(parentNode);
    parentNode.addChild(childNode);
  }

  /**
   * Use a squashed migration in place of the migrations it replaces: their dependencies and
   * dependents are moved onto it. Returns an error when the replacement itself is missing.
   */
  removeReplacedNodes(replacement: MigrationKey, replaced: readonly MigrationKey[]): NodeNotFoundError | undefined {
    const replacementNode = this.nodeMap.get(replacement);
    if (!replacementNode) return unableToFindReplacement(replacement);
    const replacedKeys = new Set(replaced);
    for (const replacedKey of replacedKeys) {
      this.nodes.delete(replacedKey);
      const replacedNode = this.nodeMap.get(replacedKey);
      this.nodeMap.delete(replacedKey);
      if (!replacedNode) continue;
      for (const child of replacedNode.children) {
        child.parents.delete(replacedNode);
        // No edge between the replacement and a node it replaces: it would point at itself.
        if (!replacedKeys.has(child.key)) {
          replacementNode.addChild(child);
          child.addParent(replacementNode);
        }
      }
      for (const parent of replacedNode.parents) {
        parent.children.delete(replacedNode);
        if (!replacedKeys.has(parent.key)) {
          replacementNode.addParent(parent);
          parent.addChild(replacementNode);
        }
      }
    }
    return undefined;
  }

  /**
   * Drop a squashed migration that cannot be used (partly applied) and point its dependents at
   * the latest of the migrations it replaces (Django ticket #25945).
   */
  removeReplacementNode(replacement: MigrationKey, replaced: readonly MigrationKey[]): NodeNotFoundError | undefined {
    this.nodes.delete(replacement);
    const replacementNode = this.nodeMap.get(replacement);
    if (!replacementNode) return unableToFindReplacement(replacement);
    this.nodeMap.delete(replacement);
    const replacedNodes = new Set<Node>();
    const replacedNodesParents = new Set<Node>();
    for (const key of replaced) {
      const replacedNode = this.nodeMap.get(key);
      if (replacedNode) {
        replacedNodes.add(replacedNode);
        for (const parent of replacedNode.parents) replacedNodesParents.add(parent);
      }
    }
    // Only the latest replaced nodes matter: drop those that are parents of other replaced nodes.
    for (const parent of replacedNodesParents) replacedNodes.delete(parent);
    for (const child of replacementNode.children) {
      child.parents.delete(replacementNode);
      for (const replacedNode of replacedNodes) {
        replacedNode.addChild(child);
        child.addParent(replacedNode);
      }
    }
    for (const parent of replacementNode.parents) {
      parent.children.delete(replacementNode);
    }
    return undefined;
  }

  /** The first dummy node's error, in insertion order as Django raises it. */
  validateConsistency(): NodeNotFoundError | undefined {
    for (const node of this.nodeMap.values()) {
      if (node instanceof DummyNode) return node.error();
    }
    return undefined;
  }

  dummyNodes(): DummyNode[] {
    return [...this.nodeMap.values()].filter((node): node is DummyNode => node instanceof DummyNode);
  }

  /** The migrations to apply, in order, to bring `target` and everything it needs forwards. */
  forwardsPlan(target: MigrationKey): MigrationKey[] | undefined {
    const node = this.nodes.has(target) ? this.nodeMap.get(target) : undefined;
    return node ? this.iterativeDfs(node, true) : undefined;
  }

  /** The migrations to unapply, in order, to take `target` and everything after it back. */
  backwardsPlan(target: MigrationKey): MigrationKey[] | undefined {
    const node = this.nodes.has(target) ? this.nodeMap.get(target) : undefined;
    return node ? this.iterativeDfs(node, false) : undefined;
  }

  private iterativeDfs(start: Node, forwards: boolean): MigrationKey[] {
    const visited: MigrationKey[] = [];
    const visitedSet = new Set<Node>();
    // Django runs this only on a graph it has checked for cycles; the editor may not have one,
    // so a node met again while its own ancestors are being walked is not expanded twice. On an
    // acyclic graph that never happens, and the order is Django's.
    const expanded = new Set<Node>();
    const stack: [Node, boolean][] = [[start, false]];
    while (stack.length > 0) {
      const [node, processed] = stack.pop()!;
      if (visitedSet.has(node)) continue;
      if (processed) {
        visitedSet.add(node);
        visited.push(node.key);
      } else if (!expanded.has(node)) {
        expanded.add(node);
        stack.push([node, true]);
        const next = [...(forwards ? node.parents : node.children)].sort(compareNodes);
        for (const n of next) stack.push([n, false]);
      }
    }
    return visited;
  }

  /** Nodes with no parent in their own app, sorted; for one app when `app` is given. */
  rootNodes(app?: string): MigrationKey[] {
    return this.edgeNodes(app, (node) => node.parents);
  }

  /** Nodes with no child in their own app, sorted; for one app when `app` is given. */
  leafNodes(app?: string): MigrationKey[] {
    return this.edgeNodes(app, (node) => node.children);
  }

  private edgeNodes(app: string | undefined, neighbours: (node: Node) => Set<Node>): MigrationKey[] {
    const found: MigrationKey[] = [];
    for (const key of this.nodes.keys()) {
      const node = this.nodeMap.get(key)!;
      if (app && node.app !== app) continue;
      let inApp = false;
      for (const other of neighbours(node)) {
        if (other.app === node.app) {
          inApp = true;
          break;
        }
      }
      if (!inApp) found.push(key);
    }
    return found.sort(compareKeys);
  }

  /** Leaf nodes of every app at once, grouped by app (one pass instead of one per app). */
  leafNodesByApp(): Map<string, MigrationKey[]> {
    const byApp = new Map<string, MigrationKey[]>();
    for (const key of this.leafNodes()) {
      const node = this.nodeMap.get(key)!;
      const list = byApp.get(node.app);
      if (list) list.push(key);
      else byApp.set(node.app, [key]);
    }
    return byApp;
  }

  /**
   * Django's `ensure_not_cyclic` (an iterative walk by GvR). Django starts from an arbitrary
   * node (a set's pop order), so which cycle it names first can differ between runs; we walk
   * in sorted order to be repeatable.
   */
  ensureNotCyclic(): CircularDependencyError | undefined {
    if (!this.hasCycle()) return undefined;
    const sorted: Node[] = [];
    for (const key of this.nodes.keys()) sorted.push(this.nodeMap.get(key)!);
    // Nodes compared by their fields: splitting each key again in every comparison cost more than the walk.
    const todo = new Set(sorted.sort(compareNodes).map((node) => node.key));
    for (const first of todo) {
      todo.delete(first);
      const stack: MigrationKey[] = [first];
      const onStack = new Set(stack);
      while (stack.length > 0) {
        const top = this.nodeMap.get(stack[stack.length - 1])!;
        let descended = false;
        for (const child of top.children.size > 1 ? [...top.children].sort(compareNodes) : top.children) {
          if (onStack.has(child.key)) {
            const cycle = stack.slice(stack.indexOf(child.key));
            return {
              type: 'CircularDependencyError',
              message: cycle.map((key) => splitMigrationKey(key).join('.')).join(', '),
              cycle,
            };
          }
          if (todo.has(child.key)) {
            stack.push(child.key);
            onStack.add(child.key);
            todo.delete(child.key);
            descended = true;
            break;
          }
        }
        if (!descended) onStack.delete(stack.pop()!);
      }
    }
    return undefined;
  }

  /**
   * Whether there is a cycle at all, without the sorting and the walk that name the one Django
   * reports: a graph has none when taking away, one by one, the nodes whose parents are all
   * gone takes away every node.
   */
  private hasCycle(): boolean {
    const parentsLeft = new Map<Node, number>();
    const free: Node[] = [];
    for (const node of this.nodeMap.values()) {
      if (node.parents.size === 0) free.push(node);
      else parentsLeft.set(node, node.parents.size);
    }
    let taken = 0;
    for (let node = free.pop(); node; node = free.pop()) {
      taken++;
      for (const child of node.children) {
        const left = parentsLeft.get(child)! - 1;
        if (left === 0) free.push(child);
        else parentsLeft.set(child, left);
      }
    }
    return taken < this.nodeMap.size;
  }
}

/** What Django's `add_dependency` says of a dummy node, named by `migration` as its child or parent. */
export function nonexistentNodeMessage(migration: MigrationKey, node: MigrationKey, role: 'child' | 'parent'): string {
  return `Migration ${migration} dependencies reference nonexistent ${role} node ${reprKey(...splitMigrationKey(node))}`;
}

function unableToFindReplacement(replacement: MigrationKey): NodeNotFoundError {
  return {
    type: 'NodeNotFoundError',
    message: `Unable to find replacement node ${reprKey(...splitMigrationKey(replacement))}. It was either never added to the migration graph, or has been removed.`,
    node: replacement,
  };
}
