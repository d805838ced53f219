import { Migration, MigrationKey, migrationKey, splitMigrationKey } from '../migration';
import { SourceRange } from '../sourceRange';

/** One replacement in one file: what an editor's TextEdit or the CLI's writer applies. */
export interface FileTextEdit {
  readonly path: string;
  readonly range: SourceRange;
  readonly newText: string;
}

/** Which reference attributes to rewrite. */
export type ReferenceAttribute = 'dependencies' | 'run_before' | 'replaces';

/**
 * The edits that make every reference to a renamed migration name its new key, in every app's
 * `dependencies`, `run_before` and `replaces` (as chosen). Only the text inside the quotes
 * changes, so each string keeps its quoting style and prefix. `textOf` gives a file's current
 * text; a file it cannot give is left out (its references are reported by the caller's check).
 */
export function referenceEdits(
  migrations: Iterable<Migration>,
  renames: ReadonlyMap<MigrationKey, MigrationKey>,
  textOf: (path: string) => string | undefined,
  attributes: readonly ReferenceAttribute[] = ['dependencies', 'run_before', 'replaces'],
  skip: ReadonlySet<string> = new Set(),
): FileTextEdit[] {
  const edits: FileTextEdit[] = [];
  for (const migration of migrations) {
    if (skip.has(migration.path)) continue;
    const entries: { app: string; name: string; appRange?: SourceRange; nameRange?: SourceRange }[] = [];
    const parsed = migration.parsed;
    if (attributes.includes('dependencies')) {
      for (const entry of parsed.dependencies) {
        if (entry.target.kind === 'key') entries.push({ ...entry.target, appRange: entry.appRange, nameRange: entry.nameRange });
      }
    }
    if (attributes.includes('run_before')) entries.push(...parsed.runBefore);
    if (attributes.includes('replaces')) entries.push(...parsed.replaces);
    let lines: string[] | undefined;
    for (const entry of entries) {
      const target = renames.get(migrationKey(entry.app, entry.name));
      if (target === undefined || !entry.nameRange) continue;
      lines ??= textOf(migration.path)?.split('\n');
      if (!lines) break;
      const [app, name] = splitMigrationKey(target);
      const nameEdit = innerEdit(lines, entry.nameRange, name);
      if (!nameEdit) continue;
      edits.push({ path: migration.path, ...nameEdit });
      if (app !== entry.app && entry.appRange) {
        const appEdit = innerEdit(lines, entry.appRange, app);
        if (appEdit) edits.push({ path: migration.path, ...appEdit });
      }
    }
  }
  return edits;
}

/**
 * The range between the quotes of a one-line string literal, replaced by `value`. A literal
 * that spans lines or is not a plain string is replaced whole by a single-quoted one.
 */
function innerEdit(lines: readonly string[], range: SourceRange, value: string): { range: SourceRange; newText: string } | undefined {
  if (range.start.line !== range.end.line) return { range, newText: `'${value}'` };
  const line = lines[range.start.line];
  if (line === undefined) return undefined;
  const literal = line.slice(range.start.character, range.end.character);
  let prefix = 0;
  while (prefix < literal.length && 'rRuUbB'.includes(literal[prefix])) prefix++;
  const rest = literal.slice(prefix);
  const quote = [`'''`, `"""`, `'`, `"`].find((q) => rest.startsWith(q) && rest.endsWith(q) && rest.length >= 2 * q.length);
  if (quote === undefined) return { range, newText: `'${value}'` };
  const start = range.start.character + prefix + quote.length;
  const end = range.end.character - quote.length;
  return {
    range: { start: { line: range.start.line, character: start }, end: { line: range.start.line, character: end } },
    newText: value,
  };
}

/** Removes whole lines `range` spans, as a `replaces = [...]` statement is deleted. */
export function deleteLines(path: string, range: SourceRange): FileTextEdit {
  return {
    path,
    range: { start: { line: range.start.line, character: 0 }, end: { line: range.end.line + 1, character: 0 } },
    newText: '',
  };
}
