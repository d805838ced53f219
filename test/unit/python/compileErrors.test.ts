import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ImportFailure } from '../../../server/src/core/migration';
import { parseMigration } from '../../../server/src/python/migrationParser';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { decodeSource } from '../../../server/src/project/sourceText';
import { pythonParser } from './pythonTestParser';

const djangoPython = '/usr/bin/python3';

const HEADER = 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n';
const latin1 = (text: string) => Buffer.from(text, 'latin1');
const nested = (count: number, line: (depth: number) => string, last: string) =>
  Array.from({ length: count }, (_, depth) => '    '.repeat(depth) + line(depth)).join('\n') + '\n' + '    '.repeat(count) + last + '\n';

/** Modules as bytes, each with the first words of Python's own verdict (or '' where it compiles). */
const CASES: readonly (readonly [name: string, source: Buffer, python: string])[] = [
  ['a Latin-1 byte in a comment', latin1(`# caf\xe9\n${HEADER}    operations = []\n`), ''],
  ['a Latin-1 byte in a trailing comment', latin1(`${HEADER}    operations = []  # caf\xe9\n`), ''],
  [
    'a Latin-1 byte in a string',
    latin1(`${HEADER}    operations = ['caf\xe9']\n`),
    "SyntaxError: (unicode error) 'utf-8' codec can't decode",
  ],
  [
    'a Latin-1 byte in a docstring',
    latin1(`"""caf\xe9"""\n${HEADER}    operations = []\n`),
    "SyntaxError: (unicode error) 'utf-8' codec can't decode",
  ],
  ['a Latin-1 string under a latin-1 declaration', latin1(`# -*- coding: latin-1 -*-\n${HEADER}    operations = ['caf\xe9']\n`), ''],
  [
    'a declaration on line 2 after a shebang',
    latin1(`#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\n${HEADER}    x = 'caf\xe9'\n`),
    '',
  ],
  [
    'a declaration after code is no declaration',
    latin1(`x = 1\n# coding: latin-1\n${HEADER}    y = 'caf\xe9'\n`),
    "SyntaxError: (unicode error) 'utf-8' codec can't decode",
  ],
  ['an unknown encoding', latin1(`# -*- coding: klingon -*-\n${HEADER}    operations = []\n`), 'SyntaxError: unknown encoding: klingon'],
  [
    'a BOM with a latin-1 declaration',
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), latin1(`# coding: latin-1\n${HEADER}    operations = []\n`)]),
    'SyntaxError: encoding problem: iso-8859-1 with BOM',
  ],
  [
    'a BOM with a utf-8 declaration',
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), latin1(`# coding: utf-8\n${HEADER}    operations = []\n`)]),
    '',
  ],
  [
    'an empty class body at the end of the file',
    latin1(HEADER),
    'IndentationError: expected an indented block after class definition on line 4',
  ],
  [
    'an empty class body followed by a comment',
    latin1(`${HEADER}\n# operations = []\n`),
    'IndentationError: expected an indented block after class definition on line 4',
  ],
  [
    'an empty function body',
    latin1(`def forwards(apps, schema_editor):\n\n${HEADER}    operations = []\n`),
    'IndentationError: expected an indented block after function definition on line 1',
  ],
  [
    'an empty else at the end',
    latin1(`${HEADER}    if True:\n        pass\n    else:\n`),
    "IndentationError: expected an indented block after 'else' statement on line 7",
  ],
  ['200 nested brackets', latin1(`${HEADER}    operations = ${'['.repeat(199)}${']'.repeat(199)}\n`), ''],
  [
    '201 nested brackets',
    latin1(`${HEADER}    operations = ${'['.repeat(201)}${']'.repeat(201)}\n`),
    'SyntaxError: too many nested parentheses',
  ],
  ['99 levels of indentation', latin1(nested(99, (d) => `if ${d}:`, 'pass')), ''],
  ['100 levels of indentation', latin1(nested(100, (d) => `if ${d}:`, 'pass')), 'IndentationError: too many levels of indentation'],
  ['20 nested loops', latin1(nested(20, (d) => `for a${d} in b:`, 'pass')), ''],
  ['21 nested loops', latin1(nested(21, (d) => `for a${d} in b:`, 'pass')), 'SyntaxError: too many statically nested blocks'],
  ['21 nested ifs', latin1(nested(21, (d) => `if ${d}:`, 'pass')), ''],
  ['2,000 nested unary minus', latin1(`${HEADER}    x = ${'-'.repeat(2000)}1\n`), ''],
  [
    '3,000 nested unary minus',
    latin1(`${HEADER}    x = ${'-'.repeat(3000)}1\n`),
    'RecursionError: maximum recursion depth exceeded during compilation',
  ],
  ['a healthy migration', latin1(`${HEADER}    dependencies = []\n\n    operations = []\n`), ''],
];

/** What /usr/bin/python3 says when it compiles each source as importlib does (bytes in, PEP 263 applied). */
function pythonVerdicts(sources: readonly Buffer[]): string[] {
  const script = [
    'import json, sys',
    'out = []',
    'for source in json.load(sys.stdin):',
    '    try:',
    "        compile(bytes.fromhex(source), 'm.py', 'exec'); out.append('')",
    '    except (SyntaxError, RecursionError, MemoryError) as e:',
    "        out.append(type(e).__name__ + ': ' + (e.msg if isinstance(e, SyntaxError) else str(e)))",
    'print(json.dumps(out))',
  ].join('\n');
  const output = execFileSync(djangoPython, ['-c', script], {
    input: JSON.stringify(sources.map((s) => s.toString('hex'))),
    maxBuffer: 1 << 24,
  });
  return JSON.parse(output.toString()) as string[];
}

describe('compile errors: what Python refuses although tree-sitter reads it', () => {
  let parser: PythonParser;
  let python: string[];
  before(async function () {
    this.timeout(60_000);
    parser = await pythonParser();
    python = pythonVerdicts(CASES.map(([, source]) => source));
  });
  const failuresOf = (source: Buffer): readonly ImportFailure[] => {
    const decoded = decodeSource(source);
    return parseMigration(parser, decoded.text, decoded).importFailures;
  };

  CASES.forEach(([name, source, expected], index) => {
    it(`${name}: ${expected || 'compiles'}`, () => {
      assert.ok(python[index].startsWith(expected), `Python says ${JSON.stringify(python[index])}`);
      assert.equal(expected === '', python[index] === '', `Python says ${JSON.stringify(python[index])}`);
      const failures = failuresOf(source);
      if (expected === '') assert.deepEqual(failures, []);
      else {
        assert.equal(failures.length, 1, JSON.stringify(failures));
        assert.ok(failures[0].message.startsWith(expected), failures[0].message);
      }
    });
  });

  it('points at the byte Python fails on, past a comment that has one too', () => {
    const [failure] = failuresOf(latin1(`# caf\xe9\n${HEADER}    operations = ['d\xe9j\xe0']\n`));
    assert.deepEqual(failure.range, { start: { line: 5, character: 20 }, end: { line: 5, character: 21 } });
  });

  it('names a Migration rebound after the class as Django sees it', () => {
    const parse = (after: string) => parseMigration(parser, `${HEADER}    operations = []\n\n\n${after}`);
    assert.deepEqual(
      parse('Migration = None\n').importFailures.map((f) => [f.code, f.range.start.line, /TypeError/.test(f.message)]),
      [['missing-migration-class', 7, true]],
    );
    assert.deepEqual(
      parse('del Migration\n').importFailures.map((f) => [f.code, /BadMigrationError/.test(f.message)]),
      [['missing-migration-class', true]],
    );
    const rebound = parse('Migration = make_migration()\n');
    assert.deepEqual(rebound.importFailures, []);
    assert.match(rebound.dynamic.map((d) => d.description).join(), /rebound after the class/);
    assert.deepEqual(parse('Migration.atomic = False\n').importFailures, []);
  });
});
