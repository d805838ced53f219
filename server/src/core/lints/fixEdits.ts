import { Migration } from '../migration';
import { FixData } from '../problem';
import { PythonCall, PythonValue } from '../pythonValue';
import { SourcePosition, SourceRange } from '../sourceRange';

/** One text edit of a quick fix. */
export interface FixEdit {
  readonly range: SourceRange;
  readonly newText: string;
}

export function editsFix(title: string, edits: readonly FixEdit[], preferred = false): FixData {
  return { fix: 'edits', title, edits, preferred };
}

const at = (position: SourcePosition): SourceRange => ({ start: position, end: position });

/** Where a new keyword argument goes: after the last argument. */
export function lastArgumentEnd(call: PythonCall): SourcePosition | undefined {
  const values: PythonValue[] = [...call.args, ...call.kwargs.map((k) => k.value)];
  let last: SourcePosition | undefined;
  for (const { range } of values) {
    if (!last || range.end.line > last.line || (range.end.line === last.line && range.end.character > last.character)) last = range.end;
  }
  return last;
}

/** `, name=value` after the last argument of `call`. */
export function addKeyword(call: PythonCall, keyword: string): FixEdit | undefined {
  const end = lastArgumentEnd(call);
  return end ? { range: at(end), newText: `, ${keyword}` } : undefined;
}

/** Replaces the last part of a callee (`migrations.AddIndex` -> `AddIndexConcurrently`). */
export function renameCallee(call: PythonCall, newName: string): FixEdit {
  return { range: call.calleeRange, newText: newName };
}

/**
 * `atomic = False` in the Migration class (before its first attribute), or the existing
 * `atomic = True` turned false. Undefined when the class has no attribute to anchor on.
 */
export function nonAtomicEdit(migration: Migration): FixEdit | undefined {
  const parsed = migration.parsed;
  if (!parsed.atomic) return undefined;
  const existing = parsed.attributeRanges.atomic;
  if (existing) return { range: existing, newText: 'atomic = False' };
  const anchors = [parsed.attributeRanges.dependencies, parsed.attributeRanges.operations, parsed.attributeRanges.initial].filter(
    (range): range is SourceRange => range !== undefined,
  );
  const anchor = anchors.sort((a, b) => a.start.line - b.start.line)[0];
  if (!anchor) return undefined;
  return { range: at(anchor.start), newText: `atomic = False\n\n${' '.repeat(anchor.start.character)}` };
}

/** `from MODULE import NAME` after the last import, unless the file imports it already. */
export function importEdit(migration: Migration, module: string, name: string): FixEdit | undefined {
  const imports = migration.parsed.imports;
  if (imports.some((i) => i.module === module && i.names.includes(name))) return undefined;
  const last = imports[imports.length - 1];
  const line = last ? last.range.end.line + 1 : 0;
  return { range: at({ line, character: 0 }), newText: `from ${module} import ${name}\n` };
}
