import { importsUsedByRunPython } from '../core/checks/modelImportInDataMigration';
import {
  DependencyEntry,
  DynamicConstruct,
  FunctionEntry,
  ImportEntry,
  ImportFailure,
  MigrationAttribute,
  MigrationKeyEntry,
  OperationEntry,
  ParsedMigration,
} from '../core/migration';
import { lastNamePart, PythonValue } from '../core/pythonValue';
import { SourceRange } from '../core/sourceRange';

export const ATTRIBUTES: ReadonlySet<string> = new Set<MigrationAttribute>([
  'dependencies',
  'operations',
  'replaces',
  'run_before',
  'initial',
  'atomic',
]);

export type SequenceAttribute = Exclude<MigrationAttribute, 'initial' | 'atomic'>;

export function isSequenceAttribute(attribute: MigrationAttribute): attribute is SequenceAttribute {
  return attribute !== 'initial' && attribute !== 'atomic';
}

/** What each kind of expression is called in a dynamic construct's description. */
const EXPRESSION_DESCRIPTIONS: Readonly<Record<string, string>> = {
  conditional_expression: 'a conditional expression',
  list_comprehension: 'a comprehension',
  generator_expression: 'a comprehension',
  set_comprehension: 'a comprehension',
  dictionary_comprehension: 'a comprehension',
  binary_operator: 'an operator expression',
  boolean_operator: 'a boolean expression',
  subscript: 'a subscript',
  lambda: 'a lambda',
};

export interface Operand {
  readonly value: PythonValue;
  /** The expression's node type, for describing what is dynamic about it. */
  readonly nodeType?: string;
}

/**
 * The Migration class's attributes as its assignments set them, whichever reader found the
 * assignments: Django's defaults (`initial` None, `atomic` True, empty lists) until then.
 */
export class MigrationAttributes {
  dependencies: DependencyEntry[] = [];
  replaces: MigrationKeyEntry[] = [];
  runBefore: MigrationKeyEntry[] = [];
  operations: OperationEntry[] = [];
  initial: boolean | null = null;
  atomic = true;
  readonly attributeRanges: Partial<Record<MigrationAttribute, SourceRange>> = {};
  readonly dynamic: DynamicConstruct[] = [];

  /** `attribute = operand + operand ...`: the last assignment wins. */
  assign(attribute: MigrationAttribute, operands: readonly Operand[], range: SourceRange): void {
    this.attributeRanges[attribute] = range;
    if (!isSequenceAttribute(attribute)) {
      this.setFlag(attribute, operands[0].value, range);
      return;
    }
    this.clearSequence(attribute);
    if (operands.length > 1) this.addDynamic(range, `\`${attribute}\` is built by list concatenation`);
    this.addSequence(attribute, operands);
  }

  setFlag(attribute: 'initial' | 'atomic', value: PythonValue, range: SourceRange): void {
    let flag: boolean | null | undefined;
    if (value.kind === 'constant') flag = value.value;
    else if (value.kind === 'number') flag = value.value !== 0;
    if (flag === undefined) {
      this.addDynamic(range, `\`${attribute}\` is not a literal True, False or None`);
    } else if (attribute === 'initial') {
      this.initial = flag;
    } else {
      // Django tests `if migration.atomic`: None counts as False.
      this.atomic = flag === true;
    }
  }

  clearSequence(attribute: SequenceAttribute): void {
    if (attribute === 'dependencies') this.dependencies = [];
    else if (attribute === 'operations') this.operations = [];
    else if (attribute === 'replaces') this.replaces = [];
    else this.runBefore = [];
  }

  /** Adds the items of each operand that is a literal list or tuple; the others are dynamic. */
  addSequence(attribute: SequenceAttribute, operands: readonly Operand[]): void {
    for (const { value, nodeType } of operands) {
      if (value.kind === 'list' || value.kind === 'tuple') {
        for (const item of value.items) this.addItem(attribute, item);
      } else {
        this.addDynamic(value.range, `\`${attribute}\` is ${describeValue(value, nodeType)}`);
      }
    }
  }

  private addItem(attribute: SequenceAttribute, item: PythonValue): void {
    if (attribute === 'operations') {
      const type = item.kind === 'call' ? lastNamePart(item.callee) : '';
      if (item.kind === 'call' && isIdentifier(type)) this.operations.push({ type, call: item });
      else this.addDynamic(item.range, `an operation given as ${describeValue(item)}`);
    } else if (attribute === 'dependencies') {
      const dependency = readDependency(item);
      if (dependency) this.dependencies.push(dependency);
      else this.addDynamic(item.range, `a dependency given as ${describeValue(item)}`);
    } else {
      const key = readMigrationKey(item);
      const list = attribute === 'replaces' ? this.replaces : this.runBefore;
      if (key) list.push(key);
      else this.addDynamic(item.range, `a \`${attribute}\` entry given as ${describeValue(item)}`);
    }
  }

  addDynamic(range: SourceRange, description: string): void {
    this.dynamic.push({ range, description });
  }
}

function readDependency(item: PythonValue): DependencyEntry | undefined {
  if (item.kind === 'tuple' || item.kind === 'list') {
    const key = readMigrationKey(item);
    return (
      key && { target: { kind: 'key', app: key.app, name: key.name }, range: key.range, appRange: key.appRange, nameRange: key.nameRange }
    );
  }
  if (item.kind !== 'call' || lastNamePart(item.callee) !== 'swappable_dependency') return undefined;
  const argument = item.kwargs.find((k) => k.name === 'value')?.value ?? item.args[0];
  if (!argument) return undefined;
  const setting = swappableSetting(argument);
  if (setting) return { target: { kind: 'swappable', setting }, range: item.range };
  // `swappable_dependency('auth.User')` is the model's app at `__first__`.
  if (argument.kind === 'str' && argument.value.includes('.')) {
    const app = argument.value.slice(0, argument.value.indexOf('.'));
    return { target: { kind: 'key', app, name: '__first__' }, range: item.range };
  }
  return undefined;
}

/** `settings.X`, `getattr(settings, 'X')` or `getattr(settings, 'X', default)`: X. */
function swappableSetting(argument: PythonValue): string | undefined {
  if (argument.kind === 'name') {
    const parts = argument.dotted.split('.');
    return parts.length >= 2 && parts[parts.length - 2] === 'settings' ? parts[parts.length - 1] : undefined;
  }
  if (argument.kind === 'call' && argument.callee === 'getattr' && argument.args.length >= 2) {
    const [object, name] = argument.args;
    if (object.kind === 'name' && lastNamePart(object.dotted) === 'settings' && name.kind === 'str') return name.value;
  }
  return undefined;
}

function readMigrationKey(item: PythonValue): MigrationKeyEntry | undefined {
  if ((item.kind !== 'tuple' && item.kind !== 'list') || item.items.length !== 2) return undefined;
  const [app, name] = item.items;
  if (app.kind !== 'str' || name.kind !== 'str') return undefined;
  return { app: app.value, name: name.value, range: item.range, appRange: app.range, nameRange: name.range };
}

function describeValue(value: PythonValue, nodeType?: string): string {
  switch (value.kind) {
    case 'name':
      return `the name \`${value.dotted}\`, bound elsewhere`;
    case 'call':
      return `built by calling \`${value.callee}()\``;
    case 'opaque':
      return (nodeType && EXPRESSION_DESCRIPTIONS[nodeType]) ?? `the expression \`${abbreviate(value.text)}\``;
    case 'str':
      return 'a string';
    case 'number':
    case 'constant':
      return 'a constant';
    default:
      return `a ${value.kind}`;
  }
}

export function abbreviate(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 40 || line.length < text.length ? `${line.slice(0, 40)}…` : line;
}

function isIdentifier(text: string): boolean {
  return /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(text);
}

/** What a reader found of a migration module, as the one record every reader returns. */
export interface MigrationModuleParts {
  /** The Migration class, when there is one. */
  readonly classRanges: { readonly range: SourceRange; readonly nameRange: SourceRange } | undefined;
  readonly attributes: MigrationAttributes;
  readonly syntaxErrors: readonly SourceRange[];
  readonly importFailures: readonly ImportFailure[];
  readonly imports: readonly ImportEntry[];
  readonly functions: readonly FunctionEntry[];
}

export function migrationRecord({
  classRanges,
  attributes,
  syntaxErrors,
  importFailures,
  imports,
  functions,
}: MigrationModuleParts): ParsedMigration {
  return {
    hasMigrationClass: classRanges !== undefined,
    ...(classRanges ? { classRange: classRanges.range, classNameRange: classRanges.nameRange } : {}),
    dependencies: attributes.dependencies,
    replaces: attributes.replaces,
    runBefore: attributes.runBefore,
    initial: attributes.initial,
    atomic: attributes.atomic,
    operations: attributes.operations,
    attributeRanges: attributes.attributeRanges,
    dynamic: attributes.dynamic,
    syntaxErrors,
    importFailures,
    imports,
    functions,
    runPythonImports: importsUsedByRunPython(attributes.operations, functions, imports),
  };
}
