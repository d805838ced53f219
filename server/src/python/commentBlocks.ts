import { Node, Point, Range, Tree } from 'web-tree-sitter';

/**
 * Shorter runs of comment-only lines are parsed as written. tree-sitter-python's scanner, at
 * every line end, looks ahead over all the comment lines that follow to find the next line's
 * indentation: a run of n comment lines costs n² (12,000 lines took over a minute).
 */
const MIN_BLOCK_LINES = 16;

/** A run of comment-only lines: from the first `#` to the end of the last comment. */
export interface CommentBlock {
  readonly start: number;
  readonly end: number;
}

/**
 * The long runs of comment-only lines (blank lines do not break a run). Whether the first line is
 * really a comment, and not inside a string, is for the parse to confirm: see `blocksConfirmed`.
 */
export function commentBlocks(text: string): CommentBlock[] {
  const blocks: CommentBlock[] = [];
  let start = -1;
  let end = -1;
  let lines = 0;
  const close = (): void => {
    if (lines >= MIN_BLOCK_LINES) blocks.push({ start, end });
    lines = 0;
  };
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let first = lineStart;
    while (first < lineEnd && isIndentation(text.charCodeAt(first))) first++;
    if (first < lineEnd && text.charCodeAt(first) === 35 /* # */) {
      if (lines++ === 0) start = first;
      end = text.charCodeAt(lineEnd - 1) === 13 /* \r */ ? lineEnd - 1 : lineEnd;
    } else if (first < lineEnd && !(first === lineEnd - 1 && text.charCodeAt(first) === 13)) {
      close();
    }
    lineStart = lineEnd + 1;
  }
  close();
  return blocks;
}

/**
 * The text outside the blocks, for tree-sitter's `includedRanges`: the parser skips each block as
 * if its lines were blank, and every node keeps its position in the whole text.
 */
export function rangesAround(text: string, blocks: readonly CommentBlock[]): Range[] {
  const ranges: Range[] = [];
  const points = new PointFinder(text);
  let from = 0;
  for (const { start, end } of blocks) {
    ranges.push({ startIndex: from, endIndex: start, startPosition: points.at(from), endPosition: points.at(start) });
    from = end;
  }
  ranges.push({ startIndex: from, endIndex: text.length, startPosition: points.at(from), endPosition: points.at(text.length) });
  return ranges;
}

/**
 * The blocks that the parse placed outside strings, before any error. A comment ends at its line
 * end and a comment-only line opens nothing, so when a block's first line is a comment, all its
 * lines are, and skipping them changes nothing else (Python ignores comment-only lines for
 * indentation too). Had the first line been inside a string, the string would still hold it, or
 * recovery would have started at or before it. Other blocks are parsed as written.
 */
export function blocksConfirmed(tree: Tree, blocks: readonly CommentBlock[]): boolean[] {
  const firstError = tree.rootNode.hasError ? firstErrorIndex(tree.rootNode) : Infinity;
  return blocks.map(({ start }) => start < firstError && !insideStringOrError(tree.rootNode.descendantForIndex(start)));
}

function firstErrorIndex(node: Node): number {
  if (node.type === 'ERROR' || node.isMissing) return node.startIndex;
  for (const child of node.children) {
    if (child && (child.hasError || child.isMissing)) return firstErrorIndex(child);
  }
  return node.startIndex;
}

function insideStringOrError(node: Node | null): boolean {
  for (let current = node; current; current = current.parent) {
    const type = current.type;
    if (type === 'string' || type === 'string_content' || type === 'ERROR' || current.isMissing) return true;
  }
  return false;
}

function isIndentation(code: number): boolean {
  return code === 32 || code === 9 || code === 12;
}

/** Rows and columns (UTF-16 units, as web-tree-sitter counts them) of ascending offsets. */
class PointFinder {
  private row = 0;
  private lineStart = 0;
  private offset = 0;

  constructor(private readonly text: string) {}

  at(index: number): Point {
    for (let next = this.text.indexOf('\n', this.offset); next >= 0 && next < index; next = this.text.indexOf('\n', next + 1)) {
      this.row++;
      this.lineStart = next + 1;
    }
    this.offset = index;
    return { row: this.row, column: index - this.lineStart };
  }
}
