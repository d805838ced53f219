import { DatabaseSnapshot } from '../databases/databaseMonitor';

/**
 * Why a plan Django computed cannot be trusted to match what the tree shows: the rows of
 * django_migrations Django read differ from the ones the tree was built from (a database
 * replaced or restored between the two reads, or settings that point Django elsewhere).
 * Undefined when they agree, or when the tree has not read the database (nothing to compare).
 */
export function planDisagreement(
  alias: string,
  djangoApplied: readonly string[],
  snapshot: DatabaseSnapshot | undefined,
): string | undefined {
  if (!snapshot || snapshot.status !== 'ok') return undefined;
  const shown = new Set(snapshot.rows.map((row) => `${row.app}.${row.name}`));
  const seen = new Set(djangoApplied);
  const onlyDjango = [...seen].filter((key) => !shown.has(key)).sort();
  const onlyTree = [...shown].filter((key) => !seen.has(key)).sort();
  if (onlyDjango.length === 0 && onlyTree.length === 0) return undefined;
  const sample = (keys: string[]): string => keys.slice(0, 3).join(', ') + (keys.length > 3 ? ` and ${keys.length - 3} more` : '');
  const parts: string[] = [];
  if (onlyDjango.length > 0) parts.push(`Django reads ${sample(onlyDjango)} as applied`);
  if (onlyTree.length > 0) parts.push(`the tree shows ${sample(onlyTree)} as applied and Django does not`);
  return (
    `Django and the tree read different applied migrations on database '${alias}' (${parts.join('; ')}). ` +
    'Nothing was run: refresh the tree and try again; if they still differ, the settings Django uses point at another database than the tree reads.'
  );
}
