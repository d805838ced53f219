import { Node } from 'web-tree-sitter';
import { assignmentChain } from './assignmentChain';
import { readImportStatement } from './importReader';
import { flattenErrors, isStatementNode } from './looseValueReader';
import { nodeRange } from './nodeRange';
import { PythonParser } from './pythonParser';
import { EvaluationContext, evaluateExpression, SourceLocation, StaticValue, truthValue } from './staticEvaluator';
import { syntaxErrorRanges } from './syntaxErrors';

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

/** A literal Python value in JSON form: None is null, tuples are arrays. */
export type SettingLiteral = string | number | boolean | null | readonly SettingLiteral[] | { readonly [key: string]: SettingLiteral };

/** A value read from the environment when the settings are imported; resolved by another layer. */
export interface EnvironmentValue {
  readonly fromEnvironment: string;
  /** What Python uses when the variable is unset; absent for `os.environ['X']` (KeyError). */
  readonly default?: SettingLiteral;
}

export type SettingValue = SettingLiteral | EnvironmentValue;

export interface InstalledAppEntry {
  /** The entry as written: an app module (`shop`) or an AppConfig path (`shop.apps.ShopConfig`). */
  readonly value: string;
  readonly location: SourceLocation;
}

/** The literal keys of one `DATABASES` alias, keyed as Django keys them. */
export type DatabaseConfig = Readonly<Partial<Record<DatabaseKey, SettingValue>>>;
export type DatabaseKey = 'ENGINE' | 'NAME' | 'USER' | 'PASSWORD' | 'HOST' | 'PORT' | 'OPTIONS';

/** A setting, or part of one, whose value needs Python to run. */
export interface DynamicSetting {
  readonly location: SourceLocation;
  readonly description: string;
}

export type TrackedSetting = 'INSTALLED_APPS' | 'MIGRATION_MODULES' | 'AUTH_USER_MODEL' | 'DATABASES';

/** What a Django settings module (and the modules it star-imports) says, read statically. */
export interface StaticSettings {
  /** The settings module's file. */
  readonly file: string;
  /** Undefined when no module assigns INSTALLED_APPS. Entries that are not literal are in `dynamic`. */
  readonly installedApps?: readonly InstalledAppEntry[];
  /** Some part of INSTALLED_APPS is only known when Python runs: the list may be incomplete. */
  readonly installedAppsDynamic: boolean;
  /** App label to migrations module; null disables an app's migrations. */
  readonly migrationModules: ReadonlyMap<string, string | null>;
  /** Undefined when not set (Django's default is `auth.User`) or not literal. */
  readonly authUserModel?: string;
  /** AUTH_USER_MODEL is only known when Python runs (not a literal, or set by a module we could not read). */
  readonly authUserModelDynamic?: boolean;
  /** By alias. SQLite names computed from `__file__` are absolute paths. */
  readonly databases: Readonly<Record<string, DatabaseConfig>>;
  /** Where each setting was last assigned. */
  readonly locations: Readonly<Partial<Record<TrackedSetting, SourceLocation>>>;
  readonly dynamic: readonly DynamicSetting[];
  readonly syntaxErrors: readonly SourceLocation[];
  /** Every file read, the settings module first. */
  readonly files: readonly string[];
}

const TRACKED_SETTINGS: readonly TrackedSetting[] = ['INSTALLED_APPS', 'MIGRATION_MODULES', 'AUTH_USER_MODEL', 'DATABASES'];
const TRACKED: ReadonlySet<string> = new Set(TRACKED_SETTINGS);
const DATABASE_KEYS: readonly DatabaseKey[] = ['ENGINE', 'NAME', 'USER', 'PASSWORD', 'HOST', 'PORT', 'OPTIONS'];
const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;
const LOOP_STATEMENTS = new Set(['for_statement', 'while_statement', 'match_statement']);
/** Star imports nested deeper than this are not followed. */
const MAX_MODULE_DEPTH = 16;

/**
 * Reads a settings module statically, following `from ... import *` (and named imports) through
 * `readModule` in Python's order. Never touches the file system itself and never throws.
 */
export function parseSettings(parser: PythonParser, source: ModuleSource, readModule: ReadModule): StaticSettings {
  const run = new SettingsRun(parser, readModule);
  const scope = run.execute(source, 0);
  return run.result(scope);
}

type Scope = Map<string, StaticValue>;

/** A from-import whose module could not be read: Python raises ImportError here. */
interface ImportFailure {
  readonly module: string;
  readonly location: SourceLocation;
}

class SettingsRun {
  private readonly dynamic: DynamicSetting[] = [];
  private readonly syntaxErrors: SourceLocation[] = [];
  private readonly files: string[] = [];
  private readonly locations: Partial<Record<TrackedSetting, SourceLocation>> = {};
  /** Final scopes of modules already run, by path: Python runs a module once. */
  private readonly modules = new Map<string, Scope>();
  private readonly running = new Set<string>();
  private readonly incomplete = new Set<TrackedSetting>();

  constructor(
    private readonly parser: PythonParser,
    private readonly readModule: ReadModule,
  ) {}

  execute(source: ModuleSource, depth: number): Scope {
    const scope: Scope = new Map();
    this.files.push(source.path);
    this.running.add(source.path);
    this.parser.withTree(source.text, (tree) => {
      const root = tree.rootNode;
      for (const range of syntaxErrorRanges(root)) this.syntaxErrors.push({ path: source.path, range });
      const statements = flattenErrors(root.type === 'ERROR' ? [root] : root.children).filter(isStatementNode);
      const module = new ModuleRun(this, scope, source.path, depth);
      module.runBlock(statements);
    });
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

  assigned(name: string, location: SourceLocation): void {
    if (TRACKED.has(name)) this.locations[name as TrackedSetting] = location;
  }

  /** Records a dynamic construct; `settings` are the tracked settings it leaves incomplete. */
  addDynamic(location: SourceLocation, description: string, settings: readonly TrackedSetting[] = []): void {
    this.dynamic.push({ location, description });
    for (const setting of settings) this.incomplete.add(setting);
  }

  result(scope: Scope): StaticSettings {
    const installedApps = this.installedApps(scope.get('INSTALLED_APPS'));
    const migrationModules = this.migrationModules(scope.get('MIGRATION_MODULES'));
    const authUserModel = this.authUserModel(scope.get('AUTH_USER_MODEL'));
    const databases = this.databases(scope.get('DATABASES'));
    return {
      file: this.files[0],
      installedApps,
      installedAppsDynamic: this.incomplete.has('INSTALLED_APPS'),
      migrationModules,
      ...(authUserModel !== undefined ? { authUserModel } : {}),
      ...(this.incomplete.has('AUTH_USER_MODEL') ? { authUserModelDynamic: true } : {}),
      databases,
      locations: this.locations,
      dynamic: this.dynamic,
      syntaxErrors: this.syntaxErrors,
      files: this.files,
    };
  }

  private installedApps(value: StaticValue | undefined): InstalledAppEntry[] | undefined {
    if (!value) return undefined;
    if (value.kind !== 'list') {
      this.notLiteral('INSTALLED_APPS', '`INSTALLED_APPS`', value, 'is not a list of strings');
      return value.kind === 'unknown' ? undefined : [];
    }
    const entries: InstalledAppEntry[] = [];
    for (const item of value.items) {
      if (item.kind === 'str' && item.location) entries.push({ value: item.value, location: item.location });
      else this.notLiteral('INSTALLED_APPS', 'an `INSTALLED_APPS` entry', item, 'is not a literal string');
    }
    return entries;
  }

  private migrationModules(value: StaticValue | undefined): Map<string, string | null> {
    const modules = new Map<string, string | null>();
    if (!value) return modules;
    if (value.kind !== 'dict') {
      this.notLiteral('MIGRATION_MODULES', '`MIGRATION_MODULES`', value, 'is not a dict of strings');
      return modules;
    }
    for (const [label, module] of value.entries) {
      if (module.kind === 'str') modules.set(label, module.value);
      else if (module.kind === 'none') modules.set(label, null);
      else this.notLiteral('MIGRATION_MODULES', `\`MIGRATION_MODULES['${label}']\``, module, 'is not a string or None');
    }
    return modules;
  }

  private authUserModel(value: StaticValue | undefined): string | undefined {
    if (!value) return undefined;
    if (value.kind === 'str') return value.value;
    this.notLiteral('AUTH_USER_MODEL', '`AUTH_USER_MODEL`', value, 'is not a literal string');
    return undefined;
  }

  private databases(value: StaticValue | undefined): Record<string, DatabaseConfig> {
    const databases: Record<string, DatabaseConfig> = {};
    if (!value) return databases;
    if (value.kind !== 'dict') {
      this.notLiteral('DATABASES', '`DATABASES`', value, 'is not a dict');
      return databases;
    }
    for (const [alias, config] of value.entries) {
      if (config.kind !== 'dict') {
        this.notLiteral('DATABASES', `\`DATABASES['${alias}']\``, config, 'is not a dict');
        continue;
      }
      const fields: Partial<Record<DatabaseKey, SettingValue>> = {};
      for (const key of DATABASE_KEYS) {
        const field = config.entries.get(key);
        if (!field) continue;
        const converted = settingValue(field);
        if (converted !== undefined) fields[key] = converted;
        else this.notLiteral('DATABASES', `\`DATABASES['${alias}']['${key}']\``, field, 'is not a literal');
      }
      databases[alias] = fields;
    }
    return databases;
  }

  /**
   * Records why `value`, part of `setting` named in messages as `subject`, cannot be read: at the
   * expression Python would have to run, else where the setting was assigned.
   */
  private notLiteral(setting: TrackedSetting, subject: string, value: StaticValue, description: string): void {
    const unknown = firstUnknownIn(value);
    if (unknown?.kind === 'unknown') {
      this.addDynamic(unknown.location, `${subject} ${unknown.description}`, [setting]);
      return;
    }
    const location = (value.kind === 'str' && value.location) || this.locations[setting];
    if (location) this.addDynamic(location, `${subject} ${description}`, [setting]);
  }
}

/** Runs the statements of one module in order, in its own scope. */
class ModuleRun {
  private readonly context: EvaluationContext;

  constructor(
    private readonly run: SettingsRun,
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
      this.run.assigned(target.text, this.location(statement));
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
    this.run.assigned(name, this.location(statement));
  }

  private runImport(statement: Node): ImportFailure | undefined {
    for (const imported of readImportStatement(statement)) {
      const star = imported.names.some((name) => name.name === '*');
      const relative = imported.module.startsWith('.');
      // Settings are UPPER_CASE; `from pathlib import Path` needs no reading.
      if (!star && !relative && !imported.names.some((name) => SETTING_NAME.test(name.name))) continue;
      const module = this.run.importModule(imported.module, this.file, this.depth);
      if (!module) {
        // Unreadable third-party modules are assumed importable; the project's own are not.
        if (!star && !relative) continue;
        const failure = { module: imported.module, location: this.location(statement) };
        if (this.tryDepth > 0) return failure;
        this.run.addDynamic(failure.location, `imports \`${failure.module}\`, which could not be read`, TRACKED_SETTINGS);
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
    this.run.assigned(name, this.location(statement));
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
    for (const name of assignedNames(statement)) {
      if (TRACKED.has(name)) this.run.addDynamic(location, `\`${name}\` ${description}`, [name as TrackedSetting]);
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

/** Names a statement may bind or change: assignment targets, receivers of method calls, imports. */
function assignedNames(statement: Node): Set<string> {
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
    for (const tracked of TRACKED) names.add(tracked);
  }
  return names;
}

function settingValue(value: StaticValue): SettingValue | undefined {
  if (value.kind === 'environment') {
    const fallback = value.default && literalValue(value.default);
    return fallback === undefined ? { fromEnvironment: value.variable } : { fromEnvironment: value.variable, default: fallback };
  }
  return literalValue(value);
}

function literalValue(value: StaticValue): SettingLiteral | undefined {
  switch (value.kind) {
    case 'str':
    case 'path':
    case 'number':
    case 'bool':
      return value.value;
    case 'none':
      return null;
    case 'list': {
      const items = value.items.map(literalValue);
      return items.every((item) => item !== undefined) ? (items as SettingLiteral[]) : undefined;
    }
    case 'dict': {
      const object: Record<string, SettingLiteral> = {};
      for (const [key, entry] of value.entries) {
        const converted = literalValue(entry);
        if (converted === undefined) return undefined;
        object[key] = converted;
      }
      return object;
    }
    default:
      return undefined;
  }
}

function firstUnknownIn(value: StaticValue): StaticValue | undefined {
  if (value.kind === 'unknown') return value;
  if (value.kind === 'list') return value.items.map(firstUnknownIn).find((found) => found !== undefined);
  if (value.kind === 'dict') return [...value.entries.values()].map(firstUnknownIn).find((found) => found !== undefined);
  if (value.kind === 'environment' && value.default) return firstUnknownIn(value.default);
  return undefined;
}
