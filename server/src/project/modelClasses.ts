import { Node } from 'web-tree-sitter';
import { dottedName } from '../python/dottedName';
import { readImportStatement } from '../python/importReader';
import { ParseTimeLimitError, PythonParser } from '../python/pythonParser';
import { ProjectFileSystem } from './fileSystem';
import { ModuleFinder } from './moduleFinder';
import { decodeSource } from './sourceText';

/** What a module binds at its top level, as far as telling model classes apart needs. */
interface ModuleBindings {
  /** Class name to its bases as written. */
  readonly classes: ReadonlyMap<string, readonly string[]>;
  /** Bound name to what it names: a module (`import x`, `from p import module`) or `module.name`. */
  readonly imports: ReadonlyMap<string, { readonly module: string; readonly name?: string }>;
}

const MODEL_BASES = new Set(['django.db.models.Model', 'django.db.models.base.Model']);

/** Models of django.contrib that data migrations import, for when Django's own source is not on the import path. */
const CONTRIB_MODELS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['django.contrib.auth.models', new Set(['User', 'Group', 'Permission'])],
  ['django.contrib.contenttypes.models', new Set(['ContentType'])],
  ['django.contrib.sites.models', new Set(['Site'])],
  ['django.contrib.flatpages.models', new Set(['FlatPage'])],
  ['django.contrib.redirects.models', new Set(['Redirect'])],
  ['django.contrib.admin.models', new Set(['LogEntry'])],
  ['django.contrib.sessions.models', new Set(['Session'])],
]);

/**
 * Tells whether a name imported from a module is a Django model class: a class deriving from
 * `django.db.models.Model` directly or through bases the project's modules define (read with
 * tree-sitter, following imports and re-exports). A name that does not resolve is not a model.
 */
export class ModelClassResolver {
  private readonly modules = new Map<string, Promise<ModuleBindings | undefined>>();
  private readonly verdicts = new Map<string, boolean>();

  constructor(
    private readonly finder: ModuleFinder,
    private readonly parser: PythonParser,
    private readonly fileSystem: ProjectFileSystem,
  ) {}

  /** The verdict once `resolve` has given it, for synchronous callers. */
  known(module: string, name: string, fromPackage: string): boolean | undefined {
    return this.verdicts.get(`${absoluteModule(module, fromPackage)}:${name}`);
  }

  /** `module` may be relative (`..models`), from a module of package `fromPackage`. */
  async resolve(module: string, name: string, fromPackage: string): Promise<boolean> {
    const absolute = absoluteModule(module, fromPackage);
    const key = `${absolute}:${name}`;
    const known = this.verdicts.get(key);
    if (known !== undefined) return known;
    const verdict = await this.isModel(absolute, name, new Set());
    this.verdicts.set(key, verdict);
    return verdict;
  }

  private async isModel(module: string, name: string, seen: Set<string>): Promise<boolean> {
    const key = `${module}:${name}`;
    if (seen.has(key) || seen.size > 64) return false;
    seen.add(key);
    if (MODEL_BASES.has(key.replace(':', '.'))) return true;
    const bindings = await this.bindings(module);
    if (!bindings) return CONTRIB_MODELS.get(module)?.has(name) ?? false;
    const bases = bindings.classes.get(name);
    if (bases) {
      for (const base of bases) {
        const target = qualify(base, module, bindings);
        if (target && (MODEL_BASES.has(`${target.module}.${target.name}`) || (await this.isModel(target.module, target.name, seen))))
          return true;
      }
      return false;
    }
    // A re-export, such as `from .order import Order` in `models/__init__.py`.
    const imported = bindings.imports.get(name);
    return imported?.name !== undefined ? this.isModel(imported.module, imported.name, seen) : false;
  }

  private bindings(module: string): Promise<ModuleBindings | undefined> {
    let found = this.modules.get(module);
    if (!found) {
      found = this.readBindings(module);
      this.modules.set(module, found);
    }
    return found;
  }

  private async readBindings(module: string): Promise<ModuleBindings | undefined> {
    const found = await this.finder.find(module);
    const file = found?.kind === 'module' ? found.file : found?.initFile;
    if (!found || !file) return undefined;
    const bytes = await this.fileSystem.readFile(file);
    if (!bytes) return undefined;
    const modulePackage = found.kind === 'package' ? module : module.slice(0, Math.max(0, module.lastIndexOf('.')));
    try {
      return this.parser.withTree(decodeSource(bytes).text, (tree) => readBindings(tree.rootNode, modulePackage));
    } catch (error) {
      // Past the parse time limit: what the module binds is unknown, as for a module not found.
      if (error instanceof ParseTimeLimitError) return undefined;
      throw error;
    }
  }
}

function readBindings(root: Node, modulePackage: string): ModuleBindings {
  const classes = new Map<string, string[]>();
  const imports = new Map<string, { module: string; name?: string }>();
  for (const statement of root.namedChildren) {
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'class_definition') {
      const name = definition.childForFieldName('name')?.text;
      const bases = (definition.childForFieldName('superclasses')?.namedChildren ?? []).flatMap((base) => {
        const dotted = base.type === 'keyword_argument' ? undefined : dottedName(base);
        return dotted === undefined ? [] : [dotted];
      });
      if (name) classes.set(name, bases);
      continue;
    }
    for (const imported of readImportStatement(statement)) {
      const module = absoluteModule(imported.module, modulePackage);
      if (statement.type === 'import_statement') {
        // `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`.
        const bound = imported.moduleAlias ?? imported.module.split('.')[0];
        imports.set(bound, { module: imported.moduleAlias ? module : bound });
        continue;
      }
      for (const { name, alias } of imported.names) {
        if (name !== '*') imports.set(alias ?? name, { module, name });
      }
    }
  }
  return { classes, imports };
}

/** The module and name a base class written in `module` refers to. */
function qualify(base: string, module: string, bindings: ModuleBindings): { module: string; name: string } | undefined {
  const parts = base.split('.');
  const head = parts[0];
  if (parts.length === 1) {
    if (bindings.classes.has(head)) return { module, name: head };
    const imported = bindings.imports.get(head);
    return imported?.name !== undefined ? { module: imported.module, name: imported.name } : undefined;
  }
  const imported = bindings.imports.get(head);
  if (!imported) return undefined;
  // `models.Model` with `from django.db import models`: the module `django.db.models`.
  const start = imported.name !== undefined ? `${imported.module}.${imported.name}` : imported.module;
  const path = [start, ...parts.slice(1, -1)].join('.');
  return { module: path, name: parts[parts.length - 1] };
}

/** `..models` from package `shop.migrations` is `shop.models`. */
export function absoluteModule(module: string, fromPackage: string): string {
  const dots = module.length - module.replace(/^\.+/, '').length;
  if (dots === 0) return module;
  const base = fromPackage.split('.').filter(Boolean);
  const kept = base.slice(0, Math.max(0, base.length - (dots - 1)));
  const rest = module.slice(dots);
  return [...kept, ...(rest ? [rest] : [])].join('.');
}
