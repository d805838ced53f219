import { LoaderResult } from '../loader';
import { MigrationKey, migrationKey } from '../migration';
import { AliasRows, EditablePath, PlanResult } from './refactoringPlan';
import { deleteLines, FileTextEdit, referenceEdits } from './referenceEdits';

/**
 * Finishing a squash as Django's docs describe it, once every database has moved to it: delete
 * the replaced files, point every `dependencies` / `run_before` entry that names a replaced
 * migration at the squash, and remove `replaces`, so the squash becomes an ordinary migration.
 *
 * Allowed only when each alias has recorded the squash, or has applied none of it (`migrate`
 * then applies the squash as it would have). An alias that applied only part of it, or all of
 * it without the squash's own row (Django records that row at its next `migrate`), or whose
 * rows cannot be read, refuses: without `replaces` Django would run the squash again there.
 */
export function planFinishSquash(
  loaded: LoaderResult,
  squashKey: MigrationKey,
  aliases: readonly AliasRows[],
  textOf: (path: string) => string | undefined,
  editable: EditablePath,
): PlanResult {
  const squash = loaded.diskMigrations.get(squashKey);
  const reasons: string[] = [];
  const report: string[] = [];
  if (!squash) return { ok: false, reasons: [`no migration ${squashKey}`], report };
  const replaced = squash.parsed.replaces.map((entry) => migrationKey(entry.app, entry.name));
  if (replaced.length === 0) return { ok: false, reasons: [`${squashKey} replaces nothing: it is not a squashed migration`], report };
  if (!squash.parsed.attributeRanges.replaces) return { ok: false, reasons: [`\`replaces\` of ${squashKey} is not a plain list`], report };
  if (!editable(squash.path)) reasons.push(`${squash.path} is not a file of this project`);
  for (const alias of aliases) {
    if (alias.status === 'unreadable') {
      report.push(`${alias.alias}: cannot be read (${alias.reason})`);
      reasons.push(`database '${alias.alias}' cannot be read, so whether it applied the squash is unknown: ${alias.reason}`);
      continue;
    }
    const applied = replaced.filter((key) => alias.recorded.has(key));
    if (alias.recorded.has(squashKey)) {
      report.push(`${alias.alias}: the squash is applied`);
    } else if (applied.length === 0) {
      report.push(`${alias.alias}: nothing of the squash is applied; migrate applies it as an ordinary migration`);
    } else if (applied.length === replaced.length) {
      report.push(`${alias.alias}: all ${replaced.length} replaced migrations are applied, the squash is not recorded`);
      reasons.push(
        `database '${alias.alias}' applied every migration the squash replaces but has no row for the squash itself: ` +
          `run migrate on '${alias.alias}' first (Django records the squash then)`,
      );
    } else {
      report.push(`${alias.alias}: ${applied.length} of the ${replaced.length} replaced migrations are applied`);
      reasons.push(
        `database '${alias.alias}' applied only ${applied.length} of the ${replaced.length} migrations the squash replaces ` +
          `(${applied.join(', ')}): migrate it past the squash first`,
      );
    }
  }
  const deletes: string[] = [];
  for (const key of replaced) {
    const file = loaded.diskMigrations.get(key);
    if (!file) continue;
    if (!editable(file.path)) reasons.push(`${file.path} is not a file of this project`);
    deletes.push(file.path);
  }
  const renames = new Map(replaced.map((key) => [key, squashKey]));
  const edits: FileTextEdit[] = referenceEdits(
    loaded.diskMigrations.values(),
    renames,
    textOf,
    ['dependencies', 'run_before'],
    new Set([...deletes, squash.path]),
  );
  for (const edit of edits)
    if (!editable(edit.path)) reasons.push(`${edit.path} names a replaced migration but is not a file of this project`);
  if (reasons.length > 0) return { ok: false, reasons: [...new Set(reasons)], report };
  edits.push(deleteLines(squash.path, squash.parsed.attributeRanges.replaces));
  return {
    ok: true,
    plan: {
      title: `Finish the squash ${squashKey}`,
      edits,
      deletes,
      renames: [],
      rows: [],
      // The squash that ends its app stays the latest; the guard may still name a deleted file.
      leaves: loaded.graph.leafNodes(squash.appLabel).includes(squashKey) ? [{ app: squash.appLabel, name: squash.name }] : [],
      report,
    },
  };
}
