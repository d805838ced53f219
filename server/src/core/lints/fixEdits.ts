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

/** Edits that change nothing an applied migration did (a suppression comment, `elidable`): safe on one. */
export function editsKeepingWhatRan(title: string, edits: readonly FixEdit[], preferred = false): FixData {
  return { fix: 'edits', title, edits, preferred, keepsWhatRan: true };
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

/** The text `range` spans in `text` (positions in UTF-16 code units, as every range here). */
export function rangeText(text: string, range: SourceRange): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

function offsetAt(text: string, position: SourcePosition): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + position.character, text.length);
}

/**
 * The source text of `call` in `text`, when what lies at its ranges is the call the parse saw
 * (the callee and every keyword where the parse put them); else undefined.
 */
export function callText(text: string, call: PythonCall): string | undefined {
  const whole = rangeText(text, call.range);
  if (rangeText(text, call.calleeRange) !== call.callee || !whole.endsWith(')')) return undefined;
  if (call.kwargs.some((keyword) => rangeText(text, keyword.nameRange) !== keyword.name)) return undefined;
  return whole;
}
