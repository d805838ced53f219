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

interface Frame {
  readonly indents: number;
  readonly blocks: number;
  readonly expressions: number;
}

/** One walk over the tree, keeping each limit's count on the path from the root. */
function nestingErrors(root: Node): ImportFailure[] {
  const found = new Map<string, ImportFailure>();
  const report = (kind: string, node: Node, message: string) => {
    if (!found.has(kind)) found.set(kind, { code: 'syntax-error', range: nodeRange(node), message });
  };
  const cursor = root.walk();
  const frames: Frame[] = [{ indents: 0, blocks: 0, expressions: 0 }];
  // Brackets count in token order across siblings: kept apart from the per-node frames.
  let brackets = 0;
  let descend = true;
  for (;;) {
    if (descend) {
      const node = cursor.currentNode;
      const type = node.type;
      const parent = frames[frames.length - 1];
      let { indents, blocks, expressions } = parent;
      if (OPENING.has(type) && !node.isNamed) {
        if (++brackets > MAX_BRACKET_DEPTH) report('brackets', node, 'SyntaxError: too many nested parentheses');
      } else if (CLOSING.has(type) && !node.isNamed) {
        brackets = Math.max(0, brackets - 1);
      }
      if (type === 'block') {
        const owner = node.parent;
        if (owner && node.startPosition.row > owner.startPosition.row && node.namedChildCount > 0) {
          if (++indents > MAX_INDENT_LEVELS) report('indent', node, 'IndentationError: too many levels of indentation');
        }
        if (owner && isEmptyBlock(node, owner)) {
          const what = BLOCK_OWNERS[owner.type];
          const message = what
            ? `IndentationError: expected an indented block after ${what} on line ${owner.startPosition.row + 1}`
            : 'IndentationError: expected an indented block';
          report('empty-block', owner, message);
        }
      }
      if (NEW_SCOPES.has(type)) blocks = 0;
      if (STATIC_BLOCKS.has(type) && ++blocks > MAX_STATIC_BLOCKS) report('blocks', node, 'SyntaxError: too many statically nested blocks');
      if (AST_EXPRESSIONS.has(type) && ++expressions >= MAX_EXPRESSION_DEPTH) {
        report('recursion', node, 'RecursionError: maximum recursion depth exceeded during compilation');
      }
      // Strings and comments hold no tokens Python's bracket count sees (f-strings aside: a lower bound).
      if (type !== 'string' && type !== 'comment' && cursor.gotoFirstChild()) {
        frames.push({ indents, blocks, expressions });
        continue;
      }
    }
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    frames.pop();
    descend = false;
  }
  cursor.delete();
  return [...found.values()];
}

/** A block with no statement, in a definition or statement that is otherwise whole. */
function isEmptyBlock(block: Node, owner: Node): boolean {
  if (block.namedChildren.some((child) => child.type !== 'comment')) return false;
  if (block.hasError || owner.hasError) return false;
  return BLOCK_OWNERS[owner.type] !== undefined;
}
