import { Node } from 'web-tree-sitter';
import { SourceRange } from '../core/sourceRange';
import { nodeRange } from './nodeRange';

/**
 * Ranges of the ERROR nodes (outermost only) and MISSING tokens that tree-sitter's error
 * recovery produced, in source order.
 */
export function syntaxErrorRanges(root: Node): SourceRange[] {
  const ranges: SourceRange[] = [];
  if (!root.hasError) return ranges;
  const pending: Node[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as Node;
    if (node.type === 'ERROR' || node.isMissing) {
      ranges.push(nodeRange(node));
      continue;
    }
    const children = node.children;
    // Reversed, so that popping visits children in source order.
    for (let i = children.length - 1; i >= 0; i--) {
      if (children[i].hasError) pending.push(children[i]);
    }
  }
  return ranges;
}
