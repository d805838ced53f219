import { Node } from 'web-tree-sitter';
import { PythonKeyword, PythonOpaque, PythonValue } from '../core/pythonValue';
import { dottedName } from './dottedName';
import { flattenDamaged, LooseValueReader } from './looseValueReader';
import { nodeRange } from './nodeRange';
import { decodeStringLiteral } from './stringLiteral';

/** Deeper nesting than this is read as opaque, so pathological input cannot exhaust the stack. */
const MAX_DEPTH = 200;

/**
 * Reads a tree-sitter expression as a PythonValue: literals, containers, dotted names and calls.
 * Everything else becomes `opaque` with its source text; nothing throws.
 */
export function readValue(node: Node): PythonValue {
  return read(node, 0);
}

/**
 * The two parts of a call, attribute, keyword argument or pair. One children query costs less
 * than two field look-ups; comments among the children need the field look-ups.
 */
function twoParts(node: Node, first: string, second: string): [Node, Node] | undefined {
  const children = node.namedChildren;
  if (children.length === 2) return [children[0], children[1]];
  const a = node.childForFieldName(first);
  const b = node.childForFieldName(second);
  return a && b ? [a, b] : undefined;
}

/** A child with its type, read once: every property access crosses into WebAssembly. */
interface TypedNode {
  readonly node: Node;
  readonly type: string;
}

/** Children that carry meaning: comments, and unless kept error-recovery debris, are left out. */
function meaningfulChildren(node: Node, keepErrors = false): TypedNode[] {
  const out: TypedNode[] = [];
  for (const child of node.namedChildren) {
    const type = child.type;
    if (type !== 'comment' && (keepErrors || type !== 'ERROR')) out.push({ node: child, type });
  }
  return out;
}

function readItems(node: Node, depth: number): PythonValue[] {
  return meaningfulChildren(node).map((item) => read(item.node, depth + 1, item.type));
}

function read(node: Node, depth: number, type: string = node.type): PythonValue {
  if (depth > MAX_DEPTH) return opaque(node);
  switch (type) {
    case 'string':
    case 'concatenated_string':
      return readString(node, type);
    case 'integer':
    case 'float':
      return readNumber(node, node, 1);
    case 'unary_operator':
      return readSignedNumber(node);
    case 'true':
      return { kind: 'constant', value: true, range: nodeRange(node) };
    case 'false':
      return { kind: 'constant', value: false, range: nodeRange(node) };
    case 'none':
      return { kind: 'constant', value: null, range: nodeRange(node) };
    case 'list':
    case 'tuple':
    case 'set':
      if (node.hasError) return readRecovered(node, depth);
      return { kind: type, items: readItems(node, depth), range: nodeRange(node) };
    case 'dictionary':
      return node.hasError ? readRecovered(node, depth) : readDict(node, depth);
    case 'expression_list':
      return { kind: 'tuple', items: readItems(node, depth), range: nodeRange(node) };
    case 'identifier':
      return { kind: 'name', dotted: node.text, range: nodeRange(node) };
    case 'attribute': {
      const dotted = dottedName(node, type);
      return dotted === undefined ? opaque(node) : { kind: 'name', dotted, range: nodeRange(node) };
    }
    case 'call':
      return readCall(node, depth);
    case 'parenthesized_expression': {
      const inner = meaningfulChildren(node);
      return inner.length === 1 ? read(inner[0].node, depth + 1, inner[0].type) : opaque(node);
    }
    default:
      return opaque(node);
  }
}

/** A container with syntax errors inside, read the way a half-typed file is (see LooseValueReader). */
function readRecovered(node: Node, depth: number): PythonValue {
  return new LooseValueReader(flattenDamaged(node.children), read).readValue(depth) ?? opaque(node);
}

function readString(node: Node, type: string): PythonValue {
  // Error debris between the parts makes the value unknown, so comments are all that is skipped.
  const parts = type === 'string' ? [{ node, type }] : meaningfulChildren(node, true);
  let value = '';
  let bytes: boolean | undefined;
  for (const part of parts) {
    // An unterminated literal fails to decode: its text lacks the closing quote.
    const literal = part.type === 'string' ? decodeStringLiteral(part.node.text) : undefined;
    // Mixing bytes and str literals is a SyntaxError in Python.
    if (!literal || (bytes !== undefined && bytes !== literal.bytes)) return opaque(node);
    bytes = literal.bytes;
    value += literal.value;
  }
  return { kind: 'str', value, range: nodeRange(node) };
}

function readSignedNumber(node: Node): PythonValue {
  const operator = node.childForFieldName('operator')?.type;
  const argument = node.childForFieldName('argument');
  if (!argument || (operator !== '-' && operator !== '+')) return opaque(node);
  const argumentType = argument.type;
  if (argumentType !== 'integer' && argumentType !== 'float') return opaque(node);
  return readNumber(node, argument, operator === '-' ? -1 : 1);
}

function readNumber(node: Node, literal: Node, sign: number): PythonValue {
  const literalText = literal.text;
  const text = node === literal ? literalText : node.text;
  const digits = literalText.replace(/_/g, '');
  const lower = digits.toLowerCase();
  // Imaginary literals and Python 2 longs have no JavaScript number.
  const value = lower.endsWith('j') || lower.endsWith('l') ? NaN : parseNumber(digits);
  if (Number.isNaN(value)) return opaque(node);
  return { kind: 'number', value: sign * value, text, range: nodeRange(node) };
}

function parseNumber(digits: string): number {
  const lower = digits.toLowerCase();
  // Number() reads 0x, 0o and 0b itself but not Python 2 octals such as 0755.
  if (lower.length > 1 && lower[0] === '0' && lower[1] >= '0' && lower[1] <= '9' && !/[.e]/.test(lower)) {
    return /^0+$/.test(lower) ? 0 : NaN;
  }
  return Number(digits);
}

function readDict(node: Node, depth: number): PythonValue {
  const entries: { key: PythonValue; value: PythonValue }[] = [];
  for (const { node: child, type } of meaningfulChildren(node)) {
    // `**other` merges a dict whose contents are unknown here.
    if (type !== 'pair') return opaque(node);
    const parts = twoParts(child, 'key', 'value');
    if (!parts) return opaque(node);
    entries.push({ key: read(parts[0], depth + 1), value: read(parts[1], depth + 1) });
  }
  return { kind: 'dict', entries, range: nodeRange(node) };
}

function readCall(node: Node, depth: number): PythonValue {
  const parts = twoParts(node, 'function', 'arguments');
  if (!parts) return opaque(node);
  const [callee, argumentList] = parts;
  const args: PythonValue[] = [];
  const kwargs: PythonKeyword[] = [];
  if (argumentList.type === 'argument_list') {
    for (const { node: argument, type } of meaningfulChildren(argumentList)) {
      if (type === 'keyword_argument') {
        const keyword = twoParts(argument, 'name', 'value');
        if (keyword) {
          const [name, value] = keyword;
          kwargs.push({ name: name.text, nameRange: nodeRange(name), value: read(value, depth + 1) });
        }
      } else {
        args.push(read(argument, depth + 1, type));
      }
    }
  } else {
    // `f(x for x in y)`: a lone generator expression.
    args.push(opaque(argumentList));
  }
  return {
    kind: 'call',
    callee: dottedName(callee) ?? callee.text,
    calleeRange: nodeRange(callee),
    args,
    kwargs,
    range: nodeRange(node),
  };
}

function opaque(node: Node): PythonOpaque {
  return { kind: 'opaque', text: node.text, range: nodeRange(node) };
}
