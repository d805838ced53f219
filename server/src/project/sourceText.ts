import { PYTHON_CODECS } from '../python/pythonCodecs';

/** A source file's text, decoded as Python decodes it (PEP 263), with what Python would refuse. */
export interface SourceText {
  readonly text: string;
  /** Some bytes did not decode: each became U+FFFD. */
  readonly invalidUtf8: boolean;
  /**
   * UTF-16 offsets in `text` of the bytes that did not decode as UTF-8. Python 3.11-3.13 skip
   * such bytes inside a comment, and reject them anywhere else: only a parse can tell which.
   */
  readonly undecodable: readonly number[];
  /** Why Python rejects the file's declared encoding as a whole (unknown codec, BOM conflict). */
  readonly encodingError?: string;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Python reads source as UTF-8 unless a `coding` comment on one of the first two lines names
 * another codec. Bytes that are not UTF-8 become U+FFFD so the rest of the file can still be read,
 * and their offsets are kept so the parser can tell whether Python would refuse them.
 */
export function decodeSource(bytes: Uint8Array): SourceText {
  const hasBom = BOM.every((byte, index) => bytes[index] === byte);
  const declared = declaredEncoding(bytes);
  const encoding = declared && normalEncodingName(declared);
  if (declared && hasBom && encoding !== 'utf-8') {
    // Python names the codec as `get_normal_name` spells it.
    const named = encoding === 'iso-8859-1' ? encoding : declared;
    return { ...decodeUtf8(bytes), encodingError: `encoding problem: ${named} with BOM` };
  }
  if (encoding === 'iso-8859-1') return { text: latin1(bytes), invalidUtf8: false, undecodable: [] };
  if (encoding && encoding !== 'utf-8') {
    if (!PYTHON_CODECS.has(encoding) && !PYTHON_CODECS.has(encoding.replace(/\./g, '_'))) {
      return { ...decodeUtf8(bytes), encodingError: `unknown encoding: ${declared}` };
    }
    const decoded = otherEncoding(bytes, declared!);
    // A codec Node does not know is still one Python knows: read as UTF-8, judge nothing.
    if (decoded !== undefined) return { text: decoded, invalidUtf8: false, undecodable: [] };
    return { ...decodeUtf8(bytes), undecodable: [] };
  }
  return decodeUtf8(bytes);
}

function decodeUtf8(bytes: Uint8Array): SourceText {
  try {
    return { text: strictDecoder.decode(bytes), invalidUtf8: false, undecodable: [] };
  } catch {
    return lenientUtf8(bytes);
  }
}

/**
 * The WHATWG UTF-8 decoder (what `TextDecoder` does: one U+FFFD per maximal invalid subpart),
 * noting where each U+FFFD stands in the text.
 */
function lenientUtf8(bytes: Uint8Array): SourceText {
  const parts: string[] = [];
  const undecodable: number[] = [];
  let length = 0;
  let runStart = BOM.every((byte, index) => bytes[index] === byte) ? 3 : 0;
  let at = runStart;
  const flush = (end: number) => {
    if (end > runStart) {
      const run = strictDecoder.decode(bytes.subarray(runStart, end));
      parts.push(run);
      length += run.length;
    }
  };
  while (at < bytes.length) {
    const size = validSequenceLength(bytes, at);
    if (size > 0) {
      at += size;
      continue;
    }
    flush(at);
    undecodable.push(length);
    parts.push('\uFFFD');
    length += 1;
    at += Math.max(1, invalidSubpartLength(bytes, at));
    runStart = at;
  }
  flush(at);
  return { text: parts.join(''), invalidUtf8: true, undecodable };
}

/** Length of the valid UTF-8 sequence at `at`, or 0. */
function validSequenceLength(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first < 0x80) return 1;
  const [count, lower, upper] = sequenceShape(first);
  if (count === 0) return 0;
  for (let i = 1; i <= count; i++) {
    const byte = bytes[at + i];
    const [low, high] = i === 1 ? [lower, upper] : [0x80, 0xbf];
    if (byte === undefined || byte < low || byte > high) return 0;
  }
  return count + 1;
}

/** How many bytes one U+FFFD replaces: the lead byte and the continuation bytes that were valid. */
function invalidSubpartLength(bytes: Uint8Array, at: number): number {
  const [count, lower, upper] = sequenceShape(bytes[at]);
  let length = 1;
  for (let i = 1; i <= count; i++) {
    const byte = bytes[at + i];
    const [low, high] = i === 1 ? [lower, upper] : [0x80, 0xbf];
    if (byte === undefined || byte < low || byte > high) break;
    length++;
  }
  return length;
}

/** Continuation bytes after a lead byte, and the range of the first (no overlongs, no surrogates). */
function sequenceShape(lead: number): [count: number, lower: number, upper: number] {
  if (lead >= 0xc2 && lead <= 0xdf) return [1, 0x80, 0xbf];
  if (lead === 0xe0) return [2, 0xa0, 0xbf];
  if (lead === 0xed) return [2, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [2, 0x80, 0xbf];
  if (lead === 0xf0) return [3, 0x90, 0xbf];
  if (lead === 0xf4) return [3, 0x80, 0x8f];
  if (lead >= 0xf1 && lead <= 0xf3) return [3, 0x80, 0xbf];
  return [0, 0, 0];
}

/**
 * CPython's `get_coding_spec`/`check_coding_spec`: `coding[:=]name` in a comment on line 1, or on
 * line 2 when line 1 holds nothing but a comment or blanks.
 */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  let lineStart = BOM.every((byte, index) => bytes[index] === byte) ? 3 : 0;
  for (let line = 0; line < 2 && lineStart < bytes.length; line++) {
    let end = bytes.indexOf(0x0a, lineStart);
    if (end < 0) end = bytes.length;
    const text = latin1(bytes.subarray(lineStart, end));
    const trimmed = text.replace(/^[ \t\f]*/, '');
    if (trimmed.startsWith('#')) {
      const spec = /coding[:=][ \t]*([-\w.]+)/.exec(trimmed);
      if (spec) return spec[1];
    } else if (trimmed.replace(/\r$/, '') !== '') {
      return undefined; // Code on line 1: Python stops looking.
    }
    lineStart = end + 1;
  }
  return undefined;
}

/** CPython's `get_normal_name`, then `encodings.normalize_encoding` for the rest. */
function normalEncodingName(name: string): string {
  const folded = name.slice(0, 12).toLowerCase().replace(/_/g, '-');
  if (folded === 'utf-8' || folded.startsWith('utf-8-')) return 'utf-8';
  for (const latin of ['latin-1', 'iso-8859-1', 'iso-latin-1']) {
    if (folded === latin || folded.startsWith(`${latin}-`)) return 'iso-8859-1';
  }
  const normalized = name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '_')
    .replace(/^_+|_+$/g, '');
  // Python's UTF-8 under other spellings: read as UTF-8 as well.
  return ['utf8', 'utf_8', 'u8', 'utf', 'cp65001', 'utf8_ucs2', 'utf8_ucs4'].includes(normalized) ? 'utf-8' : normalized;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function otherEncoding(bytes: Uint8Array, label: string): string | undefined {
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return undefined;
  }
}
