import { detectConflicts, LoaderResult } from '../loader';
import { MigrationKey, migrationKey, splitMigrationKey } from '../migration';
import { numberPrefix } from './renameMigration';
import { AliasRows, EditablePath, PlanResult } from './refactoringPlan';
import { FileTextEdit, referenceEdits } from './referenceEdits';

/**
 * The migrations of `app` that lead to `leaf` but not to `onto`, in the order Django applies
 * them: the branch a rebase moves.
 */
export function branchOf(loaded: LoaderResult, leaf: MigrationKey, onto: MigrationKey): MigrationKey[] {
  const [app] = splitMigrationKey(leaf);
  const upstream = new Set(loaded.graph.forwardsPlan(onto) ?? []);
  return (loaded.graph.forwardsPlan(leaf) ?? []).filter((key) => splitMigrationKey(key)[0] === app && !upstream.has(key));
}

/**
 * Rebasing instead of merging: the branch that leads to `leaf` is renumbered to follow `onto`,
 * the other leaf of its app (names after the number are kept), its first migration depends on
 * `onto` instead of the migration both branches start from, and every reference in every app
 * follows the new names. Refused when the app has no such two leaves, the branch is not one
 * straight line of numbered migrations, a new name is taken, a file is not the project's, or a
 * database recorded any migration of the branch (it must be unapplied first, back to where the
 * branches part) or cannot be read.
 */
export function planRebase(
  loaded: LoaderResult,
  leaf: MigrationKey,
  onto: MigrationKey,
  aliases: readonly AliasRows[],
  textOf: (path: string) => string | undefined,
  editable: EditablePath,
): PlanResult {
  const [app] = splitMigrationKey(leaf);
  const report: string[] = [];
  const refuse = (...reasons: string[]): PlanResult => ({ ok: false, reasons, report });
  const leaves = (detectConflicts(loaded.graph).get(app) ?? []).map((name) => migrationKey(app, name));
  if (!leaves.includes(leaf) || !leaves.includes(onto) || leaf === onto)
    return refuse(`${leaf} and ${onto} are not two conflicting leaves of '${app}' (its leaves: ${leaves.join(', ') || 'one'})`);
  if (leaves.length > 2)
    return refuse(`'${app}' has ${leaves.length} leaves: rebase one branch at a time is not possible, merge them instead`);
  const branch = branchOf(loaded, leaf, onto);
  const first = loaded.diskMigrations.get(branch[0]);
  if (!first) return refuse(`${branch[0]} has no file`);
  const base = [...(loaded.graph.nodeMap.get(branch[0])?.parents ?? [])].filter((node) => node.app === app);
  if (base.length !== 1)
    return refuse(`${branch[0]} does not depend on exactly one migration of '${app}', so the branch has no single base`);
  const baseKey = base[0].key;
  const baseEntries = first.parsed.dependencies.filter(
    (entry) => entry.target.kind === 'key' && migrationKey(entry.target.app, entry.target.name) === baseKey && entry.nameRange,
  );
  if (baseEntries.length !== 1) return refuse(`${branch[0]} does not name ${baseKey} in its dependencies as a plain string`);
  for (const [index, key] of branch.entries()) {
    if (index === 0) continue;
    const parents = [...(loaded.graph.nodeMap.get(key)?.parents ?? [])].filter((node) => node.app === app).map((node) => node.key);
    if (parents.length !== 1 || parents[0] !== branch[index - 1])
      return refuse(`the branch is not a straight line: ${key} does not follow ${branch[index - 1]} alone`);
  }
  const ontoPrefix = numberPrefix(splitMigrationKey(onto)[1]);
  if (ontoPrefix === '') return refuse(`${onto} has no number prefix to count on from`);
  const width = ontoPrefix.length - 1;
  const start = Number(ontoPrefix.slice(0, width));
  const renames = new Map<MigrationKey, MigrationKey>();
  for (const [index, key] of branch.entries()) {
    const name = splitMigrationKey(key)[1];
    const prefix = numberPrefix(name);
    if (prefix === '') return refuse(`${key} has no number prefix to renumber`);
    const target = migrationKey(app, `${String(start + index + 1).padStart(width, '0')}_${name.slice(prefix.length)}`);
    if (loaded.diskMigrations.has(target) && !branch.includes(target)) return refuse(`${target} already exists`);
    renames.set(key, target);
  }
  const reasons: string[] = [];
  for (const alias of aliases) {
    if (alias.status === 'unreadable') {
      report.push(`${alias.alias}: cannot be read (${alias.reason})`);
      reasons.push(`database '${alias.alias}' cannot be read, so whether it applied the branch is unknown: ${alias.reason}`);
      continue;
    }
    const applied = branch.filter((key) => alias.recorded.has(key));
    if (applied.length === 0) {
      report.push(`${alias.alias}: no migration of the branch is applied`);
      continue;
    }
    report.push(`${alias.alias}: applied ${applied.join(', ')}`);
    // Django's migrate refuses to run at all while the app has two leaves, so it cannot unapply them now.
    reasons.push(
      `database '${alias.alias}' applied ${applied.join(', ')}: renumbered, the migrations would not match its rows, ` +
        `and Django's migrate cannot unapply them while the leaves conflict; rebase the other branch, or merge`,
    );
  }
  const files = branch.map((key) => loaded.diskMigrations.get(key)!);
  for (const file of files) if (!editable(file.path)) reasons.push(`${file.path} is not a file of this project`);
  const edits: FileTextEdit[] = referenceEdits(loaded.diskMigrations.values(), renames, textOf);
  for (const edit of edits)
    if (!editable(edit.path)) reasons.push(`${edit.path} names a migration of the branch but is not a file of this project`);
  if (reasons.length > 0) return refuse(...new Set(reasons));
  const baseEdit = referenceEdits(
    [{ ...first, parsed: { ...first.parsed, dependencies: baseEntries } }],
    new Map([[baseKey, onto]]),
    textOf,
  );
  if (baseEdit.length === 0) return refuse(`${first.path} cannot be read`);
  const folderOf = (file: string) => file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return {
    ok: true,
    plan: {
      title: `Rebase ${app} ${branch.map((key) => splitMigrationKey(key)[1]).join(', ')} onto ${splitMigrationKey(onto)[1]}`,
      edits: [...edits, ...baseEdit],
      deletes: [],
      // The last first, so a new name that is another branch migration's old one is free by then.
      renames: files
        .map((file) => ({
          from: file.path,
          to: `${folderOf(file.path)}${splitMigrationKey(renames.get(migrationKey(file.appLabel, file.name))!)[1]}.py`,
        }))
        .reverse(),
      rows: [],
      leaves: [{ app, name: splitMigrationKey(renames.get(branch[branch.length - 1])!)[1] }],
      report,
    },
  };
}
