import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ParsedMigration } from '../../../server/src/core/migration';
import { PythonValue } from '../../../server/src/core/pythonValue';
import { SourceRange } from '../../../server/src/core/sourceRange';
import { parseAppConfigs } from '../../../server/src/python/appConfigParser';
import { settingsModuleFromManage } from '../../../server/src/python/manageParser';
import { parseMigration } from '../../../server/src/python/migrationParser';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { parseSettings } from '../../../server/src/python/settingsParser';
import { pythonParser } from './pythonTestParser';
import { seededRandom } from '../../support/seededRandom';
import { FIXTURES, INLINE_SAMPLES, mutations, pythonFiles } from './fuzzSamples';

/** Checks that a range lies inside `text`, in LSP's convention (lines end at \r\n, \n or a lone \r; UTF-16). */
function assertRange(range: SourceRange | undefined, lines: readonly string[], what: string): void {
  assert.ok(range, `${what}: no range`);
  const { start, end } = range;
  for (const position of [start, end]) {
    assert.ok(Number.isInteger(position.line) && position.line >= 0 && position.line < lines.length, `${what}: line ${position.line}`);
    assert.ok(Number.isInteger(position.character) && position.character >= 0, `${what}: character ${position.character}`);
    assert.ok(position.character <= lines[position.line].length, `${what}: character ${position.character} beyond its line`);
  }
  assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${what}: ends before it starts`);
}

function assertValue(value: PythonValue, lines: readonly string[], depth = 0): void {
  assertRange(value.range, lines, `${value.kind} value`);
  switch (value.kind) {
    case 'str':
      assert.equal(typeof value.value, 'string');
      break;
    case 'number':
      assert.ok(!Number.isNaN(value.value));
      assert.equal(typeof value.text, 'string');
      break;
    case 'constant':
      assert.ok(value.value === true || value.value === false || value.value === null);
      break;
    case 'name':
      assert.ok(value.dotted.length > 0);
      break;
    case 'list':
    case 'tuple':
    case 'set':
      for (const item of value.items) assertValue(item, lines, depth + 1);
      break;
    case 'dict':
      for (const entry of value.entries) {
        assertValue(entry.key, lines, depth + 1);
        assertValue(entry.value, lines, depth + 1);
      }
      break;
    case 'call':
      assert.equal(typeof value.callee, 'string');
      assertRange(value.calleeRange, lines, 'callee');
      for (const arg of value.args) assertValue(arg, lines, depth + 1);
      for (const kwarg of value.kwargs) {
        assert.equal(typeof kwarg.name, 'string');
        assertRange(kwarg.nameRange, lines, 'keyword');
        assertValue(kwarg.value, lines, depth + 1);
      }
      break;
    case 'opaque':
      assert.equal(typeof value.text, 'string');
      break;
    default:
      assert.fail(`unknown value kind ${(value as { kind: string }).kind}`);
  }
}

function assertParsedMigration(parsed: ParsedMigration, text: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  assert.equal(typeof parsed.hasMigrationClass, 'boolean');
  if (parsed.hasMigrationClass) {
    assertRange(parsed.classRange, lines, 'class');
    assertRange(parsed.classNameRange, lines, 'class name');
  }
  assert.ok(parsed.initial === null || typeof parsed.initial === 'boolean');
  assert.equal(typeof parsed.atomic, 'boolean');
  for (const dependency of parsed.dependencies) {
    assertRange(dependency.range, lines, 'dependency');
    if (dependency.target.kind === 'key') {
      assert.equal(typeof dependency.target.app, 'string');
      assert.equal(typeof dependency.target.name, 'string');
    } else {
      assert.equal(dependency.target.kind, 'swappable');
      assert.equal(typeof dependency.target.setting, 'string');
    }
    if (dependency.appRange) assertRange(dependency.appRange, lines, 'dependency app');
    if (dependency.nameRange) assertRange(dependency.nameRange, lines, 'dependency name');
  }
  for (const key of [...parsed.replaces, ...parsed.runBefore]) {
    assert.equal(typeof key.app, 'string');
    assert.equal(typeof key.name, 'string');
    for (const range of [key.range, key.appRange, key.nameRange]) assertRange(range, lines, 'migration key');
  }
  for (const operation of parsed.operations) {
    assert.ok(operation.type.length > 0);
    assert.equal(operation.call.kind, 'call');
    assertValue(operation.call, lines);
  }
  for (const range of Object.values(parsed.attributeRanges)) assertRange(range, lines, 'attribute');
  for (const dynamic of parsed.dynamic) {
    assertRange(dynamic.range, lines, 'dynamic');
    assert.ok(dynamic.description.length > 0);
  }
  for (const range of parsed.syntaxErrors) assertRange(range, lines, 'syntax error');
  for (const entry of parsed.imports) {
    assert.equal(typeof entry.module, 'string');
    assert.ok(entry.names.every((name) => typeof name === 'string'));
    assertRange(entry.range, lines, 'import');
  }
  for (const entry of parsed.functions) {
    assert.ok(entry.name.length > 0);
    assertRange(entry.range, lines, 'function');
    assertRange(entry.nameRange, lines, 'function name');
  }
}

describe('python parsing under fuzzing', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await pythonParser();
  });

  const samples: [name: string, text: string, mutationCount: number][] = [
    ...Object.entries(INLINE_SAMPLES).map(([name, text]): [string, string, number] => [name, text, 300]),
    ...pythonFiles(FIXTURES).map((file): [string, string, number] => [path.relative(FIXTURES, file), fs.readFileSync(file, 'utf8'), 15]),
  ];

  it(`never throws and always returns well-formed records (${samples.length} files)`, function () {
    this.timeout(120_000);
    const random = seededRandom(20240501);
    const readModule = () => undefined;
    for (const [name, text, count] of samples) {
      for (const mutated of [text, ...mutations(text, random, count)]) {
        let parsed: ParsedMigration;
        try {
          parsed = parseMigration(parser, mutated);
          parseSettings(parser, { path: '/project/settings.py', text: mutated }, readModule);
          parseAppConfigs(parser, mutated);
          settingsModuleFromManage(parser, mutated);
        } catch (error) {
          assert.fail(`${name}: threw ${(error as Error).stack}\non ${JSON.stringify(mutated)}`);
        }
        assertParsedMigration(parsed, mutated);
      }
    }
  });
});
