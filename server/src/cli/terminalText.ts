/**
 * C0 and C1 controls, DEL, line and paragraph separators and bidirectional overrides: what lets
 * a name from a file or a database move the cursor, retitle the terminal, forge a line or
 * reorder what is shown.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One field of a line of text output (a name, a path, a message): every control escaped. */
export function printable(text: string): string {
  return text.replace(CONTROL, escapeCharacter);
}

/** A block of lines printed as it is (SQL): controls escaped, line ends and tabs kept. */
export function printableLines(text: string): string {
  return text.replace(CONTROL_BUT_LINES, escapeCharacter);
}

function escapeCharacter(character: string): string {
  const code = character.charCodeAt(0);
  return NAMED[character] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}
