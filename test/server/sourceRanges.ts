import { readFileSync } from 'node:fs';
import { Range } from 'vscode-languageserver-protocol';

/**
 * The range of the `occurrence`-th (0-based) appearance of a snippet in a text, in LSP's
 * zero-based lines and UTF-16 characters: how the tests say where they expect a result.
 */
export function rangeOf(text: string, snippet: string, occurrence = 0): Range {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(snippet, offset + 1);
    if (offset < 0) throw new Error(`${JSON.stringify(snippet)} occurs fewer than ${occurrence + 1} times`);
  }
  return { start: positionAt(text, offset), end: positionAt(text, offset + snippet.length) };
}

/** The range of the name `Migration` in `class Migration(...)`. */
export function classNameRange(text: string): Range {
  const start = rangeOf(text, 'class Migration(').start;
  return { start: { line: start.line, character: start.character + 6 }, end: { line: start.line, character: start.character + 15 } };
}

/** `rangeOf` in a file's text. */
export function rangeInFile(file: string, snippet: string, occurrence = 0): Range {
  return rangeOf(readFileSync(file, 'utf8'), snippet, occurrence);
}

function positionAt(text: string, offset: number): Range['start'] {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
