import { Node } from 'web-tree-sitter';
import { SourceRange } from '../core/sourceRange';

/**
 * The source range of a syntax node. web-tree-sitter parses JavaScript strings as UTF-16, so its
 * columns are already UTF-16 code units, as core and LSP count them.
 */
export function nodeRange(node: Node): SourceRange {
  const start = node.startPosition;
  const end = node.endPosition;
  return { start: { line: start.row, character: start.column }, end: { line: end.row, character: end.column } };
}

/** The range from the start of `first` to the end of `last`. */
export function spanRange(first: Node, last: Node): SourceRange {
  const start = first.startPosition;
  const end = last.endPosition;
  return { start: { line: start.row, character: start.column }, end: { line: end.row, character: end.column } };
}
