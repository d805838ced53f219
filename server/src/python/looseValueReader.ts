import { Node, Point } from 'web-tree-sitter';
import { PythonKeyword, PythonValue } from '../core/pythonValue';
import { dottedName } from './dottedName';
import { nodeRange, spanRange } from './nodeRange';

const MAX_DEPTH = 200;

/** Node types that start a statement: a value being read never extends over one. */
const STATEMENT_TYPES = new Set([
  'expression_statement',
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'function_definition',
  'class_definition',
  'decorated_definition',
  'if_statement',
  'for_statement',
  'while_statement',
  'try_statement',
  'with_statement',
  'match_statement',
  'return_statement',
  'pass_statement',
  'block',
]);

/** Expressions whose pieces this reader can put back together when they contain errors. */
const REASSEMBLED_TYPES = new Set([
  'ERROR',
  'list',
  'tuple',
  'set',
  'dictionary',
  'call',
  'argument_list',
  'keyword_argument',
  'pair',
  'attribute',
  'parenthesized_expression',
  'expression_list',
  'binary_operator',
  'boolean_operator',
  'not_operator',
  'comparison_operator',
]);

const CLOSERS = new Set([')', ']', '}']);

export function isStatementNode(node: Node): boolean {
  return STATEMENT_TYPES.has(node.type);
}

/**
 * Expands ERROR nodes in place into what they contain, and drops comments: error recovery
 * leaves complete subtrees and loose tokens side by side, and this gives them as one run.
 */
export function flattenErrors(nodes: readonly Node[]): Node[] {
  return flatten(nodes, (_, type) => type === 'ERROR');
}

/**
 * Like flattenErrors, and also takes apart every list, call, dict... that contains an error,
 * together with every such expression inside it that spans several lines: a complete
 * `model_name=` followed on the next line by the next operation is one keyword argument to the
 * parser, and only its pieces let indentation tell them apart (see LooseValueReader).
 */
export function flattenDamaged(nodes: readonly Node[]): Node[] {
  return flatten(
    nodes,
    (node, type, inDamage) =>
      type === 'ERROR' || (REASSEMBLED_TYPES.has(type) && (node.hasError || (inDamage && node.endPosition.row > node.startPosition.row))),
  );
}

/** `expand` says whether to replace a node by its children; `inDamage`: inside an expanded node. */
function flatten(nodes: readonly Node[], expand: (node: Node, type: string, inDamage: boolean) => boolean): Node[] {
  const out: Node[] = [];
  const pending: [Node, boolean][] = nodes.map((node): [Node, boolean] => [node, false]).reverse();
  while (pending.length > 0) {
    const [node, inDamage] = pending.pop() as [Node, boolean];
    const type = node.type;
    if (expand(node, type, inDamage)) {
      const children = node.children;
      for (let i = children.length - 1; i >= 0; i--) pending.push([children[i], true]);
    } else if (type !== 'comment' && !(node.isMissing && node.startIndex === node.endIndex)) {
      out.push(node);
    }
  }
  return out;
}

/**
 * Reads values out of a run of nodes and tokens that tree-sitter's error recovery left behind
 * (see flattenErrors), the way a half-typed file reads if its brackets are closed where the text
 * stops: `operations = [ migrations.AddField( model_name='a',` gives a list with one partial call.
 *
 * Indentation decides where an unclosed item ends: in
 *
 *     operations = [
 *         migrations.AddField(model_name='a',
 *         migrations.RunPython(forwards),
 *     ]
 *
 * Python would read RunPython as an argument of AddField; here a token on a later line at or left
 * of the column where the current list item started begins the next item.
 */
export class LooseValueReader {
  private position = 0;
  private lastConsumed: Node | undefined;
  /** Starts of the list items being read, innermost last. */
  private readonly itemStarts: Point[] = [];

  /** `readNode` reads the complete subtrees among the items (see valueReader), at a nesting depth. */
  constructor(
    private readonly items: readonly Node[],
    private readonly readNode: (node: Node, depth: number) => PythonValue,
  ) {}

  get atEnd(): boolean {
    return this.position >= this.items.length;
  }

  peek(offset = 0): Node | undefined {
    return this.items[this.position + offset];
  }

  next(): Node | undefined {
    const node = this.items[this.position];
    if (node) {
      this.position++;
      this.lastConsumed = node;
    }
    return node;
  }

  /** Reads the value of a statement that starts at `start`, such as `operations = [`. */
  readStatementValue(start: Node): PythonValue | undefined {
    return this.withinItem(start.startPosition, () => this.readValue());
  }

  /** Reads one value; undefined (nothing consumed) when the next item cannot start one. */
  readValue(depth = 0): PythonValue | undefined {
    const first = this.peek();
    if (!first || isStatementNode(first) || this.endsItem(first)) return undefined;
    if (depth > MAX_DEPTH) {
      this.next();
      return { kind: 'opaque', text: first.text, range: nodeRange(first) };
    }
    const type = first.type;
    if (type === '[' || type === '(' || type === '{') {
      this.next();
      return this.readContainer(first, depth);
    }
    if (!first.isNamed || type === 'keyword_argument') return undefined;
    this.next();
    // An argument list that lost its callee to recovery is a parenthesized tuple.
    if (type === 'argument_list') return new LooseValueReader(flattenDamaged(first.children), this.readNode).readValue(depth + 1);
    if (type !== 'identifier' && type !== 'attribute') return this.readNode(first, depth + 1);
    const name = this.readDottedName(first);
    if (name === undefined) return this.readNode(first, depth + 1);
    const nameEnd = this.lastConsumed ?? first;
    const after = this.peek();
    if (after?.type === '(' && !this.endsItem(after)) {
      this.next();
      return this.readCallArguments(first, nameEnd, name, depth);
    }
    if (after?.type === 'argument_list' && !this.endsItem(after)) {
      this.next();
      return this.callFromArgumentList(first, nameEnd, name, after, depth);
    }
    return nameEnd === first ? this.readNode(first, depth + 1) : { kind: 'name', dotted: name, range: spanRange(first, nameEnd) };
  }

  /** `a.b` whose pieces recovery left apart: `a` `.` `b`. */
  private readDottedName(first: Node): string | undefined {
    let name = dottedName(first);
    while (name !== undefined && this.peek()?.type === '.') {
      const part = this.peek(1);
      const partName = part && !this.endsItem(part) ? dottedName(part) : undefined;
      if (partName === undefined) break;
      this.next();
      this.next();
      name = `${name}.${partName}`;
    }
    return name;
  }

  private readContainer(opener: Node, depth: number): PythonValue {
    const closer = opener.type === '[' ? ']' : opener.type === '(' ? ')' : '}';
    const items: PythonValue[] = [];
    const entries: { key: PythonValue; value: PythonValue }[] = [];
    let trailingComma = false;
    for (;;) {
      const next = this.peek();
      if (!next || this.startsAssignment(next) || this.endsItem(next)) break;
      if (next.type === closer) {
        this.next();
        break;
      }
      if (CLOSERS.has(next.type)) break;
      if (next.type === ',') {
        this.next();
        trailingComma = true;
        continue;
      }
      trailingComma = false;
      if (next.type === 'pair') {
        this.next();
        const key = next.childForFieldName('key');
        const value = next.childForFieldName('value');
        if (key && value) entries.push({ key: this.readNode(key, depth + 1), value: this.readNode(value, depth + 1) });
        continue;
      }
      const item = this.withinItem(next.startPosition, () => {
        const key = this.readValue(depth + 1);
        if (!key || closer !== '}' || this.peek()?.type !== ':') return key;
        this.next();
        const value = this.readValue(depth + 1);
        if (value) entries.push({ key, value });
        return undefined;
      });
      if (item) items.push(item);
      else if (this.peek() === next) {
        if (isStatementNode(next)) break;
        this.next();
      }
    }
    const range = spanRange(opener, this.lastConsumed ?? opener);
    if (closer === ']') return { kind: 'list', items, range };
    if (closer === '}') return entries.length > 0 || items.length === 0 ? { kind: 'dict', entries, range } : { kind: 'set', items, range };
    // `(x)` without a comma is x itself.
    return items.length === 1 && !trailingComma ? items[0] : { kind: 'tuple', items, range };
  }

  private readCallArguments(calleeNode: Node, calleeEnd: Node, callee: string, depth: number): PythonValue {
    const args: PythonValue[] = [];
    const kwargs: PythonKeyword[] = [];
    for (;;) {
      const next = this.peek();
      if (!next || this.endsItem(next)) break;
      if (next.type === ')') {
        this.next();
        break;
      }
      if (CLOSERS.has(next.type)) break;
      if (next.type === ',') {
        this.next();
        continue;
      }
      if (next.type === 'keyword_argument') {
        this.next();
        const name = next.childForFieldName('name');
        const value = next.childForFieldName('value');
        if (name && value) kwargs.push({ name: name.text, nameRange: nodeRange(name), value: this.readNode(value, depth + 1) });
        continue;
      }
      if (next.type === 'identifier' && this.peek(1)?.type === '=') {
        this.next();
        this.next();
        const value = this.readValue(depth + 1);
        if (value) kwargs.push({ name: next.text, nameRange: nodeRange(next), value });
        continue;
      }
      const value = this.readValue(depth + 1);
      if (value) {
        args.push(value);
      } else if (this.peek() === next) {
        if (isStatementNode(next)) break;
        this.next();
      }
    }
    return {
      kind: 'call',
      callee,
      calleeRange: spanRange(calleeNode, calleeEnd),
      args,
      kwargs,
      range: spanRange(calleeNode, this.lastConsumed ?? calleeNode),
    };
  }

  /** `name` followed by a complete argument list that recovery did not join into a call. */
  private callFromArgumentList(calleeNode: Node, calleeEnd: Node, callee: string, argumentList: Node, depth: number): PythonValue {
    const args: PythonValue[] = [];
    const kwargs: PythonKeyword[] = [];
    for (const argument of argumentList.namedChildren) {
      const type = argument.type;
      if (type === 'comment' || type === 'ERROR') continue;
      const name = type === 'keyword_argument' ? argument.childForFieldName('name') : null;
      const value = type === 'keyword_argument' ? argument.childForFieldName('value') : null;
      if (name && value) kwargs.push({ name: name.text, nameRange: nodeRange(name), value: this.readNode(value, depth + 1) });
      else if (type !== 'keyword_argument') args.push(this.readNode(argument, depth + 1));
    }
    return {
      kind: 'call',
      callee,
      calleeRange: spanRange(calleeNode, calleeEnd),
      args,
      kwargs,
      range: spanRange(calleeNode, argumentList),
    };
  }

  private withinItem<T>(start: Point, read: () => T): T {
    this.itemStarts.push(start);
    try {
      return read();
    } finally {
      this.itemStarts.pop();
    }
  }

  /** A token on a later line than an item being read, at or left of its column, ends that item. */
  private endsItem(node: Node): boolean {
    const type = node.type;
    if (this.itemStarts.length === 0 || CLOSERS.has(type) || type === ',') return false;
    const { row, column } = node.startPosition;
    return this.itemStarts.some((start) => row > start.row && column <= start.column);
  }

  /** `name =` or `name +=` inside a container starts the next statement of a half-typed file. */
  private startsAssignment(next: Node): boolean {
    if (next.type !== 'identifier') return false;
    const operator = this.peek(1)?.type;
    return operator === '=' || operator === '+=';
  }
}
