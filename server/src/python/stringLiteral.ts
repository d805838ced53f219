/** The value of one Python string literal, as Python would build it. */
export interface StringLiteral {
  readonly value: string;
  /** `b'...'`: the value holds one character per byte. */
  readonly bytes: boolean;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * Decodes the source text of a single string literal (prefix, quotes and body). Returns
 * undefined for what has no static value (f-strings, t-strings, `\N{...}` names) and for
 * malformed or unterminated literals.
 */
export function decodeStringLiteral(literal: string): StringLiteral | undefined {
  let prefixEnd = 0;
  while (prefixEnd < literal.length && isPrefixLetter(literal[prefixEnd])) prefixEnd++;
  const prefix = literal.slice(0, prefixEnd).toLowerCase();
  if (prefix.includes('f') || prefix.includes('t')) return undefined;
  const quote = quoteAt(literal, prefixEnd);
  if (!quote) return undefined;
  const bodyStart = prefixEnd + quote.length;
  const bodyEnd = literal.length - quote.length;
  if (bodyEnd < bodyStart || !literal.endsWith(quote)) return undefined;
  // Python reads source newlines as '\n' whatever the file uses.
  const body = literal.slice(bodyStart, bodyEnd).replace(/\r\n?/g, '\n');
  const bytes = prefix.includes('b');
  if (bytes && !isAscii(body)) return undefined;
  if (prefix.includes('r')) return { value: body, bytes };
  const value = decodeEscapes(body, bytes);
  return value === undefined ? undefined : { value, bytes };
}

function isPrefixLetter(c: string): boolean {
  return 'rRbBuUfFtT'.includes(c);
}

function quoteAt(text: string, at: number): string | undefined {
  for (const quote of ["'''", '"""', "'", '"']) {
    if (text.startsWith(quote, at)) return quote;
  }
  return undefined;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return false;
  }
  return true;
}

function decodeEscapes(body: string, bytes: boolean): string | undefined {
  if (!body.includes('\\')) return body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1];
    if (e === '\n') {
      i += 2;
    } else if (SIMPLE_ESCAPES[e] !== undefined) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (isOctalDigit(e)) {
      let end = i + 1;
      while (end < body.length && end < i + 4 && isOctalDigit(body[end])) end++;
      const code = parseInt(body.slice(i + 1, end), 8);
      if (bytes && code > 0xff) return undefined;
      out += String.fromCharCode(code);
      i = end;
    } else if (e === 'x' || (!bytes && (e === 'u' || e === 'U'))) {
      const length = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = body.slice(i + 2, i + 2 + length);
      if (digits.length !== length || !isHex(digits)) return undefined;
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) return undefined;
      out += String.fromCodePoint(code);
      i += 2 + length;
    } else if (e === 'N' && !bytes) {
      // Named characters need Unicode's name table: leave the value unknown.
      return undefined;
    } else {
      // Unknown escapes keep their backslash.
      out += c + e;
      i += 2;
    }
  }
  return out;
}

function isOctalDigit(c: string): boolean {
  return c >= '0' && c <= '7';
}

function isHex(text: string): boolean {
  for (const c of text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}
