import { Node } from 'web-tree-sitter';
import { DynamicConstruct } from '../core/migration';
import { lastNamePart, PythonValue } from '../core/pythonValue';
import { SourceRange } from '../core/sourceRange';
import { flattenErrors } from './looseValueReader';
import { nodeRange } from './nodeRange';
import { ParseTimeLimitError, PythonParser } from './pythonParser';
import { syntaxErrorRanges } from './syntaxErrors';
import { dottedName } from './dottedName';
import { readValue } from './valueReader';

/** An AppConfig subclass defined in a module, with the attributes Django reads from it. */
export interface AppConfigClass {
  readonly className: string;
  readonly classNameRange: SourceRange;
  readonly range: SourceRange;
  /** Base classes as written (`AppConfig`, `apps.AppConfig`, `ShopConfig`). */
  readonly bases: readonly string[];
  /** `name`, the app's module path; inherited from a base class of the same module. */
  readonly name?: string;
  readonly nameRange?: SourceRange;
  /** `label`; Django's default is the last part of `name`. */
  readonly label?: string;
  readonly labelRange?: SourceRange;
  /** Django 3.2's `default = True/False`: which config `AppConfig.create()` picks. */
  readonly default?: boolean;
}

export interface ParsedAppConfigModule {
  readonly configs: readonly AppConfigClass[];
  /** `default_app_config = 'shop.apps.ShopConfig'` (Django < 4.1) in a package's `__init__.py`. */
  readonly defaultAppConfig?: string;
  readonly defaultAppConfigRange?: SourceRange;
  readonly dynamic: readonly DynamicConstruct[];
  readonly syntaxErrors: readonly SourceRange[];
  /** Set when the parse ran past the time limit (the message): nothing of the module is known. */
  readonly overTimeLimit?: string;
}

type ConfigAttribute = 'name' | 'label' | 'default';

/** What a class body assigns, before inheritance. */
interface ClassReading {
  readonly className: string;
  readonly classNameRange: SourceRange;
  readonly range: SourceRange;
  readonly bases: readonly string[];
  readonly attributes: Partial<Record<ConfigAttribute, PythonValue>>;
}

/**
 * Reads an `apps.py` (or a package's `__init__.py`): its AppConfig subclasses and
 * `default_app_config`. A class counts when a base is `AppConfig` (any module path), another
 * config class of the module, or an imported class whose name ends in `Config` (such as
 * `AdminConfig`). Never throws.
 */
export function parseAppConfigs(parser: PythonParser, text: string): ParsedAppConfigModule {
  try {
    return readAppConfigs(parser, text);
  } catch (error) {
    if (!(error instanceof ParseTimeLimitError)) throw error;
    return { configs: [], dynamic: [], syntaxErrors: [], overTimeLimit: error.message };
  }
}

function readAppConfigs(parser: PythonParser, text: string): ParsedAppConfigModule {
  return parser.withTree(text, (tree) => {
    const root = tree.rootNode;
    const dynamic: DynamicConstruct[] = [];
    const classes = new Map<string, ClassReading>();
    let defaultAppConfig: { value: string; range: SourceRange } | undefined;
    for (const statement of flattenErrors(root.type === 'ERROR' ? [root] : root.children)) {
      const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (definition?.type === 'class_definition') {
        const reading = readClass(definition, dynamic);
        if (reading) classes.set(reading.className, reading);
      } else if (statement.type === 'expression_statement') {
        const assignment = statement.namedChildren[0];
        const target = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
        const value = assignment?.childForFieldName('right');
        if (target?.text !== 'default_app_config' || !value) continue;
        const read = readValue(value);
        if (read.kind === 'str') defaultAppConfig = { value: read.value, range: read.range };
        else dynamic.push({ range: nodeRange(value), description: '`default_app_config` is not a literal string' });
      }
    }
    const configs = [...classes.values()]
      .filter((reading) => isAppConfig(reading, classes, new Set()))
      .map((reading) => resolve(reading, classes));
    return {
      configs,
      ...(defaultAppConfig ? { defaultAppConfig: defaultAppConfig.value, defaultAppConfigRange: defaultAppConfig.range } : {}),
      dynamic,
      syntaxErrors: syntaxErrorRanges(root),
    };
  });
}

function readClass(node: Node, dynamic: DynamicConstruct[]): ClassReading | undefined {
  const name = node.childForFieldName('name');
  if (!name) return undefined;
  const superclasses = node.childForFieldName('superclasses');
  const bases = (superclasses?.namedChildren ?? []).flatMap((base) => {
    const dotted = dottedName(base);
    return dotted === undefined ? [] : [dotted];
  });
  const attributes: Partial<Record<ConfigAttribute, PythonValue>> = {};
  const body = node.childForFieldName('body');
  for (const statement of body ? flattenErrors(body.children) : []) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment?.type !== 'assignment') continue;
    const target = assignment.childForFieldName('left')?.text;
    const value = assignment.childForFieldName('right');
    if ((target !== 'name' && target !== 'label' && target !== 'default') || !value) continue;
    const read = readValue(value);
    const literal = target === 'default' ? read.kind === 'constant' && read.value !== null : read.kind === 'str';
    if (literal) attributes[target] = read;
    else dynamic.push({ range: nodeRange(value), description: `\`${target}\` of ${name.text} is not a literal` });
  }
  return { className: name.text, classNameRange: nodeRange(name), range: nodeRange(node), bases, attributes };
}

function isAppConfig(reading: ClassReading, classes: ReadonlyMap<string, ClassReading>, seen: Set<string>): boolean {
  if (seen.has(reading.className)) return false;
  seen.add(reading.className);
  return reading.bases.some((base) => {
    const local = classes.get(base);
    if (local) return isAppConfig(local, classes, seen);
    const last = lastNamePart(base);
    return last === 'AppConfig' || last.endsWith('Config');
  });
}

/** The class's attributes, each taken from the class or else the first base of this module that has it. */
function resolve(reading: ClassReading, classes: ReadonlyMap<string, ClassReading>): AppConfigClass {
  const found: Partial<Record<ConfigAttribute, PythonValue>> = {};
  const pending = [reading];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const current = pending.shift() as ClassReading;
    if (seen.has(current.className)) continue;
    seen.add(current.className);
    for (const key of ['name', 'label', 'default'] as const) found[key] ??= current.attributes[key];
    for (const base of current.bases) {
      const local = classes.get(base);
      if (local) pending.push(local);
    }
  }
  const { name, label } = found;
  const isDefault = found.default;
  return {
    className: reading.className,
    classNameRange: reading.classNameRange,
    range: reading.range,
    bases: reading.bases,
    ...(name?.kind === 'str' ? { name: name.value, nameRange: name.range } : {}),
    ...(label?.kind === 'str' ? { label: label.value, labelRange: label.range } : {}),
    ...(isDefault?.kind === 'constant' && typeof isDefault.value === 'boolean' ? { default: isDefault.value } : {}),
  };
}
