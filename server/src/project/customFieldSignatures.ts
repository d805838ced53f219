import { Migration, migrationKey } from '../core/migration';
import { Problem, RelatedLocation } from '../core/problem';
import { PythonCall, PythonValue } from '../core/pythonValue';
import { bindingError } from '../python/callBinding';
import { FunctionSignature } from '../python/functionSignature';
import { ClassStatement } from '../python/modelsModuleParser';
import { LoadedModule, ModuleScope, Resolution } from './moduleScope';

/** A call in a migration of a class that may be the project's own: `shop.fields.MoneyField(...)`. */
export interface ProjectClassCall {
  readonly migration: Migration;
  readonly call: PythonCall;
  /** The callee's import path. */
  readonly path: string;
}

/** Every call in the migrations whose callee is not Django's, with its import path. */
export function projectClassCalls(migrations: Iterable<Migration>): ProjectClassCall[] {
  return [...migrations].flatMap((migration) => {
    // A file's parse outlives the graphs it is part of: its calls are listed once.
    const known = callsByParse.get(migration.parsed);
    if (known?.migration === migration) return known.calls;
    const calls = migrationClassCalls(migration);
    callsByParse.set(migration.parsed, { migration, calls });
    return calls;
  });
}

const callsByParse = new WeakMap<object, { readonly migration: Migration; readonly calls: ProjectClassCall[] }>();

function migrationClassCalls(migration: Migration): ProjectClassCall[] {
  const found: ProjectClassCall[] = [];
  const visit = (value: PythonValue) => {
    switch (value.kind) {
      case 'call': {
        const path = importPath(migration, value.callee);
        if (path && !path.startsWith('django.')) found.push({ migration, call: value, path });
        value.args.forEach(visit);
        for (const keyword of value.kwargs) visit(keyword.value);
        return;
      }
      case 'list':
      case 'tuple':
      case 'set':
        value.items.forEach(visit);
        return;
      case 'dict':
        for (const entry of value.entries) visit(entry.value);
        return;
    }
  };
  for (const operation of migration.parsed.operations) visit(operation.call);
  return found;
}

/** The path a dotted callee names through the migration's imports; undefined for local names. */
function importPath(migration: Migration, callee: string): string | undefined {
  const [first, ...rest] = callee.split('.');
  for (const entry of migration.parsed.imports) {
    const index = (entry.boundNames ?? entry.names).indexOf(first);
    if (index >= 0) return [entry.module, entry.names[index], ...rest].join('.');
    // `import shop.fields` binds `shop`; the callee is then the full path.
    if (entry.names.length === 0 && (entry.module === first || entry.module.startsWith(`${first}.`)) && rest.length > 0) return callee;
  }
  return undefined;
}

/** A project field class whose `__init__` is known: defined in the class or a project base, single inheritance up to Django's field. */
interface FieldInit {
  readonly path: string;
  readonly owner: ClassStatement;
  readonly module: LoadedModule;
  readonly signature: FunctionSignature;
}

const MAX_BASES = 32;

/**
 * Where `__init__` comes from for a project class, when it is certain: every class from it up to
 * the Django field it extends has one base that resolves, no decorator, metaclass or `__new__`,
 * and one of the project's classes defines `__init__` readably. Anything else is unknown.
 */
function fieldInit(start: Extract<Resolution, { kind: 'class' }>, scope: ModuleScope): FieldInit | undefined {
  let current = start;
  let found: FieldInit | undefined;
  for (let hops = 0; hops < MAX_BASES; hops++) {
    const statement = current.statement;
    if (statement.dynamic || statement.methods.includes('__new__')) return undefined;
    if (statement.attributes.some((a) => a.name === '__init__' || a.name === '__new__')) return undefined;
    if (!found && statement.methods.includes('__init__')) {
      if (!statement.init) return undefined;
      found = { path: current.path, owner: statement, module: current.module, signature: statement.init };
    }
    if (statement.bases.length !== 1 || statement.bases[0].kind !== 'name') return undefined;
    const base = scope.resolve(current.module, statement.bases[0].dotted);
    if (base?.kind === 'class') {
      current = base;
      continue;
    }
    // Django's own field classes end the chain; any other base is not known to be a field.
    return base?.kind === 'path' && /^django\.(db\.models|contrib\.[a-z_]+)(\.[a-z_]+)*\.[A-Za-z]*Field$/.test(base.path)
      ? found
      : undefined;
  }
  return undefined;
}

/**
 * `custom-field-signature`: a project field class whose `__init__` no longer accepts the
 * arguments existing migrations call it with. Django imports every migration when it loads
 * them, so each of those calls raises TypeError (Django's docs on changing a custom field).
 */
export function customFieldSignatureProblems(calls: readonly ProjectClassCall[], scope: ModuleScope): Problem[] {
  const inits = new Map<string, FieldInit | undefined>();
  const byOwner = new Map<ClassStatement, { init: FieldInit; message: string; related: RelatedLocation[] }>();
  for (const { migration, call, path } of calls) {
    // `*args` or `**kwargs` in the call: what it passes is not known.
    if (call.args.some((a) => a.kind === 'opaque' && a.text.startsWith('*'))) continue;
    if (!inits.has(path)) {
      const resolved = scope.classAt(path);
      inits.set(path, resolved?.kind === 'class' ? fieldInit(resolved, scope) : undefined);
    }
    const init = inits.get(path);
    if (!init) continue;
    const error = bindingError(
      `${init.owner.name}.__init__`,
      init.signature,
      call.args.length,
      call.kwargs.map((k) => k.name),
    );
    if (!error) continue;
    const key = migrationKey(migration.appLabel, migration.name);
    const entry = byOwner.get(init.owner) ?? { init, message: `${error} (${key})`, related: [] };
    entry.related.push({ file: migration.path, range: call.range, message: `${key}: TypeError: ${error}` });
    byOwner.set(init.owner, entry);
  }
  return [...byOwner.values()].map(({ init, message, related }) => ({
    code: 'custom-field-signature' as const,
    severity: 'error' as const,
    message:
      `${related.length === 1 ? 'A migration passes' : `${related.length} migration calls pass`} ${init.owner.name}.__init__ ` +
      `arguments it no longer accepts: loading the migrations raises TypeError: ${message}`,
    file: init.module.file,
    range: init.signature.nameRange,
    related,
  }));
}
