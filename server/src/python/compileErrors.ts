import { Node } from 'web-tree-sitter';
import { ImportFailure } from '../core/migration';
import { FILE_START } from '../core/sourceRange';
import { nodeRange } from './nodeRange';

/** How the bytes were decoded: see `decodeSource`. */
export interface SourceDecoding {
  /** UTF-16 offsets of bytes that were not UTF-8. */
  readonly undecodable?: readonly number[];
  /** The declared encoding itself is refused. */
  readonly encodingError?: string;
}

/** CPython's limits (3.11 to 3.13): `MAXLEVEL`, `MAXINDENT`, `CO_MAXBLOCKS`. */
const MAX_BRACKET_DEPTH = 200;
const MAX_INDENT_LEVELS = 99;
const MAX_STATIC_BLOCKS = 20;
/**
 * An expression nested this deep fails compilation with RecursionError in every interpreter we
 * checked (CPython 3.11 fails from 2,990); AST nodes only, so the count never exceeds Python's.
 */
const MAX_EXPRESSION_DEPTH = 3000;

const OPENING = new Set(['(', '[', '{']);
const CLOSING = new Set([')', ']', '}']);
const STATIC_BLOCKS = new Set(['for_statement', 'while_statement', 'try_statement', 'with_statement']);
/** How the statements of STATIC_BLOCKS begin; `async for` and `async with` too. */
const STATIC_KEYWORDS = ['for', 'while', 'try', 'with', 'async'];
const NEW_SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);
const AST_EXPRESSIONS = new Set([
  'binary_operator',
  'unary_operator',
  'not_operator',
  'attribute',
  'subscript',
  'call',
  'lambda',
  'conditional_expression',
  'await',
]);

/** What Python calls the statement a block belongs to, as its "expected an indented block" error does. */
const BLOCK_OWNERS: Readonly<Record<string, string>> = {
  class_definition: 'class definition',
  function_definition: 'function definition',
  if_statement: "'if' statement",
  elif_clause: "'elif' statement",
  else_clause: "'else' statement",
  for_statement: "'for' statement",
  while_statement: "'while' statement",
  with_statement: "'with' statement",
  try_statement: "'try' statement",
  except_clause: "'except' statement",
  except_group_clause: "'except*' statement",
  finally_clause: "'finally' statement",
  match_statement: "'match' statement",
  case_clause: "'case' statement",
};

/**
 * Errors Python raises while compiling a module that tree-sitter's tree does not show as ERROR
 * nodes: an empty block (`class Migration:` at the end of a file), nesting beyond CPython's
 * limits, bytes that are not UTF-8 outside a comment, a refused encoding declaration. The first
 * of each kind, as Python stops at the first.
 */
export function compileErrors(root: Node, decoding: SourceDecoding = {}): ImportFailure[] {
  const errors: ImportFailure[] = [];
  if (decoding.encodingError) errors.push({ code: 'syntax-error', range: FILE_START, message: `SyntaxError: ${decoding.encodingError}` });
  const undecodable = firstUndecodableOutsideComment(root, decoding.undecodable ?? []);
  if (undecodable) errors.push(undecodable);
  errors.push(...nestingErrors(root));
  return errors;
}

function firstUndecodableOutsideComment(root: Node, offsets: readonly number[]): ImportFailure | undefined {
  if (offsets.length === 0) return undefined;
  const text = root.text;
  let row = 0;
  let lineStart = 0;
  let scanned = 0;
  for (const offset of offsets) {
    for (; scanned < offset; scanned++) {
      const code = text.charCodeAt(scanned);
      if (code === 10 || (code === 13 && text.charCodeAt(scanned + 1) !== 10)) {
        row++;
        lineStart = scanned + 1;
      }
    }
    const position = { row, column: offset - lineStart };
    let node: Node | null = root.descendantForPosition(position);
    while (node && node.type !== 'comment') node = node.parent;
    if (!node) {
      return {
        code: 'syntax-error',
        range: { start: { line: row, character: position.column }, end: { line: row, character: position.column + 1 } },
        message:
          "SyntaxError: (unicode error) 'utf-8' codec can't decode this byte. Python reads a file as UTF-8 unless a " +
          '`# -*- coding: ... -*-` line names its encoding, and only skips such bytes inside comments.',
      };
    }
  }
  return undefined;
}

/**
 * CPython's nesting limits and empty blocks. A pass over the lines says where each can happen (a
 * line ending in `:` not followed by a deeper one, a deep column, many brackets, a long span);
 * the tree decides there, so a healthy file costs no walk over every node.
 */
function nestingErrors(root: Node): ImportFailure[] {
  const errors: ImportFailure[] = [];
  const failure = (node: Node, message: string): ImportFailure => ({ code: 'syntax-error', range: nodeRange(node), message });
  const lines = root.text.split('\n');
  const hints = lineHints(lines);
  if (hints.maybeEmptyBlock) {
    const empty = root.descendantsOfType('block').find((block) => block.parent && isEmptyBlock(block, block.parent));
    const owner = empty?.parent;
    if (owner)
      errors.push(
        failure(
          owner,
          `IndentationError: expected an indented block after ${BLOCK_OWNERS[owner.type]} on line ${owner.startPosition.row + 1}`,
        ),
      );
  }
  // Each level of indentation takes at least one column.
  for (const row of hints.deepRows) {
    const statement = statementAt(root, row, indentation(lines[row]));
    const block = statement?.parent;
    if (block?.type === 'block' && indentLevels(block) > MAX_INDENT_LEVELS) {
      errors.push(failure(block, 'IndentationError: too many levels of indentation'));
      break;
    }
  }
  for (const row of hints.nestedStatementRows) {
    const statement = statementAt(root, row, indentation(lines[row]));
    if (statement && STATIC_BLOCKS.has(statement.type) && staticBlockDepth(statement) > MAX_STATIC_BLOCKS) {
      errors.push(failure(statement, 'SyntaxError: too many statically nested blocks'));
      break;
    }
  }
  const bracket = hints.manyBrackets ? bracketBeyondLimit(root) : undefined;
  if (bracket) errors.push({ code: 'syntax-error', range: bracket, message: 'SyntaxError: too many nested parentheses' });
  const deepExpression = expressionBeyondLimit(root);
  if (deepExpression) errors.push(failure(deepExpression, 'RecursionError: maximum recursion depth exceeded during compilation'));
  return errors;
}

interface LineHints {
  /** Some line ends in `:` and the next line with code is not indented deeper (or there is none). */
  readonly maybeEmptyBlock: boolean;
  /** Lines indented past the deepest level Python allows. */
  readonly deepRows: readonly number[];
  /** Lines deep enough to be the 21st nested loop, `try` or `with`, that start with such a keyword. */
  readonly nestedStatementRows: readonly number[];
  /** Enough brackets, nested deep enough ignoring strings, to possibly pass the limit. */
  readonly manyBrackets: boolean;
}

/** Where the limits could be reached: a superset, decided on the tree afterwards. */
function lineHints(lines: readonly string[]): LineHints {
  let maybeEmptyBlock = false;
  const deepRows: number[] = [];
  const nestedStatementRows: number[] = [];
  let depth = 0;
  let deepest = 0;
  let pendingColon: number | undefined;
  for (let row = 0; row < lines.length; row++) {
    const line = lines[row];
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = indentation(line);
    if (pendingColon !== undefined && indent <= pendingColon) maybeEmptyBlock = true;
    pendingColon = trimmed.endsWith(':') || trimmed.includes('#') ? indent : undefined;
    if (indent > MAX_INDENT_LEVELS) deepRows.push(row);
    if (indent >= MAX_STATIC_BLOCKS && STATIC_KEYWORDS.some((keyword) => trimmed.startsWith(keyword))) nestedStatementRows.push(row);
    for (let i = 0; i < line.length; i++) {
      const code = line.charCodeAt(i);
      // ( [ {  and  ) ] }
      if (code === 40 || code === 91 || code === 123) deepest = Math.max(deepest, ++depth);
      else if ((code === 41 || code === 93 || code === 125) && depth > 0) depth--;
    }
  }
  if (pendingColon !== undefined) maybeEmptyBlock = true;
  return { maybeEmptyBlock, deepRows, nestedStatementRows, manyBrackets: deepest > MAX_BRACKET_DEPTH / 2 };
}

function indentation(line: string): number {
  return line.length - line.trimStart().length;
}

/** The statement that starts at this line and column: the outermost node starting there, below its block. */
function statementAt(root: Node, row: number, column: number): Node | undefined {
  let node: Node | null = root.descendantForPosition({ row, column });
  for (let parent = node?.parent; node && parent && parent.type !== 'block' && parent.startIndex === node.startIndex; parent = node.parent)
    node = parent;
  return node ?? undefined;
}

/** Indented blocks from the module down to this one (a block on its header's line adds none). */
function indentLevels(block: Node): number {
  let levels = 0;
  for (let node: Node | null = block; node; node = node.parent) {
    const owner = node.parent;
    if (node.type === 'block' && owner && node.startPosition.row > owner.startPosition.row) levels++;
  }
  return levels;
}

/** Loops, `try` and `with` statements around this one, itself included, within one function or class. */
function staticBlockDepth(statement: Node): number {
  let depth = 0;
  for (let node: Node | null = statement; node && !NEW_SCOPES.has(node.type); node = node.parent) {
    if (STATIC_BLOCKS.has(node.type)) depth++;
  }
  return depth;
}

/** The first opening bracket past the tokenizer's limit, outside strings and comments. */
function bracketBeyondLimit(root: Node): ReturnType<typeof nodeRange> | undefined {
  const text = root.text;
  // Strings and comments hold no tokens Python's bracket count sees (f-strings aside: a lower bound).
  const skipped = root.descendantsOfType(['string', 'comment']).map((node) => [node.startIndex, node.endIndex] as const);
  let next = 0;
  let depth = 0;
  let row = 0;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    while (next < skipped.length && skipped[next][1] <= i) next++;
    const character = text[i];
    if (character === '\n') {
      row++;
      lineStart = i + 1;
    }
    if (next < skipped.length && skipped[next][0] <= i) continue;
    if (OPENING.has(character) && ++depth > MAX_BRACKET_DEPTH) {
      return { start: { line: row, character: i - lineStart }, end: { line: row, character: i - lineStart + 1 } };
    }
    if (CLOSING.has(character)) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/**
 * An expression nested MAX_EXPRESSION_DEPTH deep. Each level takes at least one character, so
 * only nodes spanning as many characters as the levels still missing are entered.
 */
function expressionBeyondLimit(root: Node): Node | undefined {
  if (root.endIndex - root.startIndex < MAX_EXPRESSION_DEPTH) return undefined;
  // A cursor, so that the many small children passed over are never made into Node objects.
  const cursor = root.walk();
  try {
    const depths = [AST_EXPRESSIONS.has(cursor.nodeType) ? 1 : 0];
    for (;;) {
      const depth = depths[depths.length - 1];
      if (depth >= MAX_EXPRESSION_DEPTH) return cursor.currentNode;
      let entered = false;
      if (cursor.gotoFirstChild()) {
        do {
          if (cursor.nodeIsNamed && cursor.endIndex - cursor.startIndex >= MAX_EXPRESSION_DEPTH - depth) {
            depths.push(depth + (AST_EXPRESSIONS.has(cursor.nodeType) ? 1 : 0));
            entered = true;
            break;
          }
        } while (cursor.gotoNextSibling());
        if (!entered) cursor.gotoParent();
      }
      if (entered) continue;
      // Next large sibling of this node or of an ancestor.
      for (;;) {
        if (depths.length === 1) return undefined;
        depths.pop();
        const above = depths[depths.length - 1];
        let found = false;
        while (cursor.gotoNextSibling()) {
          if (cursor.nodeIsNamed && cursor.endIndex - cursor.startIndex >= MAX_EXPRESSION_DEPTH - above) {
            depths.push(above + (AST_EXPRESSIONS.has(cursor.nodeType) ? 1 : 0));
            found = true;
            break;
          }
        }
        if (found) break;
        cursor.gotoParent();
      }
    }
  } finally {
    cursor.delete();
  }
}

/** A block with no statement, in a definition or statement that is otherwise whole. */
function isEmptyBlock(block: Node, owner: Node): boolean {
  if (block.namedChildren.some((child) => child.type !== 'comment')) return false;
  if (block.hasError || owner.hasError) return false;
  return BLOCK_OWNERS[owner.type] !== undefined;
}
