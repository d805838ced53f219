import { Node } from 'web-tree-sitter';
import { FunctionEntry, ImportEntry, ImportFailure, MigrationAttribute, ParsedMigration } from '../core/migration';
import { SourceRange } from '../core/sourceRange';
import { assignmentChain } from './assignmentChain';
import { compileErrors, SourceDecoding } from './compileErrors';
import { readMigrationFast } from './fastMigrationReader';
import { readImportStatement } from './importReader';
import { flattenErrors, isStatementNode, LooseValueReader } from './looseValueReader';
import { abbreviate, ATTRIBUTES, isSequenceAttribute, MigrationAttributes, migrationRecord, Operand } from './migrationAttributes';
import { nodeRange, spanRange } from './nodeRange';
import { PythonParser } from './pythonParser';
import { syntaxErrorRanges } from './syntaxErrors';
import { readValue } from './valueReader';

/** Statements whose assignments happen only on some paths, or more than once. */
const COMPOUND_STATEMENTS = new Set([
  'if_statement',
  'for_statement',
  'while_statement',
  'try_statement',
  'with_statement',
  'match_statement',
]);

/**
 * The identifiers a function's body reads, less its parameters: what it takes from the module.
 * Attribute names (`x.Order`) and keyword names (`f(Order=1)`) are not reads.
 */
function freeNames(definition: Node): string[] {
  const parameters = new Set<string>();
  for (const parameter of definition.childForFieldName('parameters')?.namedChildren ?? []) {
    const name =
      parameter.type === 'identifier'
        ? parameter
        : (parameter.childForFieldName('name') ?? parameter.namedChildren.find((c) => c.type === 'identifier'));
    if (name?.type === 'identifier') parameters.add(name.text);
  }
  const names = new Set<string>();
  const body = definition.childForFieldName('body');
  if (body) {
    forEachDescendant(body, (node) => {
      if (node.type !== 'identifier' || parameters.has(node.text)) return;
      const parent = node.parent;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.equals(node)) return;
      if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.equals(node)) return;
      names.add(node.text);
    });
  }
  return [...names];
}

/** Literals Django cannot instantiate: `Migration = None` after the class is a TypeError. */
const NOT_CALLABLE = new Set([
  'none',
  'true',
  'false',
  'integer',
  'float',
  'string',
  'concatenated_string',
  'list',
  'dictionary',
  'tuple',
  'set',
]);

/** Where a Migration class was found: a complete class, or one that error recovery dissolved. */
interface ClassCandidate {
  readonly range: SourceRange;
  readonly nameRange: SourceRange;
  readonly body: Node[];
  /** Index in the module's items of the first item after the class. */
  readonly after: number;
}

/**
 * Reads a migration module statically: the `Migration` class's attributes with their source
 * ranges, plus the module's imports and functions. Constructs whose value needs Python to run
 * are listed in `dynamic`; broken or half-typed text gives what can still be read. Never throws.
 */
export function parseMigration(parser: PythonParser, text: string, decoding?: SourceDecoding): ParsedMigration {
  return readMigrationFast(text, decoding) ?? parseMigrationTree(parser, text, decoding);
}

/** The reading through tree-sitter's syntax tree, whatever the file holds. */
export function parseMigrationTree(parser: PythonParser, text: string, decoding?: SourceDecoding): ParsedMigration {
  return parser.withTree(text, (tree) => new MigrationModuleReader().read(tree.rootNode, decoding));
}

class MigrationModuleReader {
  private readonly attributes = new MigrationAttributes();
  private readonly imports: ImportEntry[] = [];
  private readonly functions: FunctionEntry[] = [];
  private readonly importFailures: ImportFailure[] = [];

  read(root: Node, decoding?: SourceDecoding): ParsedMigration {
    const items = flattenErrors(root.type === 'ERROR' ? [root] : root.children);
    let candidate: ClassCandidate | undefined;
    let index = 0;
    while (index < items.length) {
      // Django imports the module and takes `Migration`: the last class of that name wins.
      const found = this.readModuleItem(items, index);
      if (found) candidate = found;
      index = found ? found.after : index + 1;
    }
    if (candidate) {
      this.readClassBody(candidate.body);
      for (let i = candidate.after; i < items.length; i++) this.findLaterChanges(items[i]);
    }
    return migrationRecord({
      classRanges: candidate,
      attributes: this.attributes,
      syntaxErrors: syntaxErrorRanges(root),
      importFailures: [...compileErrors(root, decoding), ...this.importFailures],
      imports: this.imports,
      functions: this.functions,
    });
  }

  /** Records imports and functions; returns a Migration class that starts at `items[index]`. */
  private readModuleItem(items: readonly Node[], index: number): ClassCandidate | undefined {
    const item = items[index];
    switch (item.type) {
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        for (const imported of readImportStatement(item)) {
          this.imports.push({
            module: imported.module,
            names: imported.names.map((n) => n.name),
            boundNames: imported.names.map((n) => n.alias ?? n.name),
            range: imported.range,
          });
        }
        return undefined;
      case 'function_definition':
        this.readFunction(item);
        return undefined;
      case 'decorated_definition': {
        const definition = item.childForFieldName('definition');
        if (definition?.type === 'function_definition') this.readFunction(definition);
        return definition?.type === 'class_definition' ? migrationClass(definition, index) : undefined;
      }
      case 'class_definition':
        return migrationClass(item, index);
      case 'class':
        return recoveredMigrationClass(items, index);
      default:
        return undefined;
    }
  }

  private readFunction(node: Node): void {
    const name = node.childForFieldName('name');
    if (name) this.functions.push({ name: name.text, range: nodeRange(node), nameRange: nodeRange(name), freeNames: freeNames(node) });
  }

  private readClassBody(body: readonly Node[]): void {
    const reader = new LooseValueReader(body, (node) => readValue(node));
    while (!reader.atEnd) {
      const item = reader.next() as Node;
      const type = item.type;
      if (type === 'expression_statement') {
        const statement = item.namedChildren[0];
        if (statement?.type === 'assignment') this.readAssignment(statement);
        else if (statement?.type === 'augmented_assignment') this.readAugmentedAssignment(statement);
      } else if (type === 'identifier' && ATTRIBUTES.has(item.text)) {
        this.readRecoveredAssignment(item, reader);
      } else if (COMPOUND_STATEMENTS.has(type)) {
        this.findAssignmentsIn(item, 'is assigned inside a conditional or loop');
      } else if (type === 'function_definition' || type === 'decorated_definition') {
        this.findSelfChanges(item);
      }
    }
  }

  /** `name = value` (possibly `a = b = value`, or annotated) in the class body. */
  private readAssignment(node: Node): void {
    const { targets, value } = assignmentChain(node);
    for (const target of targets) {
      if (target.type === 'identifier') {
        const attribute = target.text;
        if (ATTRIBUTES.has(attribute) && value) this.assign(attribute as MigrationAttribute, value, nodeRange(node));
      } else if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern') {
        for (const name of target.namedChildren) {
          if (ATTRIBUTES.has(name.text)) this.addDynamic(nodeRange(node), `\`${name.text}\` is assigned by unpacking`);
        }
      }
    }
  }

  private readAugmentedAssignment(node: Node): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.type;
    if (left?.type !== 'identifier' || !ATTRIBUTES.has(left.text)) return;
    const attribute = left.text as MigrationAttribute;
    const range = nodeRange(node);
    if (operator !== '+=' || !right || !isSequenceAttribute(attribute)) {
      this.addDynamic(range, `\`${attribute}\` is changed with ${operator ?? 'an operator'}`);
      return;
    }
    this.attributes.attributeRanges[attribute] ??= range;
    this.addDynamic(range, `\`${attribute}\` is extended with +=`);
    this.attributes.addSequence(attribute, operandsOf(right).map(readOperand));
  }

  /** `name = ...` or `name += ...` left loose by error recovery in a half-typed file. */
  private readRecoveredAssignment(name: Node, reader: LooseValueReader): void {
    const operator = reader.peek()?.type;
    if (operator !== '=' && operator !== '+=') return;
    reader.next();
    const attribute = name.text as MigrationAttribute;
    const value = reader.readStatementValue(name);
    if (!value) return;
    const range: SourceRange = { start: nodeRange(name).start, end: value.range.end };
    if (operator === '+=') {
      if (!isSequenceAttribute(attribute)) return;
      this.addDynamic(range, `\`${attribute}\` is extended with +=`);
      this.attributes.attributeRanges[attribute] ??= range;
      this.attributes.addSequence(attribute, [{ value }]);
      return;
    }
    this.attributes.attributeRanges[attribute] = range;
    if (isSequenceAttribute(attribute)) {
      this.attributes.clearSequence(attribute);
      this.attributes.addSequence(attribute, [{ value }]);
    } else {
      this.attributes.setFlag(attribute, value, range);
    }
  }

  private assign(attribute: MigrationAttribute, value: Node, range: SourceRange): void {
    if (isSequenceAttribute(attribute)) this.attributes.assign(attribute, operandsOf(value).map(readOperand), range);
    else this.attributes.assign(attribute, [{ value: readValue(value) }], range);
  }

  /** Assignments to migration attributes nested in `if`, `for`, `try`... of the class body. */
  private findAssignmentsIn(statement: Node, description: string): void {
    forEachDescendant(statement, (node) => {
      const target = assignedTarget(node);
      if (target?.type === 'identifier' && ATTRIBUTES.has(target.text)) {
        this.addDynamic(nodeRange(node), `\`${target.text}\` ${description}`);
      }
    });
  }

  /** `self.operations = ...` or `self.operations.append(...)` in a method. */
  private findSelfChanges(method: Node): void {
    forEachDescendant(method, (node) => {
      const attribute = changedAttributeOf(node, 'self');
      if (attribute) this.addDynamic(nodeRange(node), `\`${attribute}\` is changed in a method`);
    });
  }

  /** `Migration.operations += [...]`, `.append(...)`, `setattr(Migration, ...)` after the class. */
  /**
   * A module-level statement after the class that binds `Migration` again: Django instantiates
   * whatever the name holds when the module has run.
   */
  private findRebinding(statement: Node): void {
    const line = (node: Node) => `line ${node.startPosition.row + 1}`;
    if (statement.type === 'delete_statement' && statement.namedChildren.some((target) => target.text === 'Migration')) {
      this.importFailures.push({
        code: 'missing-migration-class',
        range: nodeRange(statement),
        message: `\`del Migration\` (${line(statement)}) removes the class: Django raises BadMigrationError (no Migration class).`,
      });
      return;
    }
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment?.type !== 'assignment') return;
    const { targets, value } = assignmentChain(assignment);
    const names = targets.flatMap((target) =>
      target.type.endsWith('pattern') || target.type === 'pattern_list' ? target.namedChildren : [target],
    );
    if (!names.some((target) => target.type === 'identifier' && target.text === 'Migration')) return;
    if (value && targets.length === names.length && NOT_CALLABLE.has(value.type)) {
      this.importFailures.push({
        code: 'missing-migration-class',
        range: nodeRange(statement),
        message: `\`Migration\` is rebound to \`${abbreviate(value.text)}\` after the class (${line(statement)}): Django fails to instantiate it (TypeError).`,
      });
    } else {
      this.addDynamic(
        nodeRange(statement),
        `\`Migration\` is rebound after the class (${line(statement)}): Django uses the new value, not this class`,
      );
    }
  }

  private findLaterChanges(statement: Node): void {
    this.findRebinding(statement);
    if (!isStatementNode(statement)) return;
    forEachDescendant(statement, (node) => {
      const attribute = changedAttributeOf(node, 'Migration');
      if (attribute) this.addDynamic(nodeRange(node), `\`${attribute}\` is changed after the class`);
      if (node.type === 'call' && node.childForFieldName('function')?.text === 'setattr') {
        const first = node.childForFieldName('arguments')?.namedChildren[0];
        if (first?.type === 'identifier' && first.text === 'Migration') {
          this.addDynamic(nodeRange(node), 'the Migration class is changed with setattr');
        }
      }
    });
  }

  private addDynamic(range: SourceRange, description: string): void {
    this.attributes.addDynamic(range, description);
  }
}

function readOperand(node: Node): Operand {
  return { value: readValue(node), nodeType: node.type };
}

/** The operands of `a + b + c`; a single expression is its own operand. */
function operandsOf(node: Node): Node[] {
  const inner = unwrapParentheses(node);
  if (inner.type !== 'binary_operator' || inner.childForFieldName('operator')?.type !== '+') return [inner];
  const left = inner.childForFieldName('left');
  const right = inner.childForFieldName('right');
  if (!left || !right) return [inner];
  return [...operandsOf(left), ...operandsOf(right)];
}

function unwrapParentheses(node: Node): Node {
  let current = node;
  for (let depth = 0; current.type === 'parenthesized_expression' && depth < 100; depth++) {
    const inner = current.namedChildren.filter((child) => child.type !== 'comment');
    if (inner.length !== 1) break;
    current = inner[0];
  }
  return current;
}

function migrationClass(node: Node, index: number): ClassCandidate | undefined {
  const name = node.childForFieldName('name');
  if (name?.text !== 'Migration') return undefined;
  // Error recovery may leave part of the body in an ERROR beside the block, after the colon.
  const children = node.children;
  const colon = children.findIndex((child) => child.type === ':');
  const body = children.slice(colon + 1).flatMap((child) => flattenErrors(child.type === 'block' ? child.children : [child]));
  return { range: nodeRange(node), nameRange: nodeRange(name), body, after: index + 1 };
}

/**
 * `class Migration(...):` whose class_definition error recovery dissolved: its body is what
 * follows, up to the next statement that starts in column 0.
 */
function recoveredMigrationClass(items: readonly Node[], index: number): ClassCandidate | undefined {
  const keyword = items[index];
  const name = items[index + 1];
  if (name?.type !== 'identifier' || name.text !== 'Migration') return undefined;
  let start = index + 2;
  const colon = items.slice(start, start + 8).findIndex((item) => item.type === ':');
  if (colon >= 0) start += colon + 1;
  let end = start;
  while (end < items.length && !(end > start && startsModuleStatement(items[end]))) end++;
  const last = items[end - 1] ?? name;
  return {
    range: spanRange(keyword, last.endIndex > name.endIndex ? last : name),
    nameRange: nodeRange(name),
    body: items.slice(start, end),
    after: end,
  };
}

/** A statement, or the keyword of a definition, in column 0: the class body has ended. */
function startsModuleStatement(item: Node): boolean {
  const type = item.type;
  return (isStatementNode(item) || type === 'class' || type === 'def' || type === '@') && item.startPosition.column === 0;
}

/** The target of an assignment, augmented assignment or `del` statement, if `node` is one. */
function assignedTarget(node: Node): Node | null {
  const type = node.type;
  if (type === 'assignment' || type === 'augmented_assignment') return node.childForFieldName('left');
  return null;
}

/**
 * The attribute of `owner` that `node` changes: `owner.operations = ...`, `owner.operations +=`,
 * `owner.operations[0] = ...` or a method call such as `owner.operations.append(...)`.
 */
function changedAttributeOf(node: Node, owner: string): string | undefined {
  let reference: Node | null = null;
  const type = node.type;
  if (type === 'assignment' || type === 'augmented_assignment') {
    reference = node.childForFieldName('left');
    if (reference?.type === 'subscript') reference = reference.childForFieldName('value');
  } else if (type === 'call') {
    const callee = node.childForFieldName('function');
    if (callee?.type === 'attribute') reference = callee.childForFieldName('object');
  }
  if (reference?.type !== 'attribute') return undefined;
  const object = reference.childForFieldName('object');
  const attribute = reference.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || object.text !== owner || !attribute || !ATTRIBUTES.has(attribute)) return undefined;
  return attribute;
}

function forEachDescendant(root: Node, visit: (node: Node) => void): void {
  const pending: Node[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as Node;
    visit(node);
    const children = node.namedChildren;
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
}
