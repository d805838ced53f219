import { Migration } from '../migration';
import { Vendor } from './lintRule';
import { vendorName } from './lintTarget';

/** Vendors whose DDL runs inside a transaction (Django's `can_rollback_ddl`). */
const TRANSACTIONAL_DDL: ReadonlySet<Vendor> = new Set(['postgresql', 'sqlite']);

/**
 * What `atomic` means for this migration on each of the project's backends: Django wraps the
 * whole migration in one transaction only where DDL can be rolled back, and `atomic = False`
 * is what concurrent index operations need.
 */
export function atomicExplanation(migration: Migration, vendors: readonly Vendor[]): string {
  const atomic = migration.parsed.atomic;
  const lines = [`**atomic = ${atomic ? 'True' : 'False'}**${migration.parsed.attributeRanges.atomic ? '' : " (Django's default)"}`, ''];
  const known = [...new Set(vendors)].filter((vendor) => vendor !== 'other');
  for (const vendor of known.length > 0 ? known : (['postgresql', 'sqlite', 'mysql'] as Vendor[])) {
    lines.push(`- ${vendorName(vendor)}: ${vendorLine(vendor, atomic)}`);
  }
  lines.push(
    '',
    'RunPython and RunSQL take `atomic=` too: in a non-atomic migration, `RunPython(..., atomic=True)` still runs its ' +
      'function in a transaction of its own.',
  );
  return lines.join('\n');
}

function vendorLine(vendor: Vendor, atomic: boolean): string {
  if (!TRANSACTIONAL_DDL.has(vendor)) {
    return (
      'DDL is not transactional, so Django runs the operations without a transaction whatever `atomic` says; a failure ' +
      'leaves the earlier schema changes applied and the migration unrecorded.'
    );
  }
  if (atomic) {
    const concurrent =
      vendor === 'postgresql'
        ? ' Locks taken by each operation are held until the end, and CREATE/DROP INDEX CONCURRENTLY is refused.'
        : '';
    return `every operation and the record in django_migrations run in one transaction: a failure rolls all of it back.${concurrent}`;
  }
  return (
    'each operation commits on its own (what CONCURRENTLY needs); a failure leaves the earlier operations applied, and ' +
    'the migration unrecorded.'
  );
}
