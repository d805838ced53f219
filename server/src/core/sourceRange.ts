/**
 * A place in a source file. Lines and characters are zero-based, characters counted in UTF-16
 * code units: the same convention as LSP, so the server converts nothing.
 */
export interface SourcePosition {
  readonly line: number;
  readonly character: number;
}

export interface SourceRange {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

export const FILE_START: SourceRange = {
  start: { line: 0, character: 0 },
  end: { line: 0, character: 0 },
};

export function containsPosition(range: SourceRange, position: SourcePosition): boolean {
  return !isBefore(position, range.start) && !isBefore(range.end, position);
}

function isBefore(a: SourcePosition, b: SourcePosition): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
