import { Node } from 'web-tree-sitter';

/**
 * The targets and the value of an assignment statement: `a = b = value` assigns `value` to both
 * `a` and `b`. The value is null for an annotation without one (`a: int`).
 */
export function assignmentChain(node: Node): { readonly targets: Node[]; readonly value: Node | null } {
  const targets: Node[] = [];
  let value: Node | null = node;
  while (value?.type === 'assignment') {
    const left = value.childForFieldName('left');
    if (left) targets.push(left);
    value = value.childForFieldName('right');
  }
  return { targets, value };
}
