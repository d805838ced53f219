import * as path from 'node:path';
import { Node } from 'web-tree-sitter';
import { SourceRange } from '../core/sourceRange';
import { nodeRange } from './nodeRange';
import { dottedName } from './dottedName';
import { readValue } from './valueReader';

/** A place in one file of a module set (settings split over several modules). */
export interface SourceLocation {
  readonly path: string;
  readonly range: SourceRange;
}

/**
 * What a module-level Python expression evaluates to, as far as it can be known without running
 * Python: literals, lists, dicts, file-system paths computed from `__file__`, and values read from
 * the environment. `unknown` says why and where.
 */
export type StaticValue =
  | { readonly kind: 'str'; readonly value: string; readonly location?: SourceLocation }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'none' }
  /** A list or tuple. */
  | { readonly kind: 'list'; readonly items: readonly StaticValue[] }
  /** A dict with string keys. */
  | { readonly kind: 'dict'; readonly entries: ReadonlyMap<string, StaticValue> }
  /** A pathlib path, absolute when computed from `__file__`. */
  | { readonly kind: 'path'; readonly value: string }
  /** `os.environ[...]`, `os.environ.get(...)`, `os.getenv(...)`: another layer knows the environment. */
  | { readonly kind: 'environment'; readonly variable: string; readonly default?: StaticValue }
  /** `description` completes a sentence about the value: "is computed by calling `f()`". */
  | { readonly kind: 'unknown'; readonly description: string; readonly location: SourceLocation };

export interface EvaluationContext {
  /** The file being evaluated: the value of `__file__`. */
  readonly file: string;
  lookup(name: string): StaticValue | undefined;
}

const MAX_DEPTH = 100;
const PATH_CLASSES = new Set(['Path', 'PurePath', 'PosixPath', 'PurePosixPath', 'WindowsPath', 'PureWindowsPath']);
const ENVIRONMENT_GETTERS = new Set([
  'os.environ.get',
  'environ.get',
  'os.getenv',
  'getenv',
  'os.environ.setdefault',
  'environ.setdefault',
]);
const OS_PATH_FUNCTIONS = new Set(['join', 'dirname', 'abspath', 'realpath', 'normpath', 'basename']);

/** Evaluates `node` statically in `context`; never throws. */
export function evaluateExpression(node: Node, context: EvaluationContext): StaticValue {
  return evaluate(node, context, 0);
}

/** Python's truth value of a known value; undefined when it cannot be known. */
export function truthValue(value: StaticValue): boolean | undefined {
  switch (value.kind) {
    case 'str':
      return value.value.length > 0;
    case 'path':
      return true;
    case 'number':
      return value.value !== 0;
    case 'bool':
      return value.value;
    case 'none':
      return false;
    case 'list':
      return value.items.length > 0;
    case 'dict':
      return value.entries.size > 0;
    default:
      return undefined;
  }
}

function evaluate(node: Node, context: EvaluationContext, depth: number): StaticValue {
  if (depth > MAX_DEPTH) return unknown(node, context, 'is nested too deeply');
  const type = node.type;
  switch (type) {
    case 'string':
    case 'concatenated_string':
    case 'integer':
    case 'float':
    case 'unary_operator':
    case 'true':
    case 'false':
    case 'none':
      return literal(node, context);
    case 'list':
    case 'tuple':
    case 'expression_list':
    case 'set':
      return evaluateItems(node, context, depth);
    case 'dictionary':
      return evaluateDict(node, context, depth);
    case 'parenthesized_expression': {
      const inner = node.namedChildren.filter((child) => child.type !== 'comment');
      return inner.length === 1 ? evaluate(inner[0], context, depth + 1) : unknown(node, context);
    }
    case 'identifier': {
      const name = node.text;
      if (name === '__file__') return { kind: 'str', value: context.file };
      return context.lookup(name) ?? unknown(node, context, `uses \`${name}\`, which is not defined statically`);
    }
    case 'attribute':
      return evaluateAttribute(node, context, depth);
    case 'call':
      return evaluateCall(node, context, depth);
    case 'binary_operator':
      return evaluateBinary(node, context, depth);
    case 'boolean_operator':
      return evaluateBoolean(node, context, depth);
    case 'comparison_operator':
      return evaluateComparison(node, context, depth);
    case 'not_operator': {
      const argument = node.childForFieldName('argument');
      const truth = argument ? truthValue(evaluate(argument, context, depth + 1)) : undefined;
      return truth === undefined ? unknown(node, context) : { kind: 'bool', value: !truth };
    }
    case 'subscript':
      return evaluateSubscript(node, context, depth);
    default:
      return unknown(node, context);
  }
}

function literal(node: Node, context: EvaluationContext): StaticValue {
  const value = readValue(node);
  switch (value.kind) {
    case 'str':
      return { kind: 'str', value: value.value, location: { path: context.file, range: value.range } };
    case 'number':
      return { kind: 'number', value: value.value };
    case 'constant':
      return value.value === null ? { kind: 'none' } : { kind: 'bool', value: value.value };
    default:
      return unknown(node, context);
  }
}

function evaluateItems(node: Node, context: EvaluationContext, depth: number): StaticValue {
  const items: StaticValue[] = [];
  for (const child of node.namedChildren) {
    const type = child.type;
    if (type === 'comment' || type === 'ERROR') continue;
    if (type === 'list_splat') {
      const inner = child.namedChildren.find((c) => c.type !== 'comment');
      const spread = inner ? evaluate(inner, context, depth + 1) : unknown(child, context);
      if (spread.kind === 'list') items.push(...spread.items);
      else items.push(spread.kind === 'unknown' ? spread : unknown(child, context));
    } else {
      items.push(evaluate(child, context, depth + 1));
    }
  }
  return { kind: 'list', items };
}

function evaluateDict(node: Node, context: EvaluationContext, depth: number): StaticValue {
  const entries = new Map<string, StaticValue>();
  for (const child of node.namedChildren) {
    const type = child.type;
    if (type === 'comment' || type === 'ERROR') continue;
    if (type === 'dictionary_splat') {
      const inner = child.namedChildren.find((c) => c.type !== 'comment');
      const merged = inner ? evaluate(inner, context, depth + 1) : unknown(child, context);
      if (merged.kind !== 'dict') return merged.kind === 'unknown' ? merged : unknown(child, context);
      for (const [key, value] of merged.entries) entries.set(key, value);
      continue;
    }
    const keyNode = child.childForFieldName('key');
    const valueNode = child.childForFieldName('value');
    if (type !== 'pair' || !keyNode || !valueNode) return unknown(node, context);
    const key = evaluate(keyNode, context, depth + 1);
    if (key.kind !== 'str') return unknown(keyNode, context, 'has a key that is not a literal string');
    entries.set(key.value, evaluate(valueNode, context, depth + 1));
  }
  return { kind: 'dict', entries };
}

function evaluateAttribute(node: Node, context: EvaluationContext, depth: number): StaticValue {
  const objectNode = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute')?.text;
  if (!objectNode || !attribute) return unknown(node, context);
  const object = evaluate(objectNode, context, depth + 1);
  if (object.kind === 'path' && attribute === 'parent') return { kind: 'path', value: path.dirname(object.value) };
  if (object.kind === 'unknown') return object;
  return unknown(node, context);
}

function evaluateCall(node: Node, context: EvaluationContext, depth: number): StaticValue {
  const calleeNode = node.childForFieldName('function');
  const argumentList = node.childForFieldName('arguments');
  if (!calleeNode || argumentList?.type !== 'argument_list') return unknown(node, context);
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const argument of argumentList.namedChildren) {
    const type = argument.type;
    if (type === 'comment') continue;
    if (type === 'keyword_argument') {
      const name = argument.childForFieldName('name');
      const value = argument.childForFieldName('value');
      if (name && value) keywords.set(name.text, value);
    } else if (type === 'list_splat' || type === 'dictionary_splat' || type === 'ERROR') {
      return unknown(node, context);
    } else {
      positional.push(argument);
    }
  }
  const args = () => positional.map((argument) => evaluate(argument, context, depth + 1));
  const callee = dottedName(calleeNode);

  if (callee !== undefined && ENVIRONMENT_GETTERS.has(callee)) {
    const variable = positional[0] && evaluate(positional[0], context, depth + 1);
    if (variable?.kind !== 'str') return unknown(node, context, 'reads an environment variable whose name is not a literal');
    const defaultNode = positional[1] ?? keywords.get('default');
    // `.get(name)` and `getenv(name)` give None when the variable is unset.
    const fallback: StaticValue = defaultNode ? evaluate(defaultNode, context, depth + 1) : { kind: 'none' };
    return { kind: 'environment', variable: variable.value, default: fallback };
  }
  if (callee !== undefined && PATH_CLASSES.has(callee.slice(callee.lastIndexOf('.') + 1))) {
    const parts = args();
    if (parts.length === 0) return unknown(node, context, 'depends on the working directory');
    return joinPaths(parts, node, context, 'path');
  }
  if (callee?.startsWith('os.path.') || callee?.startsWith('path.')) {
    const name = callee.slice(callee.lastIndexOf('.') + 1);
    if (OS_PATH_FUNCTIONS.has(name)) return osPath(name, args(), node, context);
  }
  if (callee === 'str' && positional.length === 1) {
    const value = evaluate(positional[0], context, depth + 1);
    if (value.kind === 'path') return { kind: 'str', value: value.value };
    if (value.kind === 'str' || value.kind === 'environment' || value.kind === 'unknown') return value;
    if (value.kind === 'number') return { kind: 'str', value: String(value.value) };
    return unknown(node, context);
  }
  if ((callee === 'int' || callee === 'float') && positional.length === 1) {
    const value = evaluate(positional[0], context, depth + 1);
    if (value.kind === 'number' || value.kind === 'environment' || value.kind === 'unknown') return value;
    if (value.kind === 'str' && value.value.trim() !== '' && !Number.isNaN(Number(value.value))) {
      return { kind: 'number', value: Number(value.value) };
    }
    return unknown(node, context);
  }
  if ((callee === 'list' || callee === 'tuple') && positional.length === 1) {
    const value = evaluate(positional[0], context, depth + 1);
    return value.kind === 'list' || value.kind === 'unknown' ? value : unknown(node, context);
  }
  if (calleeNode.type === 'attribute') {
    // Methods of a path: `.resolve()`, `.absolute()`, `.joinpath(...)`.
    const method = calleeNode.childForFieldName('attribute')?.text;
    const objectNode = calleeNode.childForFieldName('object');
    const object = objectNode ? evaluate(objectNode, context, depth + 1) : undefined;
    if (object?.kind === 'path') {
      if (method === 'resolve' || method === 'absolute') {
        return { kind: 'path', value: path.isAbsolute(object.value) ? path.normalize(object.value) : object.value };
      }
      if (method === 'joinpath') return joinPaths([object, ...args()], node, context, 'path');
    }
  }
  return unknown(node, context, callee ? `is computed by calling \`${callee}()\`` : undefined);
}

function osPath(name: string, args: StaticValue[], node: Node, context: EvaluationContext): StaticValue {
  if (name === 'join') return args.length > 0 ? joinPaths(args, node, context, 'str') : unknown(node, context);
  const [first] = args;
  const text = first && pathText(first);
  if (args.length !== 1 || text === undefined) return firstUnknown(args) ?? unknown(node, context);
  switch (name) {
    case 'dirname':
      return { kind: 'str', value: path.dirname(text) };
    case 'basename':
      return { kind: 'str', value: path.basename(text) };
    default:
      // abspath, realpath and normpath: the working directory is unknown, so only absolute paths.
      return path.isAbsolute(text)
        ? { kind: 'str', value: path.normalize(text) }
        : unknown(node, context, 'depends on the working directory');
  }
}

/** `a / b`, `Path(a, b)`, `os.path.join(a, b)`: an absolute part replaces what precedes it. */
function joinPaths(parts: StaticValue[], node: Node, context: EvaluationContext, kind: 'path' | 'str'): StaticValue {
  let joined: string | undefined;
  for (const part of parts) {
    const text = pathText(part);
    if (text === undefined) return part.kind === 'unknown' ? part : unknown(node, context);
    joined = joined === undefined || path.isAbsolute(text) ? text : path.join(joined, text);
  }
  return joined === undefined ? unknown(node, context) : { kind, value: joined };
}

function pathText(value: StaticValue): string | undefined {
  return value.kind === 'str' || value.kind === 'path' ? value.value : undefined;
}

function firstUnknown(values: readonly StaticValue[]): StaticValue | undefined {
  return values.find((value) => value.kind === 'unknown');
}

function evaluateBinary(node: Node, context: EvaluationContext, depth: number): StaticValue {
  const leftNode = node.childForFieldName('left');
  const rightNode = node.childForFieldName('right');
  const operator = node.childForFieldName('operator')?.type;
  if (!leftNode || !rightNode) return unknown(node, context);
  const left = evaluate(leftNode, context, depth + 1);
  const right = evaluate(rightNode, context, depth + 1);
  if (operator === '+') {
    if (left.kind === 'list' && right.kind === 'list') return { kind: 'list', items: [...left.items, ...right.items] };
    if (left.kind === 'str' && right.kind === 'str') return { kind: 'str', value: left.value + right.value };
    if (left.kind === 'number' && right.kind === 'number') return { kind: 'number', value: left.value + right.value };
  }
  if (operator === '/' && left.kind === 'path' && (right.kind === 'str' || right.kind === 'path')) {
    return joinPaths([left, right], node, context, 'path');
  }
  return firstUnknown([left, right]) ?? unknown(node, context);
}

/** `os.environ.get('X') or 'default'`: the environment value, with that default. */
function evaluateBoolean(node: Node, context: EvaluationContext, depth: number): StaticValue {
  const leftNode = node.childForFieldName('left');
  const rightNode = node.childForFieldName('right');
  const operator = node.childForFieldName('operator')?.type;
  if (!leftNode || !rightNode) return unknown(node, context);
  const left = evaluate(leftNode, context, depth + 1);
  if (operator === 'or' && left.kind === 'environment') {
    return { kind: 'environment', variable: left.variable, default: evaluate(rightNode, context, depth + 1) };
  }
  const truth = truthValue(left);
  if (truth === undefined) return left.kind === 'unknown' ? left : unknown(node, context);
  // `a or b` is a when a is true; `a and b` is b when a is true.
  if (operator === 'or') return truth ? left : evaluate(rightNode, context, depth + 1);
  if (operator === 'and') return truth ? evaluate(rightNode, context, depth + 1) : left;
  return unknown(node, context);
}

/** `a == b`, `a != b`, `a in b` and `a not in b` on known scalars: enough for `if` conditions. */
function evaluateComparison(node: Node, context: EvaluationContext, depth: number): StaticValue {
  const operands = node.namedChildren.filter((child) => child.type !== 'comment');
  const operators = node.childrenForFieldName('operators').map((operator) => operator.text.replace(/\s+/g, ' '));
  if (operands.length !== 2 || operators.length !== 1) return unknown(node, context);
  const left = scalar(evaluate(operands[0], context, depth + 1));
  const rightValue = evaluate(operands[1], context, depth + 1);
  const [operator] = operators;
  if (operator === 'in' || operator === 'not in') {
    let found: boolean | undefined;
    if (rightValue.kind === 'list' && left !== undefined) {
      const items = rightValue.items.map(scalar);
      found = items.every((item) => item !== undefined) ? items.includes(left) : undefined;
    } else if (rightValue.kind === 'str' && typeof left === 'string') {
      found = rightValue.value.includes(left);
    }
    return found === undefined ? unknown(node, context) : { kind: 'bool', value: operator === 'in' ? found : !found };
  }
  const right = scalar(rightValue);
  if (left === undefined || right === undefined || (operator !== '==' && operator !== '!=')) return unknown(node, context);
  return { kind: 'bool', value: (left === right) === (operator === '==') };
}

/** A known str, number, bool or None as a JavaScript value. */
function scalar(value: StaticValue): string | number | boolean | null | undefined {
  if (value.kind === 'str' || value.kind === 'number' || value.kind === 'bool') return value.value;
  return value.kind === 'none' ? null : undefined;
}

function evaluateSubscript(node: Node, context: EvaluationContext, depth: number): StaticValue {
  const objectNode = node.childForFieldName('value');
  const indexNodes = node.childrenForFieldName('subscript');
  if (!objectNode || indexNodes.length !== 1) return unknown(node, context);
  const index = evaluate(indexNodes[0], context, depth + 1);
  const objectName = dottedName(objectNode);
  if (objectName === 'os.environ' || objectName === 'environ') {
    return index.kind === 'str' ? { kind: 'environment', variable: index.value } : unknown(node, context);
  }
  // `parents[n]` of a path is its (n + 1)-th parent.
  if (objectNode.type === 'attribute' && objectNode.childForFieldName('attribute')?.text === 'parents' && index.kind === 'number') {
    const inner = objectNode.childForFieldName('object');
    const base = inner ? evaluate(inner, context, depth + 1) : undefined;
    if (base?.kind === 'path' && Number.isInteger(index.value) && index.value >= 0) {
      let value = base.value;
      for (let i = 0; i <= index.value; i++) value = path.dirname(value);
      return { kind: 'path', value };
    }
  }
  const object = evaluate(objectNode, context, depth + 1);
  if (object.kind === 'dict' && index.kind === 'str') return object.entries.get(index.value) ?? unknown(node, context);
  if (object.kind === 'list' && index.kind === 'number' && Number.isInteger(index.value)) {
    const at = index.value < 0 ? object.items.length + index.value : index.value;
    return object.items[at] ?? unknown(node, context);
  }
  return firstUnknown([object, index]) ?? unknown(node, context);
}

function unknown(node: Node, context: EvaluationContext, description?: string): StaticValue {
  return {
    kind: 'unknown',
    description: description ?? `is computed by \`${abbreviate(node.text)}\``,
    location: { path: context.file, range: nodeRange(node) },
  };
}

function abbreviate(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 40 || line.length < text.length ? `${line.slice(0, 40)}…` : line;
}
