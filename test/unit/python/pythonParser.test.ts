import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPythonParser } from '../../../server/src/python/pythonParser';

const COMPILED_PARSER = path.join(__dirname, '../../../server/src/python/pythonParser.js');
const NODE_MODULES = path.join(__dirname, '../../../../node_modules');
const WASM_FILES = [
  path.join(NODE_MODULES, 'web-tree-sitter/web-tree-sitter.wasm'),
  path.join(NODE_MODULES, 'tree-sitter-python/tree-sitter-python.wasm'),
];

/** Runs `script` in a fresh Node process (the parser is memoised per process); returns its output. */
function runNode(script: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
}

describe('loadPythonParser', () => {
  let directory: string;
  before(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'python-parser-'));
  });
  after(() => {
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('loads once per process', async () => {
    const [a, b] = await Promise.all([loadPythonParser(), loadPythonParser()]);
    assert.equal(a, b);
    assert.equal(await loadPythonParser(), a);
  });

  it('parses into a tree, and withTree hands over the tree and returns what the reader returns', async () => {
    const parser = await loadPythonParser();
    const tree = parser.parse('x = 1\n');
    assert.equal(tree.rootNode.type, 'module');
    tree.delete();
    assert.equal(
      parser.withTree('class Migration:\n    pass\n', (t) => t.rootNode.namedChildren[0].type),
      'class_definition',
    );
  });

  it('takes the .wasm files from a given directory', () => {
    const wasmDirectory = path.join(directory, 'given');
    fs.mkdirSync(wasmDirectory);
    for (const file of WASM_FILES) fs.copyFileSync(file, path.join(wasmDirectory, path.basename(file)));
    const output = runNode(
      `require(${JSON.stringify(COMPILED_PARSER)}).loadPythonParser(${JSON.stringify(wasmDirectory)})` +
        `.then((p) => console.log(p.withTree('x = 1', (t) => t.rootNode.type)))`,
    );
    assert.equal(output, 'module');
  });

  it('takes the .wasm files from beside the script when they are there, as in the bundle', () => {
    const bundle = path.join(directory, 'dist');
    fs.mkdirSync(bundle);
    fs.copyFileSync(COMPILED_PARSER, path.join(bundle, 'pythonParser.js'));
    for (const file of WASM_FILES) fs.copyFileSync(file, path.join(bundle, path.basename(file)));
    // Without the .wasm files beside it, this copy could only fail: node_modules is not above it.
    const output = runNode(
      `require(${JSON.stringify(path.join(bundle, 'pythonParser.js'))}).loadPythonParser()` +
        `.then((p) => console.log(p.withTree('x = 1', (t) => t.rootNode.type)))`,
      { NODE_PATH: NODE_MODULES },
    );
    assert.equal(output, 'module');
  });

  it('fails for a directory without the .wasm files, and can be retried', () => {
    const empty = path.join(directory, 'empty');
    fs.mkdirSync(empty);
    const output = runNode(
      `const { loadPythonParser } = require(${JSON.stringify(COMPILED_PARSER)});` +
        `loadPythonParser(${JSON.stringify(empty)}).then(() => console.log('loaded'), () =>` +
        ` loadPythonParser().then((p) => console.log('retried', p.withTree('x', (t) => t.rootNode.type))))`,
    );
    assert.equal(output, 'retried module');
  });
});
