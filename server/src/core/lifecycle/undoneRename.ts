import { MigrationKey, migrationKey } from '../migration';
import { AliasRows, RefactoringPlan } from './refactoringPlan';

/** A rename whose `django_migrations` rows were written: `app.from` became `app.to` on these aliases. */
export interface RenamedRows {
  readonly app: string;
  readonly from: string;
  readonly to: string;
  readonly aliases: readonly string[];
}

/**
 * Where a rename stands now, from the migration files and the rows as read:
 * - `pending`: nothing to rename back now: the files do not carry the old name alone again (not
 *   undone, or redone), or no alias that can be read still records the new name alone;
 * - `undone`: the file is back under the old name and the new one is gone, while aliases the
 *   rename wrote still record the new name and not the old one: `rows` renames them back;
 * - `settled`: every alias the rename wrote is read and none records the new name any more.
 * An alias that cannot be read is never in `rows`: whether it holds the row is unknown.
 */
export type UndoneRenameState =
  { readonly status: 'pending' | 'settled' } | { readonly status: 'undone'; readonly rows: RefactoringPlan['rows'] };

export function undoneRenameState(
  onDisk: { has(key: MigrationKey): boolean },
  renamed: RenamedRows,
  aliases: readonly AliasRows[],
): UndoneRenameState {
  const oldKey = migrationKey(renamed.app, renamed.from);
  const newKey = migrationKey(renamed.app, renamed.to);
  const written = aliases.filter((alias) => renamed.aliases.includes(alias.alias));
  const stillNew = written.filter((alias) => alias.status === 'ok' && alias.recorded.has(newKey) && !alias.recorded.has(oldKey));
  if (written.length === renamed.aliases.length && written.every((alias) => alias.status === 'ok' && !alias.recorded.has(newKey)))
    return { status: 'settled' };
  if (!onDisk.has(oldKey) || onDisk.has(newKey) || stillNew.length === 0) return { status: 'pending' };
  return {
    status: 'undone',
    rows: stillNew.map((alias) => ({ alias: alias.alias, renames: [{ app: renamed.app, from: renamed.to, to: renamed.from }] })),
  };
}
