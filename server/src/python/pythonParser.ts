import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, Range, Tree } from 'web-tree-sitter';
import { blocksConfirmed, commentBlocks, rangesAround } from './commentBlocks';

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const PYTHON_WASM = 'tree-sitter-python.wasm';
/**
 * Longer than any real file needs by far: past it a file is reported, not waited for. A slower
 * machine may raise it (or a test lower it) with DJANGO_MIGRATIONS_PARSE_TIME_LIMIT_MS in the
 * environment of the server or the command line.
 */
export const PARSE_TIME_LIMIT_MS = positiveNumber(process.env.DJANGO_MIGRATIONS_PARSE_TIME_LIMIT_MS) ?? 10_000;

/** Thrown when one file's parse runs past the time limit. */
export class ParseTimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(`Parsing took longer than ${limitMs / 1000} s`);
  }
}

/** A tree-sitter parser for Python. One instance serves the whole process. */
export interface PythonParser {
  /** Parses `text`; the caller must `delete()` the tree (or use `withTree`). */
  parse(text: string): Tree;
  /** Parses `text`, hands the tree to `read`, and frees the tree afterwards. */
  withTree<T>(text: string, read: (tree: Tree) => T): T;
  /** The same parser with another time limit per file (a smaller one for tests of what exceeds it). */
  withTimeLimit(limitMs: number): PythonParser;
  /** The time limit of one file's parse. */
  readonly limitMs: number;
}

interface WasmFiles {
  readonly runtime: string;
  readonly python: string;
}

let loading: Promise<PythonParser> | undefined;

/**
 * Initialises web-tree-sitter and the Python grammar once per process. Without `wasmDirectory`
 * the `.wasm` files are taken from beside this script (the bundle ships them there), else from
 * node_modules (unbundled builds and tests).
 */
export function loadPythonParser(wasmDirectory?: string): Promise<PythonParser> {
  if (!loading) {
    loading = createParser(locateWasm(wasmDirectory));
    // A failed start (missing file) must not stick: the next call tries again.
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

function locateWasm(wasmDirectory: string | undefined): WasmFiles {
  const directory = wasmDirectory ?? __dirname;
  const beside = { runtime: path.join(directory, RUNTIME_WASM), python: path.join(directory, PYTHON_WASM) };
  if (wasmDirectory !== undefined || (fs.existsSync(beside.runtime) && fs.existsSync(beside.python))) {
    return beside;
  }
  return {
    runtime: require.resolve(`web-tree-sitter/${RUNTIME_WASM}`),
    python: require.resolve(`tree-sitter-python/${PYTHON_WASM}`),
  };
}

async function createParser(files: WasmFiles): Promise<PythonParser> {
  // A clear error here beats the WebAssembly runtime's own abort message.
  await Promise.all([fs.promises.access(files.runtime), fs.promises.access(files.python)]);
  await Parser.init({ locateFile: () => files.runtime });
  const language = await Language.load(await fs.promises.readFile(files.python));
  const parser = new Parser();
  parser.setLanguage(language);

  return parserWithin(parser, PARSE_TIME_LIMIT_MS);
}

function parserWithin(parser: Parser, limitMs: number): PythonParser {
  function parseWithin(text: string, deadline: number, includedRanges?: Range[]): Tree {
    const tree = parser.parse(text, null, { includedRanges, progressCallback: () => performance.now() > deadline });
    // Only a parser without a language, or a cancelled parse, yields null. A cancelled parse would
    // be resumed by the next call, whatever its text: start afresh.
    if (!tree) {
      parser.reset();
      throw new ParseTimeLimitError(limitMs);
    }
    return tree;
  }

  function parse(text: string): Tree {
    const deadline = performance.now() + limitMs;
    const source = withLoneCarriageReturnsAsNewlines(text);
    // Long comment blocks are skipped like blank lines (linear), once the parse confirms that they
    // are comments; a block found inside a string is parsed as written.
    let blocks = commentBlocks(source);
    while (blocks.length > 0) {
      const tree = parseWithin(source, deadline, rangesAround(source, blocks));
      const confirmed = blocksConfirmed(tree, blocks);
      if (confirmed.every(Boolean)) return tree;
      tree.delete();
      blocks = blocks.filter((_, index) => confirmed[index]);
    }
    return parseWithin(source, deadline);
  }

  return {
    parse,
    withTree<T>(text: string, read: (tree: Tree) => T): T {
      const tree = parse(text);
      try {
        return read(tree);
      } finally {
        tree.delete();
      }
    },
    withTimeLimit: (ms) => parserWithin(parser, ms),
    limitMs,
  };
}

/**
 * Python and LSP end a line at a lone `\r` too; the grammar only at `\n`. Same length, so every
 * position stays valid.
 */
function withLoneCarriageReturnsAsNewlines(text: string): string {
  if (!text.includes('\r')) return text;
  let result = '';
  let from = 0;
  for (let at = text.indexOf('\r'); at >= 0; at = text.indexOf('\r', at + 1)) {
    if (text.charCodeAt(at + 1) === 10 /* \n */) continue;
    result += text.slice(from, at) + '\n';
    from = at + 1;
  }
  return result + text.slice(from);
}

function positiveNumber(text: string | undefined): number | undefined {
  const value = Number(text);
  return text && Number.isFinite(value) && value > 0 ? value : undefined;
}
