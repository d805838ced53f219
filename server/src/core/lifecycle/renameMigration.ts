import { LoaderResult } from '../loader';
import { MigrationKey, migrationKey, splitMigrationKey } from '../migration';
import { AliasRows, EditablePath, PlanResult, RowRename } from './refactoringPlan';
import { referenceEdits } from './referenceEdits';

/** `django_migrations.name` is a CharField(max_length=255). */
const MAX_NAME_LENGTH = 255;

/** The number prefix a rename keeps: `0004_` of `0004_order`, empty for a name without one. */
export function numberPrefix(name: string): string {
  let digits = 0;
  while (digits < name.length && name[digits] >= '0' && name[digits] <= '9') digits++;
  return digits > 0 && name[digits] === '_' ? name.slice(0, digits + 1) : '';
}

/**
 * Why `key` cannot be renamed to `newName`, or undefined when it can: the name must keep the
 * number prefix and be a module name Python imports and Django's loader reads (ASCII letters,
 * digits and underscores, not starting with `_`), must not be taken by a file or a row of any
 * database, and `renameBlocker` must find nothing.
 */
export function renameRefusal(
  loaded: LoaderResult,
  key: MigrationKey,
  newName: string,
  aliases: readonly AliasRows[],
  editable: EditablePath,
): string | undefined {
  const blocker = renameBlocker(loaded, key, aliases, editable);
  if (blocker !== undefined) return blocker;
  const [app, name] = splitMigrationKey(key);
  const prefix = numberPrefix(name);
  if (newName === name) return `the new name is the current name`;
  if (!newName.startsWith(prefix) || newName.length === prefix.length)
    return `the new name must keep the number prefix '${prefix}' and add a name after it`;
  if (![...newName].every((c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_'))
    return `'${newName}' is not a Python module name: use ASCII letters, digits and underscores only`;
  if (newName.startsWith('_')) return `Django's loader skips modules whose name starts with '_'`;
  if (newName.length > MAX_NAME_LENGTH) return `django_migrations.name holds at most ${MAX_NAME_LENGTH} characters`;
  const target = migrationKey(app, newName);
  if (loaded.diskMigrations.has(target)) return `${target} already exists`;
  for (const alias of aliases) {
    if (alias.status === 'ok' && alias.recorded.has(target))
      return `database '${alias.alias}' already has a row ${target} (a migration whose file is gone)`;
  }
  return undefined;
}

/**
 * Why `key` cannot be renamed whatever the new name: it is not a file of this project, a
 * database cannot be read (its row might need renaming), or a squash that a database applied
 * names it in `replaces`, where Django matches rows by these names.
 */
export function renameBlocker(
  loaded: LoaderResult,
  key: MigrationKey,
  aliases: readonly AliasRows[],
  editable: EditablePath,
): string | undefined {
  const migration = loaded.diskMigrations.get(key);
  if (!migration) return `no migration ${key}`;
  if (!editable(migration.path)) return `${migration.path} is not a file of this project`;
  for (const alias of aliases) {
    if (alias.status === 'unreadable') return `database '${alias.alias}' cannot be read: ${alias.reason}`;
  }
  for (const [squashKey, squash] of loaded.replacements) {
    if (!squash.parsed.replaces.some((entry) => migrationKey(entry.app, entry.name) === key)) continue;
    const applied = aliases.find((alias) => alias.status === 'ok' && alias.recorded.has(squashKey));
    if (applied)
      return `${key} is replaced by ${squashKey}, which database '${applied.alias}' applied: Django matches its rows by these names; finish the squash instead`;
  }
  return undefined;
}

/**
 * Renaming a migration: the file moves to the new name, every `dependencies`, `run_before` and
 * `replaces` entry in every app that names it follows, and each alias that recorded it has its
 * `django_migrations` row renamed.
 */
export function planRenameMigration(
  loaded: LoaderResult,
  key: MigrationKey,
  newName: string,
  aliases: readonly AliasRows[],
  textOf: (path: string) => string | undefined,
  editable: EditablePath,
): PlanResult {
  const report = aliases.map((alias) =>
    alias.status === 'unreadable'
      ? `${alias.alias}: cannot be read (${alias.reason})`
      : `${alias.alias}: ${alias.recorded.has(key) ? `${key} is recorded` : `${key} is not applied`}`,
  );
  const refusal = renameRefusal(loaded, key, newName, aliases, editable);
  if (refusal !== undefined) return { ok: false, reasons: [refusal], report };
  const migration = loaded.diskMigrations.get(key)!;
  const [app, name] = splitMigrationKey(key);
  const target = migrationKey(app, newName);
  const edits = referenceEdits(loaded.diskMigrations.values(), new Map([[key, target]]), textOf);
  const outside = edits.find((edit) => !editable(edit.path));
  if (outside) return { ok: false, reasons: [`${outside.path} names ${key} but is not a file of this project`], report };
  const folderEnd = Math.max(migration.path.lastIndexOf('/'), migration.path.lastIndexOf('\\')) + 1;
  const rowRename: RowRename = { app, from: name, to: newName };
  return {
    ok: true,
    plan: {
      title: `Rename ${key} to ${newName}`,
      edits,
      deletes: [],
      renames: [{ from: migration.path, to: `${migration.path.slice(0, folderEnd)}${newName}.py` }],
      leaves: loaded.graph.leafNodes(app).includes(key) ? [{ app, name: newName }] : [],
      rows: aliases.flatMap((alias) =>
        alias.status === 'ok' && alias.recorded.has(key) ? [{ alias: alias.alias, renames: [rowRename] }] : [],
      ),
      report,
    },
  };
}

/**
 * The full new name from what the user typed: the part after the number prefix (`order_lines`
 * for `0004_order`) gets the prefix; a name that starts with a number prefix is kept as it is.
 */
export function withNumberPrefix(oldName: string, typed: string): string {
  const prefix = numberPrefix(oldName);
  // A typed number prefix of its own is kept, for the check to refuse it.
  return typed.startsWith(prefix) || numberPrefix(typed) !== '' ? typed : `${prefix}${typed}`;
}
