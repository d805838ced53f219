import { FunctionEntry, ImportEntry, MigrationAttribute, ParsedMigration } from '../core/migration';
import { PythonKeyword, PythonValue } from '../core/pythonValue';
import { SourcePosition, SourceRange } from '../core/sourceRange';
import { SourceDecoding } from './compileErrors';
import { FastLintSource } from './fastLintSource';
import { LintSource } from './lintSourceReader';
import { ATTRIBUTES, MigrationAttributes, migrationRecord } from './migrationAttributes';
import { decodeStringLiteral } from './stringLiteral';

/**
 * Thrown, and caught in `readMigrationFast`, where the text leaves the shapes this reader knows:
 * the file then goes to tree-sitter.
 */
const NOT_MINE = Symbol('not mine');

/** Bracket nesting and attribute chains are bounded far below CPython's compile limits. */
const MAX_BRACKETS = 100;
const MAX_TRAILERS = 20;

/**
 * Names this reader never reads as identifiers: Python's keywords, soft keywords and the names
 * the grammar gives statements of their own (`print`, `exec`).
 */
const RESERVED = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
  'match',
  'case',
  'type',
  'print',
  'exec',
]);

const STRING_PREFIXES = new Set(['', 'r', 'u', 'b', 'br', 'rb']);

/** An expression read: its value, where it stands, and what tree-sitter calls it. */
interface Expression {
  readonly value: PythonValue;
  readonly start: number;
  readonly end: number;
  readonly range: SourceRange;
  readonly type: string;
  /** `a.b.c` written as a plain name chain. */
  readonly dotted?: string;
}

/**
 * Reads a migration module written in the shapes migration files have (imports, functions of
 * plain statements, `class Migration(...):` with attributes assigned literal values and calls),
 * giving exactly what the tree-sitter reading gives, without a syntax tree. Anything else
 * (another statement, an operator, a comment where the tree would keep it, a line that is not
 * plainly indented, undecodable bytes) returns undefined, and the caller parses the file.
 * Nothing it accepts has a syntax or compile error.
 */
export function readMigrationFast(text: string, decoding?: SourceDecoding): ParsedMigration | undefined {
  return readMigrationWithLintSourceFast(text, decoding, false)?.parsed;
}

/**
 * What the lint rules read of a file the fast reader accepts, exactly as `readWithTree` reads it;
 * undefined for every other file. Bytes Python refuses change nothing here: the tree reads the
 * same text.
 */
export function readLintSourceFast(text: string): LintSource | undefined {
  const lint = new FastLintSource();
  return readFast(text, lint) && lint.result();
}

/**
 * `readMigrationFast` and, in the same pass when `withLintSource`, `readLintSourceFast`: a file
 * is read once for the graph, the checks and the lint rules.
 */
export function readMigrationWithLintSourceFast(
  text: string,
  decoding: SourceDecoding | undefined,
  withLintSource: boolean,
): { readonly parsed: ParsedMigration; readonly lintSource?: LintSource } | undefined {
  if (decoding?.encodingError || (decoding?.undecodable?.length ?? 0) > 0) return undefined;
  const lint = withLintSource ? new FastLintSource() : undefined;
  const reader = readFast(text, lint);
  return reader && { parsed: reader.migration(), ...(lint ? { lintSource: lint.result() } : {}) };
}

/** The reader after reading the whole text, or undefined when the text is not of its shapes. */
function readFast(text: string, lint?: FastLintSource): FastReader | undefined {
  const reader = new FastReader(text, lint);
  try {
    reader.read();
    return reader;
  } catch (error) {
    if (error === NOT_MINE) return undefined;
    throw error;
  }
}

function notMine(): never {
  throw NOT_MINE;
}

function isIdentifierStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;

class FastReader {
  private at = 0;
  private line = 0;
  private lineStart = 0;
  private brackets = 0;
  /** Identifiers read in a function body, in source order, when collecting them. */
  private names: string[] | undefined;
  private readonly attributes = new MigrationAttributes();
  private readonly imports: ImportEntry[] = [];
  private readonly functions: FunctionEntry[] = [];
  private classRanges: { range: SourceRange; nameRange: SourceRange } | undefined;

  constructor(
    private readonly text: string,
    /** Gathers what the lint rules read, when asked for. */
    private readonly lint?: FastLintSource,
  ) {}

  read(): void {
    const text = this.text;
    let itemsStarted = false;
    while (this.at < text.length) {
      const indent = this.skipSpaces();
      const code = text.charCodeAt(this.at);
      if (code === NEWLINE) {
        this.newline();
        continue;
      }
      if (Number.isNaN(code)) break;
      if (this.classRanges || indent > 0) notMine();
      if (code === HASH) {
        // Comments only head the module: elsewhere the tree may keep them inside a block.
        if (itemsStarted) notMine();
        this.skipComment();
        continue;
      }
      const keyword = this.identifier();
      if (keyword === 'import') this.readImport();
      else if (keyword === 'from') this.readFromImport();
      else if (keyword === 'def') {
        itemsStarted = true;
        this.readFunction();
      } else if (keyword === 'class') {
        itemsStarted = true;
        this.readClass();
      } else notMine();
    }
  }

  migration(): ParsedMigration {
    return migrationRecord({
      classRanges: this.classRanges,
      attributes: this.attributes,
      syntaxErrors: [],
      importFailures: [],
      imports: this.imports,
      functions: this.functions,
    });
  }

  // Positions and trivia.

  private position(offset = this.at): SourcePosition {
    return { line: this.line, character: offset - this.lineStart };
  }

  private newline(): void {
    this.at++;
    this.line++;
    this.lineStart = this.at;
  }

  private skipSpaces(): number {
    const start = this.at;
    while (this.text.charCodeAt(this.at) === SPACE) this.at++;
    return this.at - start;
  }

  /** Every comment the reader accepts is skipped here, once, in the order of the text. */
  private skipComment(): void {
    const end = this.text.indexOf('\n', this.at);
    const stop = end < 0 ? this.text.length : end;
    for (let i = this.at; i < stop; i++) {
      const code = this.text.charCodeAt(i);
      if (code < 32 && code !== 9) notMine();
    }
    if (this.lint) {
      const ownLine = this.text.slice(this.lineStart, this.at).trim() === '';
      this.lint.comment(this.text.slice(this.at, stop), { start: this.position(), end: this.position(stop) }, ownLine);
    }
    this.at = stop;
  }

  /**
   * Skips what separates tokens: spaces, and inside brackets line breaks too, and comments where
   * `comments` allows (right after an opening bracket or a comma, where the tree skips them).
   */
  private skipBlanks(comments = false): void {
    const text = this.text;
    for (;;) {
      const code = text.charCodeAt(this.at);
      if (code === SPACE) this.at++;
      else if (code === NEWLINE && this.brackets > 0) this.newline();
      else if (code === HASH && this.brackets > 0 && comments) this.skipComment();
      else if (code === HASH) notMine();
      else return;
    }
  }

  private peek(): number {
    return this.text.charCodeAt(this.at);
  }

  /** The end of a simple statement: spaces, then a line break or the end of the text. */
  private endOfStatement(): void {
    this.skipSpaces();
    const code = this.peek();
    if (code === NEWLINE) this.newline();
    else if (!Number.isNaN(code)) notMine();
  }

  private identifier(): string {
    const start = this.at;
    if (!isIdentifierStart(this.peek())) notMine();
    this.at++;
    while (isIdentifierPart(this.peek())) this.at++;
    return this.text.slice(start, this.at);
  }

  private name(): string {
    const name = this.identifier();
    if (RESERVED.has(name)) notMine();
    return name;
  }

  /** `a.b.c` with nothing between the parts, as import statements name modules. */
  private dottedModule(): string {
    let name = this.name();
    while (this.peek() === 46 /* . */) {
      this.at++;
      name += '.' + this.name();
    }
    return name;
  }

  private keyword(word: string): void {
    if (this.skipSpaces() === 0 || this.identifier() !== word || this.skipSpaces() === 0) notMine();
  }

  // Module items.

  /** `import a.b, c as d`. */
  private readImport(): void {
    const start = this.position(this.at - 'import'.length);
    if (this.skipSpaces() === 0) notMine();
    const modules: { module: string; names: string[]; boundNames: string[] }[] = [];
    let end: SourcePosition;
    for (;;) {
      const module = this.dottedModule();
      this.aliased();
      modules.push({ module, names: [], boundNames: [] });
      end = this.position();
      this.skipSpaces();
      if (this.peek() !== 44 /* , */) break;
      this.at++;
      this.skipSpaces();
    }
    const range = { start, end };
    for (const module of modules) this.imports.push({ ...module, range });
    this.endOfStatement();
  }

  /** ` as name` after an imported name: the alias, or undefined. */
  private aliased(): string | undefined {
    const save = this.at;
    if (this.skipSpaces() > 0 && this.text.startsWith('as ', this.at)) {
      this.at += 2;
      this.skipSpaces();
      return this.name();
    }
    this.at = save;
    return undefined;
  }

  /** `from .models import A, B as C` on one line. */
  private readFromImport(): void {
    const start = this.position(this.at - 'from'.length);
    if (this.skipSpaces() === 0) notMine();
    let dots = 0;
    while (this.peek() === 46 /* . */) {
      this.at++;
      dots++;
    }
    if (dots > 2) notMine();
    const module = '.'.repeat(dots) + (dots > 0 && this.peek() === SPACE ? '' : this.dottedModule());
    this.keyword('import');
    const names: string[] = [];
    const boundNames: string[] = [];
    if (this.peek() === 42 /* * */) {
      if (module === '__future__') notMine();
      this.at++;
      names.push('*');
      boundNames.push('*');
    } else {
      for (;;) {
        const name = this.name();
        const alias = this.aliased();
        names.push(name);
        boundNames.push(alias ?? name);
        this.skipSpaces();
        if (this.peek() !== 44 /* , */) break;
        this.at++;
        this.skipSpaces();
      }
    }
    let end = this.at;
    while (this.text.charCodeAt(end - 1) === SPACE) end--;
    this.imports.push({ module, names, boundNames, range: { start, end: this.position(end) } });
    this.endOfStatement();
  }

  /** `def name(a, b):` and a block of plain statements. */
  private readFunction(): void {
    const start = this.position(this.at - 'def'.length);
    if (this.skipSpaces() === 0) notMine();
    const nameStart = this.position();
    const name = this.name();
    const nameRange = { start: nameStart, end: this.position() };
    this.skipSpaces();
    if (this.peek() !== 40 /* ( */) notMine();
    const parametersStart = this.position();
    this.at++;
    const parameters: string[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.peek() === 41 /* ) */) break;
      parameters.push(this.name());
      this.skipSpaces();
      if (this.peek() === 44 /* , */) this.at++;
      else if (this.peek() !== 41) notMine();
    }
    this.at++;
    const parametersRange = { start: parametersStart, end: this.position() };
    this.header();
    const names: string[] = [];
    this.names = names;
    this.lint?.startFunction();
    const end = this.block(() => this.statement(() => undefined));
    this.names = undefined;
    this.lint?.endFunction(name, nameRange, parameters, parametersRange);
    const freeNames = [...new Set(names.filter((n) => !parameters.includes(n)))];
    this.functions.push({ name, range: { start, end }, nameRange, freeNames });
  }

  /** `class Migration(bases):` and its attributes. */
  private readClass(): void {
    const start = this.position(this.at - 'class'.length);
    if (this.skipSpaces() === 0) notMine();
    const nameStart = this.position();
    if (this.name() !== 'Migration') notMine();
    const nameRange = { start: nameStart, end: this.position() };
    this.skipSpaces();
    if (this.peek() !== 40 /* ( */) notMine();
    this.at++;
    this.brackets++;
    this.skipBlanks(true);
    if (this.peek() === 41 /* ) */) notMine();
    this.sequenceItems(41, () => this.expression());
    this.brackets--;
    this.header();
    const end = this.block(() => this.statement((attribute, value, range) => this.assign(attribute, value, range)));
    this.classRanges = { range: { start, end }, nameRange };
  }

  private assign(attribute: MigrationAttribute, value: Expression, range: SourceRange): void {
    this.attributes.assign(attribute, [{ value: value.value, nodeType: value.type }], range);
  }

  /** The `:` ending a compound statement's header, and the line break after it. */
  private header(): void {
    this.skipSpaces();
    if (this.peek() !== 58 /* : */) notMine();
    this.at++;
    this.skipSpaces();
    if (this.peek() !== NEWLINE) notMine();
    this.newline();
  }

  /**
   * An indented block of one or more statements at one indentation; comment lines only between
   * two of them. Returns where the last statement ends.
   */
  private block(statement: () => void): SourcePosition {
    let indent = 0;
    let end: SourcePosition | undefined;
    let pendingComment = false;
    for (;;) {
      const lineStart = this.at;
      const depth = this.skipSpaces();
      const code = this.peek();
      if (code === NEWLINE) {
        this.newline();
        continue;
      }
      if (Number.isNaN(code) || depth === 0) {
        this.at = lineStart;
        break;
      }
      if (code === HASH) {
        if (indent === 0 || depth < indent) notMine();
        pendingComment = true;
        this.skipComment();
        continue;
      }
      if (indent === 0) indent = depth;
      else if (depth !== indent) notMine();
      pendingComment = false;
      statement();
      end = this.lastEnd;
    }
    if (!end || pendingComment) notMine();
    return end;
  }

  /** Where the last statement read ends. */
  private lastEnd: SourcePosition = { line: 0, character: 0 };

  /** `name = expression`, an expression or `pass`, alone on its (logical) line. */
  private statement(onAssignment: (attribute: MigrationAttribute, value: Expression, range: SourceRange) => void): void {
    const start = this.at;
    const startPosition = this.position();
    if (isIdentifierStart(this.peek())) {
      const target = this.identifier();
      if (target === 'pass') {
        this.lastEnd = this.position();
        this.endOfStatement();
        return;
      }
      this.skipSpaces();
      if (this.peek() === 61 /* = */ && this.text.charCodeAt(this.at + 1) !== 61) {
        if (RESERVED.has(target)) notMine();
        this.names?.push(target);
        this.at++;
        this.skipSpaces();
        const value = this.expression();
        this.lastEnd = value.range.end;
        if (ATTRIBUTES.has(target)) onAssignment(target as MigrationAttribute, value, { start: startPosition, end: value.range.end });
        this.endOfStatement();
        return;
      }
      this.at = start;
    }
    const value = this.expression();
    this.lastEnd = value.range.end;
    this.endOfStatement();
  }

  // Expressions.

  private expression(): Expression {
    const code = this.peek();
    let atom: Expression;
    if (code === 45 /* - */ || code === 43 /* + */) atom = this.signedNumber();
    else if (isDigit(code)) atom = this.number(this.at, 1);
    else if (code === 34 || code === 39) atom = this.strings(this.at);
    else if (code === 40 /* ( */) atom = this.parenthesized();
    else if (code === 91 /* [ */) atom = this.list();
    else if (code === 123 /* { */) atom = this.braces();
    else if (isIdentifierStart(code)) return this.primary();
    else notMine();
    const after = this.peek();
    // No attribute, call or subscript of a literal.
    if (after === 46 || after === 40 || after === 91) notMine();
    return atom;
  }

  private range(start: number, startPosition: SourcePosition): SourceRange {
    return { start: startPosition, end: this.position() };
  }

  private signedNumber(): Expression {
    const start = this.at;
    const startPosition = this.position();
    const sign = this.peek() === 45 ? -1 : 1;
    this.at++;
    this.skipBlanks();
    if (!isDigit(this.peek())) notMine();
    const literal = this.number(this.at, sign);
    const range = { start: startPosition, end: literal.range.end };
    const value: PythonValue = { kind: 'number', value: sign * literal.number, text: this.text.slice(start, literal.end), range };
    return { value, start, end: literal.end, range, type: 'unary_operator' };
  }

  /** `0`, `12`, `1.5`: other spellings (exponents, underscores, bases, suffixes) are not read here. */
  private number(start: number, sign: number): Expression & { readonly number: number } {
    const startPosition = this.position();
    if (this.peek() === 48 /* 0 */ && isDigit(this.text.charCodeAt(this.at + 1))) notMine();
    while (isDigit(this.peek())) this.at++;
    let type = 'integer';
    if (this.peek() === 46 /* . */) {
      this.at++;
      if (!isDigit(this.peek())) notMine();
      while (isDigit(this.peek())) this.at++;
      type = 'float';
    }
    if (isIdentifierPart(this.peek()) || this.peek() === 46) notMine();
    const text = this.text.slice(start, this.at);
    const range = this.range(start, startPosition);
    const number = Number(text);
    return { value: { kind: 'number', value: sign * number, text, range }, start, end: this.at, range, type, number };
  }

  /** One string literal, or several side by side (concatenated). */
  private strings(start: number, prefixLength = 0): Expression {
    const startPosition = this.position(start);
    let value = '';
    let bytes: boolean | undefined;
    let parts = 0;
    let end = start;
    for (;;) {
      const literal = this.stringLiteral(parts === 0 ? start : this.at, parts === 0 ? prefixLength : this.prefix());
      if (!literal || (bytes !== undefined && bytes !== literal.bytes)) notMine();
      bytes = literal.bytes;
      value += literal.value;
      parts++;
      end = this.at;
      const endPosition = this.position();
      const endLine = this.line;
      const endLineStart = this.lineStart;
      this.skipBlanks();
      if (!this.atStringStart()) {
        // What follows belongs to the caller: leave the position just after the literal.
        this.at = end;
        this.line = endLine;
        this.lineStart = endLineStart;
        const range = { start: startPosition, end: endPosition };
        return { value: { kind: 'str', value, range }, start, end, range, type: parts === 1 ? 'string' : 'concatenated_string' };
      }
    }
  }

  /** A string starts here: a quote, or prefix letters and a quote. */
  private atStringStart(): boolean {
    let i = this.at;
    while (isIdentifierStart(this.text.charCodeAt(i))) i++;
    const quote = this.text.charCodeAt(i);
    return (quote === 34 || quote === 39) && STRING_PREFIXES.has(this.text.slice(this.at, i).toLowerCase());
  }

  private prefix(): number {
    let i = this.at;
    while (isIdentifierStart(this.text.charCodeAt(i))) i++;
    const length = i - this.at;
    this.at = i;
    return length;
  }

  /** Scans one literal whose quote is at `this.at` and decodes it. */
  private stringLiteral(start: number, prefixLength: number): ReturnType<typeof decodeStringLiteral> {
    const text = this.text;
    const quoteCode = text.charCodeAt(this.at);
    const triple = text.charCodeAt(this.at + 1) === quoteCode && text.charCodeAt(this.at + 2) === quoteCode;
    this.at += triple ? 3 : 1;
    for (;;) {
      const code = text.charCodeAt(this.at);
      if (Number.isNaN(code)) notMine();
      if (code < 32 && code !== 9 && !(code === NEWLINE && triple)) notMine();
      if (code === 92 /* \ */) {
        const next = text.charCodeAt(this.at + 1);
        if (next === NEWLINE || Number.isNaN(next) || (next < 32 && next !== 9)) notMine();
        this.at += 2;
        continue;
      }
      if (code === NEWLINE) {
        this.newline();
        continue;
      }
      if (code === quoteCode) {
        if (!triple) {
          this.at++;
          break;
        }
        if (text.charCodeAt(this.at + 1) === quoteCode && text.charCodeAt(this.at + 2) === quoteCode) {
          this.at += 3;
          break;
        }
      }
      this.at++;
    }
    if (!STRING_PREFIXES.has(text.slice(start, start + prefixLength).toLowerCase())) notMine();
    return decodeStringLiteral(text.slice(start, this.at));
  }

  /** `(x)`, `()`, `(x,)`, `(x, y)`. */
  private parenthesized(): Expression {
    const start = this.at;
    const startPosition = this.position();
    const items = this.bracketed(41 /* ) */);
    const range = this.range(start, startPosition);
    if (items.items.length === 1 && !items.trailingComma) {
      // A parenthesized expression reads as what it holds, but names nothing of its own.
      const inner = items.items[0];
      return { value: inner.value, start, end: this.at, range, type: inner.type };
    }
    return { value: { kind: 'tuple', items: items.items.map((i) => i.value), range }, start, end: this.at, range, type: 'tuple' };
  }

  private list(): Expression {
    const start = this.at;
    const startPosition = this.position();
    const items = this.bracketed(93 /* ] */);
    const range = this.range(start, startPosition);
    return { value: { kind: 'list', items: items.items.map((i) => i.value), range }, start, end: this.at, range, type: 'list' };
  }

  /** `{}` and `{k: v, ...}` (dictionaries) or `{a, b}` (sets). */
  private braces(): Expression {
    const start = this.at;
    const startPosition = this.position();
    this.open();
    const entries: { key: PythonValue; value: PythonValue }[] = [];
    const items: PythonValue[] = [];
    let isDict: boolean | undefined;
    this.sequenceItems(125 /* } */, () => {
      const key = this.expression();
      this.skipBlanks();
      if (this.peek() === 58 /* : */) {
        if (isDict === false) notMine();
        isDict = true;
        this.at++;
        this.skipBlanks();
        entries.push({ key: key.value, value: this.expression().value });
      } else {
        if (isDict === true) notMine();
        isDict = false;
        items.push(key.value);
      }
      return key;
    });
    this.brackets--;
    const range = this.range(start, startPosition);
    const value: PythonValue = isDict === false ? { kind: 'set', items, range } : { kind: 'dict', entries, range };
    return { value, start, end: this.at, range, type: isDict === false ? 'set' : 'dictionary' };
  }

  private open(): void {
    this.at++;
    if (++this.brackets > MAX_BRACKETS) notMine();
    this.skipBlanks(true);
  }

  /** Comma-separated expressions up to `close`, after an opening bracket at `this.at`. */
  private bracketed(close: number): { items: Expression[]; trailingComma: boolean } {
    this.open();
    const result = this.sequenceItems(close, () => this.expression());
    this.brackets--;
    return result;
  }

  /** Items up to and including `close`; the opening bracket is read. */
  private sequenceItems(close: number, item: () => Expression): { items: Expression[]; trailingComma: boolean } {
    const items: Expression[] = [];
    let trailingComma = false;
    for (;;) {
      this.skipBlanks(true);
      if (this.peek() === close) break;
      items.push(item());
      this.skipBlanks();
      trailingComma = false;
      if (this.peek() === 44 /* , */) {
        this.at++;
        trailingComma = true;
      } else if (this.peek() !== close) notMine();
    }
    this.at++;
    return { items, trailingComma };
  }

  /** A name and its trailers: `a.b.c`, `a.b(...)`, `f(...).g(...)`. */
  private primary(): Expression {
    const start = this.at;
    const startPosition = this.position();
    const first = this.identifier();
    if (first === 'True' || first === 'False' || first === 'None') {
      const range = this.range(start, startPosition);
      const constant = first === 'True' ? true : first === 'False' ? false : null;
      const code = this.peek();
      if (code === 46 || code === 40 || code === 91 || code === 34 || code === 39) notMine();
      return { value: { kind: 'constant', value: constant, range }, start, end: this.at, range, type: first.toLowerCase() };
    }
    if (RESERVED.has(first)) notMine();
    if (this.atQuote()) return this.strings(start, this.at - start);
    this.names?.push(first);
    let current: Expression = {
      value: { kind: 'name', dotted: first, range: this.range(start, startPosition) },
      start,
      end: this.at,
      range: this.range(start, startPosition),
      type: 'identifier',
      dotted: first,
    };
    // The name after the last `.`, while the chain ends with it (a call's method).
    let method: string | undefined;
    for (let trailers = 0; ; trailers++) {
      const code = this.peek();
      if (code === 46 /* . */) {
        if (trailers >= MAX_TRAILERS) notMine();
        this.at++;
        const attribute = this.name();
        method = attribute;
        const range = this.range(start, startPosition);
        const dotted = current.dotted === undefined ? undefined : `${current.dotted}.${attribute}`;
        const text = this.text.slice(start, this.at);
        current = {
          value: dotted === undefined ? { kind: 'opaque', text, range } : { kind: 'name', dotted, range },
          start,
          end: this.at,
          range,
          type: 'attribute',
          ...(dotted === undefined ? {} : { dotted }),
        };
      } else if (code === 40 /* ( */) {
        if (trailers >= MAX_TRAILERS) notMine();
        current = this.call(current, startPosition, method);
        method = undefined;
      } else if (code === 91 /* [ */ || code === 34 || code === 39 || isIdentifierPart(code)) {
        notMine();
      } else {
        return current;
      }
    }
  }

  private atQuote(): boolean {
    const code = this.peek();
    return code === 34 || code === 39;
  }

  private call(callee: Expression, startPosition: SourcePosition, method: string | undefined): Expression {
    const args: PythonValue[] = [];
    const kwargs: PythonKeyword[] = [];
    this.open();
    this.sequenceItems(41 /* ) */, () => {
      const itemStart = this.at;
      if (isIdentifierStart(this.peek())) {
        const nameStart = this.position();
        const name = this.identifier();
        const nameRange = { start: nameStart, end: this.position() };
        if (this.peek() === 61 /* = */ && this.text.charCodeAt(this.at + 1) !== 61) {
          if (RESERVED.has(name)) notMine();
          this.at++;
          if (this.peek() === SPACE || this.peek() === NEWLINE || this.peek() === HASH) notMine();
          const value = this.expression();
          kwargs.push({ name, nameRange, value: value.value });
          return value;
        }
        // A keyword argument has nothing between its name and `=`, as written by makemigrations.
        this.skipSpaces();
        if (this.peek() === 61 && this.text.charCodeAt(this.at + 1) !== 61) notMine();
        this.at = itemStart;
        this.line = nameStart.line;
        this.lineStart = itemStart - nameStart.character;
      }
      const value = this.expression();
      args.push(value.value);
      return value;
    });
    this.brackets--;
    const range = { start: startPosition, end: this.position() };
    if (method !== undefined) {
      const end = this.at;
      this.lint?.methodCall(
        method,
        kwargs.map((keyword) => keyword.name),
        callee.start,
        end,
        range,
        () => this.text.slice(callee.start, end),
      );
    }
    const value: PythonValue = {
      kind: 'call',
      callee: callee.dotted ?? this.text.slice(callee.start, callee.end),
      calleeRange: callee.range,
      args,
      kwargs,
      range,
    };
    return { value, start: callee.start, end: this.at, range, type: 'call' };
  }
}
