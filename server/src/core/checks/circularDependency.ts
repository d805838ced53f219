import { Node } from '../graph';
import { MigrationKey, migrationKey, splitMigrationKey } from '../migration';
import { Problem } from '../problem';
import { GraphCheck } from './check';

/**
 * Every dependency that closes a cycle. Django names one cycle and stops; we report each
 * strongly connected group of migrations so all of them can be fixed in one pass.
 */
export const circularDependency: GraphCheck = (loaded) => {
  const problems: Problem[] = [];
  const components = stronglyConnectedComponents([...loaded.graph.nodeMap.values()]);
  const componentOf = new Map<MigrationKey, number>();
  components.forEach((component, index) => component.forEach((node) => componentOf.set(node.key, index)));

  const replacedBy = new Map<MigrationKey, MigrationKey>();
  for (const [squash, migration] of loaded.replacements) {
    for (const replaced of migration.parsed.replaces) replacedBy.set(migrationKey(replaced.app, replaced.name), squash);
  }
  const inGraph = (key: MigrationKey) => (loaded.graph.nodeMap.has(key) ? key : (replacedBy.get(key) ?? key));

  // Each dependency in a cycle gets a message of bounded size: naming the whole cycle in each
  // would make n messages of n names.
  const described = components.map(describeCycle);
  for (const [key, resolved] of loaded.dependencies) {
    const from = componentOf.get(inGraph(key));
    if (from === undefined) continue;
    const migration = loaded.diskMigrations.get(key)!;
    for (const { entry, resolution } of resolved) {
      if (resolution.status !== 'edge') continue;
      const target = inGraph(resolution.key);
      if (componentOf.get(target) !== from) continue;
      const other = loaded.diskMigrations.get(target);
      problems.push({
        code: 'circular-dependency',
        severity: 'error',
        message: `Circular dependency: ${key} and ${splitMigrationKey(target).join('.')} are both in ${described[from]}.`,
        file: migration.path,
        range: entry.range,
        related:
          other && target !== key
            ? [{ file: other.path, range: other.parsed.classNameRange ?? entry.range, message: `${other.appLabel}.${other.name}` }]
            : [],
      });
    }
  }
  return problems;
};

/** Cycles longer than this are named by their first members and a count. */
const NAMED_MEMBERS = 8;

function describeCycle(component: readonly Node[]): string {
  const names = component.map((node) => `${node.app}.${node.name}`).sort();
  if (names.length <= NAMED_MEMBERS) return `the cycle ${names.join(', ')}`;
  return `a cycle of ${names.length} migrations: ${names.slice(0, NAMED_MEMBERS).join(', ')} and ${names.length - NAMED_MEMBERS} more`;
}

/** Tarjan's algorithm, iterative; only groups of two or more nodes, or a node that depends on itself. */
function stronglyConnectedComponents(nodes: readonly Node[]): Node[][] {
  const index = new Map<Node, number>();
  const lowLink = new Map<Node, number>();
  const onStack = new Set<Node>();
  const stack: Node[] = [];
  const components: Node[][] = [];
  let counter = 0;

  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: Node; children: Iterator<Node> }[] = [{ node: root, children: root.children.values() }];
    index.set(root, counter);
    lowLink.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const next = frame.children.next();
      if (!next.done) {
        const child = next.value;
        if (!index.has(child)) {
          index.set(child, counter);
          lowLink.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, children: child.children.values() });
        } else if (onStack.has(child)) {
          lowLink.set(frame.node, Math.min(lowLink.get(frame.node)!, index.get(child)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        lowLink.set(parent, Math.min(lowLink.get(parent)!, lowLink.get(frame.node)!));
      }
      if (lowLink.get(frame.node) === index.get(frame.node)) {
        const component: Node[] = [];
        let member: Node;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1 || frame.node.children.has(frame.node)) components.push(component);
      }
    }
  }
  return components;
}
