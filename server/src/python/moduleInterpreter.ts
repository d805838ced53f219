import { Node } from 'web-tree-sitter';
import { assignmentChain } from './assignmentChain';
import { readImportStatement } from './importReader';
import { flattenErrors, isStatementNode } from './looseValueReader';
import { nodeRange } from './nodeRange';
import { ParseTimeLimitError, PythonParser } from './pythonParser';
import { EvaluationContext, evaluateExpression, SourceLocation, StaticValue, truthValue } from './staticEvaluator';
import { syntaxErrorRanges } from './syntaxErrors';
import { FILE_START } from '../core/sourceRange';

/** The text of one module, and where it lives. */
export interface ModuleSource {
  readonly path: string;
  readonly text: string;
}

/**
 * Reads the module `moduleName` as written in an import (`.base`, `mysite.settings.base`) of the
 * file `fromFile`; undefined when it cannot be found (Python would raise ImportError).
 */
export type ReadModule = (moduleName: string, fromFile: string) => ModuleSource | undefined;

/** A module's names and their values once its statements have run. */
export type Scope = Map<string, StaticValue>;

/** What the caller follows while modules run: the names it cares about. */
export interface InterpreterWatch {
  /** Names whose every assignment is reported and which uncertain code leaves as they were (reported as dynamic). */
  readonly watched: ReadonlySet<string>;
  /** Whether a named import of `name` from a readable module is worth reading. */
  follows(name: string): boolean;
  assigned(name: string, location: SourceLocation): void;
  /** A construct that only Python can run, leaving the `names` among the watched ones uncertain. */
  dynamic(location: SourceLocation, description: string, names: readonly string[]): void;
}

const LOOP_STATEMENTS = new Set(['for_statement', 'while_statement', 'match_statement']);
/** Star imports nested deeper than this are not followed. */
const MAX_MODULE_DEPTH = 16;

/** A from-import whose module could not be read: Python raises ImportError here. */
interface ImportFailure {
  readonly module: string;
  readonly location: SourceLocation;
}

/**
 * Runs the statements of a module (and the modules it imports, through `readModule`, in
 * Python's order) over the static values of staticEvaluator.ts: assignments, subscript and
 * method-call updates, `if` on known conditions, `try` around ImportError, `from ... import`.
 * What it cannot run becomes unknown values, never a guess. Never touches the file system
 * itself and never throws.
 */
export class ModuleInterpreter {
  readonly syntaxErrors: SourceLocation[] = [];
  /** Modules whose parse ran past the time limit: nothing of them ran. */
  readonly overTimeLimit: { path: string; message: string }[] = [];
  /** Every file read, the first module first. */
  readonly files: string[] = [];
  /** Final scopes of modules already run, by path: Python runs a module once. */
  private readonly modules = new Map<string, Scope>();
  private readonly running = new Set<string>();

  constructor(
    private readonly parser: PythonParser,
    private readonly readModule: ReadModule,
    readonly watch: InterpreterWatch,
  ) {}

  execute(source: ModuleSource, depth = 0): Scope {
    const scope: Scope = new Map();
    this.files.push(source.path);
    this.running.add(source.path);
    try {
      this.parser.withTree(source.text, (tree) => {
        const root = tree.rootNode;
        for (const range of syntaxErrorRanges(root)) this.syntaxErrors.push({ path: source.path, range });
        const statements = flattenErrors(root.type === 'ERROR' ? [root] : root.children).filter(isStatementNode);
        const module = new ModuleRun(this, scope, source.path, depth);
        module.runBlock(statements);
      });
    } catch (error) {
      if (!(error instanceof ParseTimeLimitError)) throw error;
      // What the module assigns is unknown: every watched name is.
      this.overTimeLimit.push({ path: source.path, message: error.message });
      const location = { path: source.path, range: FILE_START };
      this.watch.dynamic(location, `${error.message}: ${[...this.watch.watched].join(', ')} are not read from it`, [...this.watch.watched]);
    }
    this.running.delete(source.path);
    this.modules.set(source.path, scope);
    return scope;
  }

  /** The final scope of `moduleName` imported from `fromFile`; undefined when it cannot be read. */
  importModule(moduleName: string, fromFile: string, depth: number): Scope | undefined {
    const source = this.read(moduleName, fromFile);
    if (!source) return undefined;
    const done = this.modules.get(source.path);
    if (done) return done;
    // A circular import sees what is defined so far; here, nothing.
    if (this.running.has(source.path) || depth >= MAX_MODULE_DEPTH) return new Map();
    return this.execute(source, depth + 1);
  }

  /** A module that cannot be read, whatever the reason, is one Python could not import. */
  private read(moduleName: string, fromFile: string): ModuleSource | undefined {
    try {
      return this.readModule(moduleName, fromFile);
    } catch {
      return undefined;
    }
  }
}

/** Runs the statements of one module in order, in its own scope. */
class ModuleRun {
  private readonly context: EvaluationContext;

  constructor(
    private readonly run: ModuleInterpreter,
    private readonly scope: Scope,
    private readonly file: string,
    private readonly depth: number,
  ) {
    this.context = { file, lookup: (name) => scope.get(name) };
  }

  /** `try` statements being run: an ImportError inside one is caught, elsewhere only recorded. */
  private tryDepth = 0;

  /** Runs statements until one raises an ImportError that a `try` catches; returns that failure. */
  runBlock(statements: readonly Node[]): ImportFailure | undefined {
    for (const statement of statements) {
      const failure = this.runStatement(statement);
      if (failure) return failure;
    }
    return undefined;
  }

  private runStatement(statement: Node): ImportFailure | undefined {
    switch (statement.type) {
      case 'expression_statement':
        for (const expression of statement.namedChildren) this.runExpression(expression);
        return undefined;
      case 'import_from_statement':
        return this.runImport(statement);
      case 'if_statement':
        return this.runIf(statement);
      case 'try_statement':
        return this.runTry(statement);
      case 'with_statement':
        return this.runBlock(blockStatements(statement.childForFieldName('body')));
      default:
        if (LOOP_STATEMENTS.has(statement.type)) this.forget(statement, 'is changed in a loop or match');
        return undefined;
    }
  }

  private runExpression(node: Node): void {
    const type = node.type;
    if (type === 'assignment') this.runAssignment(node);
    else if (type === 'augmented_assignment') this.runAugmentedAssignment(node);
    else if (type === 'call') this.runMethodCall(node);
  }

  private runAssignment(node: Node): void {
    const { targets, value } = assignmentChain(node);
    if (!value) return;
    const evaluated = evaluateExpression(value, this.context);
    for (const target of targets) this.bind(target, evaluated, node);
  }

  private bind(target: Node, value: StaticValue, statement: Node): void {
    const type = target.type;
    if (type === 'identifier') {
      this.scope.set(target.text, value);
      this.run.watch.assigned(target.text, this.location(statement));
    } else if (type === 'subscript') {
      this.update(target, statement, () => value);
    } else if (type === 'pattern_list' || type === 'tuple_pattern' || type === 'list_pattern') {
      const names = target.namedChildren.filter((child) => child.type !== 'comment');
      names.forEach((name, i) => {
        const item =
          value.kind === 'list' && value.items.length === names.length
            ? value.items[i]
            : this.unknownAt(statement, 'is assigned by unpacking');
        this.bind(name, item, statement);
      });
    }
  }

  private runAugmentedAssignment(node: Node): void {
    const target = node.childForFieldName('left');
    const valueNode = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.type;
    if (!target || !valueNode) return;
    const value = evaluateExpression(valueNode, this.context);
    this.update(target, node, (current) => {
      if (operator === '+=' && current.kind === 'list' && value.kind === 'list')
        return { kind: 'list', items: [...current.items, ...value.items] };
      if (operator === '+=' && current.kind === 'str' && value.kind === 'str') return { kind: 'str', value: current.value + value.value };
      return value.kind === 'unknown' ? value : this.unknownAt(node, `is changed with ${operator ?? 'an operator'}`);
    });
  }

  /** `INSTALLED_APPS.append(...)`, `DATABASES['default'].update(...)` and the like. */
  private runMethodCall(node: Node): void {
    const callee = node.childForFieldName('function');
    const argumentList = node.childForFieldName('arguments');
    if (callee?.type !== 'attribute' || argumentList?.type !== 'argument_list') return;
    const receiver = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text;
    if (!receiver || !method || !rootName(receiver) || !this.scope.has(rootName(receiver) as string)) return;
    const args = argumentList.namedChildren
      .filter((child) => child.type !== 'comment')
      .map((argument) => evaluateExpression(argument, this.context));
    this.update(
      receiver,
      node,
      (current) => changedByMethod(current, method, args) ?? this.unknownAt(node, `is changed by \`.${method}()\``),
    );
  }

  /**
   * Replaces the value at `target` (a name, or a name with literal subscripts such as
   * `DATABASES['default']['NAME']`) by `change(current)`.
   */
  private update(target: Node, statement: Node, change: (current: StaticValue) => StaticValue): void {
    const keys: StaticValue[] = [];
    let current: Node | null = target;
    while (current?.type === 'subscript') {
      const subscripts = current.childrenForFieldName('subscript');
      keys.unshift(
        subscripts.length === 1 ? evaluateExpression(subscripts[0], this.context) : this.unknownAt(current, 'has a complex subscript'),
      );
      current = current.childForFieldName('value');
    }
    if (current?.type !== 'identifier') return;
    const name = current.text;
    const before = this.scope.get(name) ?? this.unknownAt(current, `uses \`${name}\`, which is not defined statically`);
    this.scope.set(
      name,
      replaceAt(before, keys, change, () => this.unknownAt(statement, 'is changed at a key that is not literal')),
    );
    this.run.watch.assigned(name, this.location(statement));
  }

  private runImport(statement: Node): ImportFailure | undefined {
    for (const imported of readImportStatement(statement)) {
      const star = imported.names.some((name) => name.name === '*');
      const relative = imported.module.startsWith('.');
      // `from pathlib import Path` needs no reading when only watched names matter.
      if (!star && !relative && !imported.names.some((name) => this.run.watch.follows(name.name))) continue;
      const module = this.run.importModule(imported.module, this.file, this.depth);
      if (!module) {
        // Unreadable third-party modules are assumed importable; the project's own are not.
        if (!star && !relative) continue;
        const failure = { module: imported.module, location: this.location(statement) };
        if (this.tryDepth > 0) return failure;
        this.run.watch.dynamic(failure.location, `imports \`${failure.module}\`, which could not be read`, [...this.run.watch.watched]);
        continue;
      }
      for (const name of imported.names) {
        if (name.name === '*') {
          for (const [exported, value] of starExports(module)) this.importName(exported, value, statement);
        } else {
          this.importName(name.alias ?? name.name, module.get(name.name), statement);
        }
      }
    }
    return undefined;
  }

  private importName(name: string, value: StaticValue | undefined, statement: Node): void {
    if (value) this.scope.set(name, value);
    else this.scope.delete(name);
    this.run.watch.assigned(name, this.location(statement));
  }

  private runIf(statement: Node): ImportFailure | undefined {
    const branches: { condition: Node | null; body: Node | null }[] = [
      { condition: statement.childForFieldName('condition'), body: statement.childForFieldName('consequence') },
    ];
    for (const clause of statement.childrenForFieldName('alternative')) {
      branches.push(
        clause.type === 'elif_clause'
          ? { condition: clause.childForFieldName('condition'), body: clause.childForFieldName('consequence') }
          : { condition: null, body: clause.childForFieldName('body') },
      );
    }
    for (const branch of branches) {
      const truth = branch.condition ? truthValue(evaluateExpression(branch.condition, this.context)) : true;
      if (truth === true) return this.runBlock(blockStatements(branch.body));
      if (truth === undefined) {
        this.forget(statement, 'is changed under a condition that is only known when Python runs');
        return undefined;
      }
    }
    return undefined;
  }

  /** `try` runs its body; an ImportError switches to the handler that catches it. */
  private runTry(statement: Node): ImportFailure | undefined {
    this.tryDepth++;
    const failure = this.runBlock(blockStatements(statement.childForFieldName('body')));
    this.tryDepth--;
    let outcome: ImportFailure | undefined;
    const clauses = statement.namedChildren;
    if (failure) {
      const handler = clauses.find((clause) => clause.type === 'except_clause' && catchesImportError(clause));
      outcome = handler ? this.runBlock(blockStatements(handler.namedChildren.find((c) => c.type === 'block') ?? null)) : failure;
    } else {
      const otherwise = clauses.find((clause) => clause.type === 'else_clause');
      if (otherwise) outcome = this.runBlock(blockStatements(otherwise.childForFieldName('body')));
    }
    const final = clauses.find((clause) => clause.type === 'finally_clause');
    if (final) {
      const finalFailure = this.runBlock(blockStatements(final.namedChildren.find((c) => c.type === 'block') ?? null));
      outcome ??= finalFailure;
    }
    return outcome;
  }

  /**
   * Code that may or may not run: names it assigns keep no static value, except the settings
   * being read, which keep their value from before and are listed as dynamic.
   */
  private forget(statement: Node, description: string): void {
    const location = this.location(statement);
    for (const name of assignedNames(statement, this.run.watch.watched)) {
      if (this.run.watch.watched.has(name)) this.run.watch.dynamic(location, `\`${name}\` ${description}`, [name]);
      else this.scope.set(name, { kind: 'unknown', description: `uses \`${name}\`, which ${description}`, location });
    }
  }

  private unknownAt(node: Node, description: string): StaticValue {
    return { kind: 'unknown', description, location: this.location(node) };
  }

  private location(node: Node): SourceLocation {
    return { path: this.file, range: nodeRange(node) };
  }
}

function blockStatements(block: Node | null): Node[] {
  return block ? flattenErrors(block.children).filter(isStatementNode) : [];
}

function catchesImportError(clause: Node): boolean {
  const caught = clause.namedChildren.filter((child) => child.type !== 'block' && child.type !== 'comment');
  if (caught.length === 0) return true;
  const names = caught.flatMap((node) =>
    node.type === 'tuple' || node.type === 'as_pattern' || node.type === 'expression_list' ? node.namedChildren : [node],
  );
  return names.some((node) => ['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException'].includes(node.text));
}

/** The names a star import copies: `__all__` when it is a literal list, else every public name. */
function starExports(module: Scope): [string, StaticValue][] {
  const all = module.get('__all__');
  if (all?.kind === 'list' && all.items.every((item) => item.kind === 'str')) {
    return all.items.flatMap((item) => {
      const value = item.kind === 'str' ? module.get(item.value) : undefined;
      return item.kind === 'str' && value ? [[item.value, value] as [string, StaticValue]] : [];
    });
  }
  return [...module].filter(([name]) => !name.startsWith('_'));
}

function changedByMethod(current: StaticValue, method: string, args: readonly StaticValue[]): StaticValue | undefined {
  if (current.kind === 'list') {
    const [first, second] = args;
    if (method === 'append' && args.length === 1) return { kind: 'list', items: [...current.items, first] };
    if (method === 'extend' && args.length === 1 && first.kind === 'list')
      return { kind: 'list', items: [...current.items, ...first.items] };
    if (method === 'insert' && args.length === 2 && first.kind === 'number') {
      const items = [...current.items];
      items.splice(first.value < 0 ? Math.max(items.length + first.value, 0) : first.value, 0, second);
      return { kind: 'list', items };
    }
    if (method === 'remove' && args.length === 1 && first.kind === 'str') {
      const at = current.items.findIndex((item) => item.kind === 'str' && item.value === first.value);
      return at < 0 ? current : { kind: 'list', items: current.items.filter((_, i) => i !== at) };
    }
  }
  if (current.kind === 'dict' && method === 'update' && args.length === 1 && args[0].kind === 'dict') {
    return { kind: 'dict', entries: new Map([...current.entries, ...args[0].entries]) };
  }
  return undefined;
}

/** `value` with `change` applied at `keys` (string keys of nested dicts); values stay immutable. */
function replaceAt(
  value: StaticValue,
  keys: readonly StaticValue[],
  change: (current: StaticValue) => StaticValue,
  notLiteral: () => StaticValue,
): StaticValue {
  if (keys.length === 0) return change(value);
  const [key, ...rest] = keys;
  if (value.kind !== 'dict' || key.kind !== 'str') return value.kind === 'unknown' ? value : notLiteral();
  const entries = new Map(value.entries);
  const inner = entries.get(key.value) ?? { kind: 'dict', entries: new Map() };
  entries.set(key.value, replaceAt(inner, rest, change, notLiteral));
  return { kind: 'dict', entries };
}

function rootName(node: Node): string | undefined {
  let current: Node | null = node;
  while (current?.type === 'subscript') current = current.childForFieldName('value');
  return current?.type === 'identifier' ? current.text : undefined;
}

/**
 * Names a statement may bind or change: assignment targets, receivers of method calls, imports
 * (a star import may change any of the `watched` names).
 */
function assignedNames(statement: Node, watched: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  const pending: Node[] = [statement];
  while (pending.length > 0) {
    const node = pending.pop() as Node;
    const type = node.type;
    if (type === 'assignment' || type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const root = left && rootName(left);
      if (root) names.add(root);
      else if (left) for (const name of left.namedChildren) if (name.type === 'identifier') names.add(name.text);
    } else if (type === 'call') {
      const callee = node.childForFieldName('function');
      const receiver = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
      const root = receiver && rootName(receiver);
      if (root) names.add(root);
    } else if (type === 'import_from_statement') {
      for (const imported of readImportStatement(node)) {
        for (const name of imported.names) names.add(name.name === '*' ? '*' : (name.alias ?? name.name));
      }
    }
    pending.push(...node.namedChildren);
  }
  if (names.has('*')) {
    names.delete('*');
    for (const name of watched) names.add(name);
  }
  return names;
}
