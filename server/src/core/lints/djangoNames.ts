import { md5 } from 'js-md5';

/** PostgreSQL's identifier limit (NAMEDATALEN - 1), Django's `max_name_length()` there. */
export const POSTGRES_MAX_NAME_LENGTH = 63;

/** Django's `names_digest(*args, length)`: the first `length` hex digits of the MD5 of the names. */
export function namesDigest(names: readonly string[], length: number): string {
  const hash = md5.create();
  for (const name of names) hash.update(name);
  return hash.hex().slice(0, length);
}

/**
 * Django's `BaseDatabaseSchemaEditor._create_index_name(table, columns, suffix)`: the name it
 * gives an index or constraint it makes up (`shop_product_name_0b1a6f4e_like`), shortened with
 * the digest kept when longer than the backend allows. `table` is a plain name (no schema).
 */
export function createIndexName(table: string, columns: readonly string[], suffix = '', maxLength = POSTGRES_MAX_NAME_LENGTH): string {
  let hashSuffix = `${namesDigest([table, ...columns], 8)}${suffix}`;
  const full = `${table}_${columns.join('_')}_${hashSuffix}`;
  if (full.length <= maxLength) return full;
  if (hashSuffix.length > maxLength / 3) hashSuffix = hashSuffix.slice(0, Math.floor(maxLength / 3));
  const otherLength = Math.floor((maxLength - hashSuffix.length) / 2) - 1;
  const name = `${table.slice(0, otherLength)}_${columns.join('_').slice(0, otherLength)}_${hashSuffix}`;
  return name[0] === '_' || /\d/.test(name[0]) ? `D${name.slice(0, -1)}` : name;
}

/** The name PostgreSQL gives a constraint written inline without one (`UNIQUE` on a column): `table_column_key`. */
export function postgresInlineConstraintName(table: string, column: string, label: string): string | undefined {
  const name = `${table}_${column}_${label}`;
  // Longer names are shortened by PostgreSQL's own rules; no fix guesses them.
  return name.length <= POSTGRES_MAX_NAME_LENGTH ? name : undefined;
}
