/**
 * A reader for `.env` files as python-dotenv and VS Code's Python extension understand them:
 * `KEY=VALUE` lines, an optional `export ` prefix, `#` comments, single-quoted values taken
 * literally, double-quoted values with backslash escapes, quoted values over several lines,
 * and `${NAME}` / `${NAME:-default}` expanded in unquoted and double-quoted values.
 * Small enough to keep here rather than add a dependency to the language server.
 */

export interface DotEnvProblem {
  /** Zero-based line of the entry. */
  readonly line: number;
  readonly message: string;
}

export interface DotEnv {
  /** In file order; a later entry for the same key wins. */
  readonly values: ReadonlyMap<string, string>;
  readonly problems: readonly DotEnvProblem[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const DOUBLE_QUOTED_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * Reads `text`. `lookup` resolves `${NAME}` for names the file has not set (yet); the process
 * environment is the usual one.
 */
export function parseDotEnv(text: string, lookup: (name: string) => string | undefined = () => undefined): DotEnv {
  const values = new Map<string, string>();
  const problems: DotEnvProblem[] = [];
  const expand = (raw: string): string =>
    raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_all, name: string, fallback?: string) => {
      const found = lookup(name) ?? values.get(name);
      return found !== undefined && found !== '' ? found : (fallback ?? '');
    });

  let offset = 0;
  let line = 0;
  const source = text.replace(/\r\n?/g, '\n');
  while (offset < source.length) {
    const end = lineEnd(source, offset);
    const startLine = line;
    const content = source.slice(offset, end).trim();
    if (content === '' || content.startsWith('#')) {
      [offset, line] = [end + 1, line + 1];
      continue;
    }
    const withoutExport = content.replace(/^export\s+/, '');
    const equals = withoutExport.indexOf('=');
    const key = (equals < 0 ? withoutExport : withoutExport.slice(0, equals)).trim();
    if (equals < 0 || !KEY.test(key)) {
      problems.push({ line: startLine, message: `Expected KEY=VALUE, found: ${content}` });
      [offset, line] = [end + 1, line + 1];
      continue;
    }
    // The value starts right after "=", possibly in the middle of the raw line.
    let position = source.indexOf('=', offset) + 1;
    while (source[position] === ' ' || source[position] === '\t') position++;
    const quote = source[position];
    if (quote === "'" || quote === '"') {
      const read = readQuoted(source, position + 1, quote);
      if (read === undefined) {
        problems.push({ line: startLine, message: `Unterminated ${quote} quote in the value of ${key}` });
        break;
      }
      values.set(key, quote === '"' ? expand(read.value) : read.value);
      line += countNewlines(source, offset, read.end);
      const rest = source.slice(read.end + 1, lineEnd(source, read.end + 1)).trim();
      if (rest !== '' && !rest.startsWith('#')) {
        problems.push({ line, message: `Unexpected text after the quoted value of ${key}: ${rest}` });
      }
      const next = lineEnd(source, read.end + 1);
      [offset, line] = [next + 1, line + 1];
      continue;
    }
    const raw = source.slice(position, end);
    const comment = raw.search(/\s#/);
    values.set(key, expand((comment < 0 ? raw : raw.slice(0, comment)).trim()));
    [offset, line] = [end + 1, line + 1];
  }
  return { values, problems };
}

function lineEnd(source: string, from: number): number {
  const end = source.indexOf('\n', from);
  return end < 0 ? source.length : end;
}

function countNewlines(source: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (source[i] === '\n') count++;
  return count;
}

/** The value up to the closing quote (index `end`), escapes decoded as python-dotenv does. */
function readQuoted(source: string, start: number, quote: string): { value: string; end: number } | undefined {
  let value = '';
  for (let i = start; i < source.length; i++) {
    const char = source[i];
    if (char === quote) return { value, end: i };
    if (char === '\\' && i + 1 < source.length) {
      const next = source[i + 1];
      const decoded = quote === '"' ? DOUBLE_QUOTED_ESCAPES[next] : next === "'" || next === '\\' ? next : undefined;
      if (decoded !== undefined) {
        value += decoded;
        i++;
        continue;
      }
    }
    value += char;
  }
  return undefined;
}
