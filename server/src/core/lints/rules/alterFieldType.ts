import { FieldCall, fieldKeyword, operationField } from '../fieldCall';
import { siteFinding } from '../findings';
import { LintRule, Vendor } from '../lintRule';
import { targetLabel } from '../lintTarget';
import { isNewTable, modelNameOf, operationSites } from '../operationSites';
import { fieldBefore } from './fieldBefore';

/** Column types PostgreSQL converts without a rewrite (binary-coercible): varchar to text. */
const POSTGRES_FREE = new Set(['CharField>TextField', 'EmailField>TextField', 'SlugField>TextField', 'URLField>TextField']);
/** Django's fields that share a column type (`varchar`): only max_length matters between them. */
const VARCHAR = new Set(['CharField', 'EmailField', 'SlugField', 'URLField']);

/** AlterField that changes the column's type, or shrinks a varchar. */
export const alterFieldType: LintRule = {
  id: 'alter-field-type',
  severity: 'warning',
  vendors: ['postgresql', 'mysql'],
  summary: 'Changing a column type rewrites the table (and its indexes) under an exclusive lock.',
  check(context, target) {
    return operationSites(context.migration).flatMap((site) => {
      if (site.type !== 'AlterField') return [];
      const field = operationField(site.call);
      const before = fieldBefore(context, site);
      if (!field || !before || isNewTable(context, site, modelNameOf(site.call))) return [];
      const change = typeChange(before, field, target.vendor);
      if (!change) return [];
      const effect =
        target.vendor === 'postgresql'
          ? 'ALTER COLUMN TYPE rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: no reads or writes until it ends'
          : 'MySQL copies the table for the change, blocking writes for a time proportional to its size';
      return [
        siteFinding(
          site,
          `${change} on an existing table (${targetLabel(target)}): ${effect}. Add a new column, backfill it in batches, ` +
            'switch the code over, then drop the old one.',
        ),
      ];
    });
  },
};

function typeChange(before: FieldCall, after: FieldCall, vendor: Vendor): string | undefined {
  const pair = `${before.className}>${after.className}`;
  const bothVarchar = VARCHAR.has(before.className) && VARCHAR.has(after.className);
  if (before.className !== after.className && !bothVarchar) {
    if (vendor === 'postgresql' && POSTGRES_FREE.has(pair)) return undefined;
    return `Column type changed from ${before.className} to ${after.className}`;
  }
  for (const keyword of ['max_length', 'max_digits', 'decimal_places']) {
    const old = numberKeyword(before, keyword);
    const now = numberKeyword(after, keyword);
    if (old === undefined || now === undefined || old === now) continue;
    // PostgreSQL lengthens a varchar without a rewrite; MySQL (InnoDB) in place only while the length prefix keeps
    // its size: 255 bytes, 63 characters of utf8mb4.
    if (keyword === 'max_length' && now > old && (vendor === 'postgresql' || now <= 63 || old > 63)) continue;
    return `${keyword} changed from ${old} to ${now}`;
  }
  return undefined;
}

function numberKeyword(field: FieldCall, keyword: string): number | undefined {
  const value = fieldKeyword(field, keyword);
  return value?.kind === 'number' ? value.value : undefined;
}
