/**
 * Milliseconds since the epoch of a `django_migrations.applied` value as the db layer returns it:
 * `2024-05-01 10:00:00.123456` (SQLite, naive) or `2024-05-01T10:00:00.123456Z` (PostgreSQL).
 * Naive values are read as UTC, which is what Django stores when `USE_TZ = True` (the setting
 * `startproject` writes). Undefined when the text is not such a time.
 */
export function appliedInstant(applied: string | null | undefined): number | undefined {
  if (!applied) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(applied.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const milliseconds = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), milliseconds);
  return Number.isNaN(utc) ? undefined : utc - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

const UNITS: readonly [unit: string, ms: number][] = [
  ['year', 365 * 24 * 3_600_000],
  ['month', 30 * 24 * 3_600_000],
  ['week', 7 * 24 * 3_600_000],
  ['day', 24 * 3_600_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** `just now`, `5 minutes ago`, `2 days ago`: how long before `now` an instant was. */
export function timeAgo(instant: number, now: number): string {
  const elapsed = now - instant;
  // A clock a little behind the database server's still reads as "just now".
  if (elapsed < 60_000) return 'just now';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(elapsed / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

/** `applied 2 days ago`-style text for a stored time; `applied` alone when it cannot be read. */
export function appliedAgo(applied: string | null | undefined, now: number): string {
  const instant = appliedInstant(applied);
  return instant === undefined ? 'applied' : `applied ${timeAgo(instant, now)}`;
}
