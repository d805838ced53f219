import { Migration } from '../migration';
import { callArgument, lastNamePart, PythonCall } from '../pythonValue';
import { LintContext, OperationSite } from './lintRule';

const SITES = new WeakMap<object, readonly OperationSite[]>();

/**
 * The operations that reach the database, in order: top-level ones and the
 * `database_operations` of SeparateDatabaseAndState (its `state_operations` run no SQL).
 */
export function operationSites(migration: Migration): readonly OperationSite[] {
  // Every rule asks for the same migration's sites: read them once per parse.
  const cached = SITES.get(migration.parsed);
  if (cached) return cached;
  const sites: OperationSite[] = [];
  migration.parsed.operations.forEach((operation, index) => {
    if (operation.type !== 'SeparateDatabaseAndState') {
      sites.push({ type: operation.type, call: operation.call, operation, index, nested: false });
      return;
    }
    const database = callArgument(operation.call, 1, 'database_operations');
    if (database?.kind !== 'list' && database?.kind !== 'tuple') return;
    for (const item of database.items) {
      if (item.kind === 'call') sites.push({ type: lastNamePart(item.callee), call: item, operation, index, nested: true });
    }
  });
  SITES.set(migration.parsed, sites);
  return sites;
}

/** Lower-cased model names this migration creates before operation `index` (their tables are new). */
export function modelsCreatedBefore(sites: readonly OperationSite[], site: OperationSite): Set<string> {
  const created = new Set<string>();
  for (const other of sites) {
    if (other.call === site.call) break;
    if (other.type !== 'CreateModel') continue;
    const name = callArgument(other.call, 0, 'name');
    if (name?.kind === 'str') created.add(name.value.toLowerCase());
  }
  return created;
}

/** The model an operation names by `model_name` (or `name` for model operations), lower-cased. */
export function modelNameOf(call: PythonCall, keyword = 'model_name'): string | undefined {
  const value = callArgument(call, 0, keyword);
  return value?.kind === 'str' ? value.value.toLowerCase() : undefined;
}

/**
 * Whether the model's table is new in this deploy: created earlier in this migration, or (where
 * the project state says so) in a migration that has not reached the database. An existing
 * table is what the lock and deploy rules are about; a new one is empty and unused.
 */
export function isNewTable(context: LintContext, site: OperationSite, model: string | undefined): boolean {
  if (model === undefined) return false;
  if (modelsCreatedBefore(operationSites(context.migration), site).has(model)) return true;
  return context.state?.tableExistedBefore?.(context.migration.appLabel, model) === false;
}
