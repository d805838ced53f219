import { Deconstructed } from '../core/deconstructed';
import { canonicalPath } from '../core/writtenValue';
import { qObject } from '../core/qObject';
import { PythonValue } from '../core/pythonValue';
import { ClassStatement, ModelsModule } from '../python/modelsModuleParser';

/** A module read for its models, with its dotted name. */
export interface LoadedModule {
  readonly name: string;
  readonly file: string;
  /** A package's `__init__.py`: relative imports start from the module itself. */
  readonly isPackage: boolean;
  readonly parsed: ModelsModule;
}

/** What a dotted name in a module stands for. */
export type Resolution =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'class'; readonly path: string; readonly module: LoadedModule; readonly statement: ClassStatement }
  | { readonly kind: 'value'; readonly value: PythonValue; readonly module: LoadedModule };

const BUILTINS = new Set([
  'dict',
  'list',
  'set',
  'tuple',
  'str',
  'int',
  'float',
  'bool',
  'bytes',
  'frozenset',
  'object',
  'len',
  'min',
  'max',
]);
const MAX_HOPS = 32;

/** Translation functions whose result Django serialises as the plain string. */
const TRANSLATIONS = new Set([
  'django.utils.translation.gettext_lazy',
  'django.utils.translation.gettext',
  'django.utils.translation.ugettext_lazy',
  'django.utils.translation.ugettext',
  'django.utils.translation.pgettext_lazy',
  'django.utils.translation.pgettext',
]);

/**
 * Name resolution across the modules that were read: imports followed through re-exports to the
 * module that defines a class, function or constant, as Python's import system binds them.
 */
export class ModuleScope {
  constructor(private readonly modules: ReadonlyMap<string, LoadedModule>) {}

  module(name: string): LoadedModule | undefined {
    return this.modules.get(name);
  }

  /** The absolute name of a module imported from `from` (`.base` -> `shop.base`). */
  absoluteModule(from: LoadedModule, imported: string): string {
    if (!imported.startsWith('.')) return imported;
    const dots = /^\.+/.exec(imported)![0].length;
    const parts = from.name.split('.');
    const keep = parts.length - dots + (from.isPackage ? 1 : 0);
    const base = parts.slice(0, Math.max(0, keep)).join('.');
    const rest = imported.slice(dots);
    return rest ? (base ? `${base}.${rest}` : rest) : base;
  }

  /** What `dotted` means at the top level of `module`; undefined when we cannot tell. */
  resolve(module: LoadedModule, dotted: string, hops = 0): Resolution | undefined {
    if (hops > MAX_HOPS) return undefined;
    const parts = dotted.split('.');
    const first = parts[0];
    const rest = parts.slice(1);
    if (module.parsed.dynamicNames.has(first)) return undefined;
    const binding = module.parsed.bindings.get(first);
    if (!binding) {
      if (module.parsed.imports.some((i) => i.names.some((n) => n.name === '*'))) return this.fromStarImports(module, dotted, hops);
      return BUILTINS.has(first) && rest.length === 0 ? { kind: 'path', path: first } : undefined;
    }
    switch (binding.kind) {
      case 'class': {
        const statement = module.parsed.classes.filter((c) => c.name === first).pop()!;
        if (rest.length > 0) return { kind: 'path', path: `${module.name}.${dotted}` };
        return { kind: 'class', path: `${module.name}.${first}`, module, statement };
      }
      case 'function':
        return { kind: 'path', path: `${module.name}.${dotted}` };
      case 'value':
        return rest.length === 0 ? { kind: 'value', value: binding.value, module } : undefined;
      case 'import': {
        const target = this.absoluteModule(module, binding.module);
        if (binding.name === undefined) return this.inModule(target, rest, hops);
        // `from pkg import sub` may name a submodule as well as an attribute.
        const owner = this.modules.get(target);
        if (owner && (owner.parsed.bindings.has(binding.name) || owner.parsed.imports.some((i) => i.names.some((n) => n.name === '*')))) {
          const inner = this.resolve(owner, [binding.name, ...rest].join('.'), hops + 1);
          if (inner) return inner;
        }
        return this.inModule(`${target}.${binding.name}`, rest, hops);
      }
    }
  }

  /** `a.b.C` where `a.b` may be a module that was read. */
  private inModule(moduleName: string, rest: readonly string[], hops: number): Resolution | undefined {
    for (let split = rest.length; split >= 1; split--) {
      const owner = this.modules.get([moduleName, ...rest.slice(0, split - 1)].filter(Boolean).join('.'));
      if (owner) {
        const inner = this.resolve(owner, rest.slice(split - 1).join('.'), hops + 1);
        if (inner) return inner;
      }
    }
    return { kind: 'path', path: [moduleName, ...rest].join('.') };
  }

  private fromStarImports(module: LoadedModule, dotted: string, hops: number): Resolution | undefined {
    for (const imported of [...module.parsed.imports].reverse()) {
      if (!imported.names.some((n) => n.name === '*')) continue;
      const owner = this.modules.get(this.absoluteModule(module, imported.module));
      // A star import from a module we did not read may bind anything.
      if (!owner) return undefined;
      const first = dotted.split('.')[0];
      if (owner.parsed.bindings.has(first) && !first.startsWith('_')) return this.resolve(owner, dotted, hops + 1);
    }
    return undefined;
  }

  /** A class statement by its dotted path, when its module was read. */
  classAt(path: string): Resolution | undefined {
    const dot = path.lastIndexOf('.');
    const owner = this.modules.get(path.slice(0, dot));
    return owner ? this.resolve(owner, path.slice(dot + 1)) : undefined;
  }

  /**
   * A value as deconstruct() would give it: names become import paths, translation calls their
   * string, other calls the object they build. `classValue` turns a reference to a class that
   * was read (a model) into what the caller needs.
   */
  deconstruct(module: LoadedModule, value: PythonValue, depth = 0): Deconstructed {
    if (depth > 50) return { kind: 'unknown', text: 'nested too deeply' };
    switch (value.kind) {
      case 'str':
        return { kind: 'str', value: value.value };
      case 'number':
        return { kind: 'number', value: value.value, text: value.text };
      case 'constant':
        return { kind: 'constant', value: value.value };
      case 'list':
      case 'tuple':
      case 'set':
        return { kind: value.kind, items: value.items.map((item) => this.deconstruct(module, item, depth + 1)) };
      case 'dict':
        return {
          kind: 'dict',
          entries: value.entries.map(
            (e) => [this.deconstruct(module, e.key, depth + 1), this.deconstruct(module, e.value, depth + 1)] as const,
          ),
        };
      case 'name': {
        const resolved = this.resolve(module, value.dotted);
        if (!resolved) return { kind: 'unknown', text: value.dotted };
        if (resolved.kind === 'value') return this.deconstruct(resolved.module, resolved.value, depth + 1);
        return { kind: 'ref', path: canonicalPath(resolved.path) };
      }
      case 'call': {
        const resolved = this.resolve(module, value.callee);
        if (!resolved || resolved.kind === 'value') return { kind: 'unknown', text: value.callee };
        const path = canonicalPath(resolved.path);
        const args = value.args.map((arg) => this.deconstruct(module, arg, depth + 1));
        const kwargs = value.kwargs.map((k) => [k.name, this.deconstruct(module, k.value, depth + 1)] as const);
        if (TRANSLATIONS.has(path)) {
          const text = args[args.length - 1];
          return text?.kind === 'str' && kwargs.length === 0 ? text : { kind: 'unknown', text: value.callee };
        }
        if (path === 'django.db.models.Q') return qObject(args, kwargs);
        return { kind: 'call', path, args, kwargs };
      }
      case 'opaque':
        return { kind: 'unknown', text: value.text };
    }
  }
}
