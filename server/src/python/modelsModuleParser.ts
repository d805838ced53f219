import { Node } from 'web-tree-sitter';
import { PythonValue } from '../core/pythonValue';
import { SourceRange } from '../core/sourceRange';
import { assignmentChain } from './assignmentChain';
import { dottedName } from './dottedName';
import { ImportedModule, readImportStatement } from './importReader';
import { FunctionSignature, readFunctionSignature } from './functionSignature';
import { flattenErrors, isStatementNode } from './looseValueReader';
import { nodeRange } from './nodeRange';
import { ParseTimeLimitError, PythonParser } from './pythonParser';
import { syntaxErrorRanges } from './syntaxErrors';
import { readValue } from './valueReader';

/** One `name = value` in a class body, in source order. */
export interface ClassAttribute {
  readonly name: string;
  readonly nameRange: SourceRange;
  /** The whole statement. */
  readonly range: SourceRange;
  readonly value: PythonValue;
}

/** A class statement as written: what Django's ModelBase would receive. */
export interface ClassStatement {
  readonly name: string;
  readonly nameRange: SourceRange;
  readonly range: SourceRange;
  /** Base classes as written; keywords such as `metaclass=` make the class dynamic. */
  readonly bases: readonly PythonValue[];
  readonly attributes: readonly ClassAttribute[];
  /** Nested classes (`Meta`), by name. */
  readonly nested: readonly ClassStatement[];
  /** Names of the methods it defines (`__init__`, `deconstruct`...). */
  readonly methods: readonly string[];
  /** Its own `__init__`'s parameters, when it defines one plainly (no decorator) that can be read. */
  readonly init?: FunctionSignature;
  /** Why the class cannot be read as written (a decorator, a metaclass, a syntax error inside). */
  readonly dynamic?: string;
}

/** A top-level binding of a module that is not a class: imports, functions and constants. */
export type ModuleBinding =
  | { readonly kind: 'import'; readonly module: string; readonly name?: string }
  | { readonly kind: 'function'; readonly range: SourceRange }
  | { readonly kind: 'value'; readonly value: PythonValue }
  | { readonly kind: 'class' };

/** What a models module defines at its top level, read statically. */
export interface ModelsModule {
  readonly classes: readonly ClassStatement[];
  /** Last binding of each top-level name, classes included. */
  readonly bindings: ReadonlyMap<string, ModuleBinding>;
  readonly imports: readonly ImportedModule[];
  /** Names bound by code we do not run (loops, conditionals, calls of `type()`...). */
  readonly dynamicNames: ReadonlySet<string>;
  readonly syntaxErrors: readonly SourceRange[];
  /** Set when the parse ran past the time limit (the message): nothing of the module is known. */
  readonly overTimeLimit?: string;
}

const MAX_NESTING = 8;
/** Longer than any constant a models module's classes read (choices, defaults), in characters. */
const MAX_CONSTANT_SOURCE = 100_000;

/** Reads a models module (or any module a models module imports from). Never throws. */
export function parseModelsModule(parser: PythonParser, text: string): ModelsModule {
  try {
    return readModelsModule(parser, text);
  } catch (error) {
    if (!(error instanceof ParseTimeLimitError)) throw error;
    return { classes: [], bindings: new Map(), imports: [], dynamicNames: new Set(), syntaxErrors: [], overTimeLimit: error.message };
  }
}

function readModelsModule(parser: PythonParser, text: string): ModelsModule {
  return parser.withTree(text, (tree) => {
    const root = tree.rootNode;
    const syntaxErrors = syntaxErrorRanges(root);
    const classes: ClassStatement[] = [];
    const bindings = new Map<string, ModuleBinding>();
    const imports: ImportedModule[] = [];
    const dynamicNames = new Set<string>();
    const visit = (statements: readonly Node[], conditional: boolean): void => {
      for (const statement of statements) {
        const type = statement.type;
        if (type === 'import_statement' || type === 'import_from_statement') {
          for (const imported of readImportStatement(statement, type)) {
            imports.push(imported);
            bindImport(imported, bindings);
          }
        } else if (type === 'class_definition' || type === 'decorated_definition') {
          const definition = type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
          if (definition?.type === 'class_definition') {
            const read = readClass(definition, syntaxErrors, 0, type === 'decorated_definition' ? 'a decorator' : undefined);
            if (read) {
              classes.push(conditional ? { ...read, dynamic: read.dynamic ?? 'defined conditionally' } : read);
              bindings.set(read.name, { kind: 'class' });
            }
          } else if (definition?.type === 'function_definition') {
            const name = definition.childForFieldName('name')?.text;
            if (name) bindings.set(name, { kind: 'function', range: nodeRange(definition) });
          }
        } else if (type === 'function_definition') {
          const name = statement.childForFieldName('name')?.text;
          if (name) bindings.set(name, { kind: 'function', range: nodeRange(statement) });
        } else if (type === 'expression_statement') {
          const expression = statement.namedChildren[0];
          if (expression?.type === 'call') {
            // `Book.add_to_class('isbn', field)` changes a model after its class statement ran.
            const callee = expression.childForFieldName('function');
            const dotted = callee ? dottedName(callee) : undefined;
            if (dotted && /\.(add_to_class|contribute_to_class)$/.test(dotted)) dynamicNames.add(dotted.split('.')[0]);
            continue;
          }
          if (expression?.type !== 'assignment') continue;
          const { targets, value } = assignmentChain(expression);
          for (const target of targets) {
            if (target.type === 'identifier') {
              // A constant of data (a table of numbers) says nothing about models, and reading it
              // would make the module's reading as large as the data: it is left unknown.
              if (conditional || !value || value.endIndex - value.startIndex > MAX_CONSTANT_SOURCE) dynamicNames.add(target.text);
              else bindings.set(target.text, { kind: 'value', value: readValue(value) });
            } else {
              for (const name of target.descendantsOfType('identifier')) dynamicNames.add(name.text);
            }
          }
        } else if (type === 'if_statement' || type === 'try_statement' || type === 'with_statement') {
          // Imports in `try:` blocks are the usual optional-dependency idiom: read their bindings,
          // but anything else defined there may or may not exist.
          for (const block of statement.descendantsOfType('block')) {
            // Nodes are compared with equals(): each access builds a new object.
            const owner = block.parent;
            if (!owner || !(owner.equals(statement) || owner.parent?.equals(statement))) continue;
            visit(block.namedChildren, true);
          }
        }
      }
    };
    // Error recovery may wrap whole statements in ERROR nodes: what they hold still counts.
    visit(flattenErrors(root.type === 'ERROR' ? [root] : root.children).filter(isStatementNode), false);
    return { classes: withErrorsAfter(classes, syntaxErrors), bindings, imports, dynamicNames, syntaxErrors };
  });
}

/**
 * Error recovery can end a class early and leave the rest of its body loose: a syntax error
 * anywhere between a class statement and the next one makes that class unreadable.
 */
function withErrorsAfter(classes: readonly ClassStatement[], errors: readonly SourceRange[]): ClassStatement[] {
  const ordered = [...classes].sort((a, b) => a.range.start.line - b.range.start.line);
  return ordered.map((statement, i) => {
    const from = statement.range.start.line;
    const to = i + 1 < ordered.length ? ordered[i + 1].range.start.line : Infinity;
    const damaged = errors.some((e) => e.start.line >= from && e.start.line < to);
    return damaged && !statement.dynamic ? { ...statement, dynamic: 'a syntax error' } : statement;
  });
}

function bindImport(imported: ImportedModule, bindings: Map<string, ModuleBinding>): void {
  if (imported.names.length === 0) {
    if (imported.moduleAlias) bindings.set(imported.moduleAlias, { kind: 'import', module: imported.module });
    else {
      // `import a.b.c` binds `a`.
      const first = imported.module.split('.')[0];
      bindings.set(first, { kind: 'import', module: first });
    }
    return;
  }
  for (const name of imported.names) {
    if (name.name === '*') continue;
    bindings.set(name.alias ?? name.name, { kind: 'import', module: imported.module, name: name.name });
  }
}

function overlaps(range: SourceRange, errors: readonly SourceRange[]): boolean {
  return errors.some(
    (e) =>
      !(e.end.line < range.start.line || (e.end.line === range.start.line && e.end.character < range.start.character)) &&
      !(e.start.line > range.end.line || (e.start.line === range.end.line && e.start.character > range.end.character)),
  );
}

function readClass(node: Node, errors: readonly SourceRange[], depth: number, decorated?: string): ClassStatement | undefined {
  const nameNode = node.childForFieldName('name');
  if (!nameNode) return undefined;
  const range = nodeRange(node);
  const bases: PythonValue[] = [];
  let dynamic: string | undefined = decorated;
  const superclasses = node.childForFieldName('superclasses');
  for (const base of superclasses?.namedChildren ?? []) {
    const type = base.type;
    if (type === 'comment') continue;
    if (type === 'keyword_argument') dynamic ??= 'a metaclass or class keyword';
    else if (type === 'list_splat' || type === 'dictionary_splat') dynamic ??= 'bases computed at run time';
    else bases.push(readValue(base));
  }
  if (overlaps(range, errors)) dynamic ??= 'a syntax error';
  const attributes: ClassAttribute[] = [];
  const nested: ClassStatement[] = [];
  const methods: string[] = [];
  let init: FunctionSignature | undefined;
  const body = node.childForFieldName('body');
  for (const statement of body?.namedChildren ?? []) {
    const type = statement.type;
    if (type === 'function_definition' || type === 'decorated_definition') {
      const definition = type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      const name = definition?.type === 'function_definition' ? definition.childForFieldName('name')?.text : undefined;
      if (name) methods.push(name);
      if (name === '__init__') init = type === 'function_definition' ? readFunctionSignature(statement) : undefined;
    } else if (type === 'class_definition' && depth < MAX_NESTING) {
      const inner = readClass(statement, errors, depth + 1);
      if (inner) nested.push(inner);
    } else if (type === 'expression_statement') {
      const expression = statement.namedChildren[0];
      if (expression?.type !== 'assignment') continue;
      const { targets, value } = assignmentChain(expression);
      for (const target of targets) {
        if (target.type !== 'identifier' || !value) continue;
        attributes.push({ name: target.text, nameRange: nodeRange(target), range: nodeRange(statement), value: readValue(value) });
      }
    } else if (type === 'if_statement' || type === 'for_statement' || type === 'while_statement' || type === 'try_statement') {
      // Attributes assigned by code we do not run.
      if (statement.descendantsOfType('assignment').length > 0) dynamic ??= 'attributes assigned conditionally';
    }
  }
  return {
    name: nameNode.text,
    nameRange: nodeRange(nameNode),
    range,
    bases,
    attributes,
    nested,
    methods,
    ...(init ? { init } : {}),
    ...(dynamic ? { dynamic } : {}),
  };
}
