import * as assert from 'node:assert/strict';
import { PythonValue } from '../../../server/src/core/pythonValue';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { readValue } from '../../../server/src/python/valueReader';
import { pythonParser, range } from './pythonTestParser';

/** Strips ranges so a value can be compared with a literal. */
function shape(value: PythonValue): unknown {
  switch (value.kind) {
    case 'str':
      return value.value;
    case 'number':
      return value.value;
    case 'constant':
      return value.value;
    case 'name':
      return { name: value.dotted };
    case 'list':
    case 'tuple':
    case 'set':
      return { [value.kind]: value.items.map(shape) };
    case 'dict':
      return { dict: value.entries.map((e) => [shape(e.key), shape(e.value)]) };
    case 'call':
      return {
        call: value.callee,
        args: value.args.map(shape),
        kwargs: Object.fromEntries(value.kwargs.map((k) => [k.name, shape(k.value)])),
      };
    case 'opaque':
      return { opaque: value.text };
  }
}

describe('readValue', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await pythonParser();
  });

  /** The value of the right-hand side of the first statement `x = ...`. */
  function valueOf(source: string): PythonValue {
    return parser.withTree(source, (tree) => {
      const assignment = tree.rootNode.namedChildren[0].namedChildren[0];
      return readValue(assignment.childForFieldName('right')!);
    });
  }

  const cases: [source: string, expected: unknown][] = [
    [`x = 'a'`, 'a'],
    [`x = 'a' "b" '''c'''`, 'abc'],
    [`x = ('a'\n     'b')`, 'ab'],
    [`x = ('a'  # first\n     'b')`, 'ab'],
    [`x = r'\\d' u'é' '\\n'`, '\\dé\n'],
    [`x = b'a' b'b'`, 'ab'],
    [`x = b'a' 'b'`, { opaque: `b'a' 'b'` }],
    [`x = f'{y}'`, { opaque: `f'{y}'` }],
    [`x = 'a' f'{y}'`, { opaque: `'a' f'{y}'` }],
    [`x = 42`, 42],
    [`x = 1_000`, 1000],
    [`x = 0x1F`, 31],
    [`x = 0o17`, 15],
    [`x = 0b101`, 5],
    [`x = 2.5e3`, 2500],
    [`x = -1`, -1],
    [`x = +3`, 3],
    [`x = -2.5`, -2.5],
    [`x = 3j`, { opaque: '3j' }],
    [`x = -y`, { opaque: '-y' }],
    [`x = True`, true],
    [`x = False`, false],
    [`x = None`, null],
    [`x = [1, 'a', None]`, { list: [1, 'a', null] }],
    [`x = [\n  1,  # one\n  2,\n]`, { list: [1, 2] }],
    [`x = (1,)`, { tuple: [1] }],
    [`x = ()`, { tuple: [] }],
    [`x = 1, 2`, { tuple: [1, 2] }],
    [`x = {1, 2}`, { set: [1, 2] }],
    [
      `x = {'a': 1, 'b': [2]}`,
      {
        dict: [
          ['a', 1],
          ['b', { list: [2] }],
        ],
      },
    ],
    [`x = {}`, { dict: [] }],
    [`x = {**y, 'a': 1}`, { opaque: `{**y, 'a': 1}` }],
    [`x = y`, { name: 'y' }],
    [`x = a.b.c`, { name: 'a.b.c' }],
    [`x = a . b`, { name: 'a.b' }],
    [`x = a().b`, { opaque: 'a().b' }],
    [`x = ((('a')))`, 'a'],
    [`x = (y)`, { name: 'y' }],
    [`x = f()`, { call: 'f', args: [], kwargs: {} }],
    [
      `x = migrations.AddField(model_name='a', name="b", field=models.CharField(max_length=5))`,
      {
        call: 'migrations.AddField',
        args: [],
        kwargs: { model_name: 'a', name: 'b', field: { call: 'models.CharField', args: [], kwargs: { max_length: 5 } } },
      },
    ],
    [`x = f(1, 'a', k=None)`, { call: 'f', args: [1, 'a'], kwargs: { k: null } }],
    [`x = f(*args)`, { call: 'f', args: [{ opaque: '*args' }], kwargs: {} }],
    [`x = f(a for a in b)`, { call: 'f', args: [{ opaque: '(a for a in b)' }], kwargs: {} }],
    [`x = f()()`, { call: 'f()', args: [], kwargs: {} }],
    [`x = [a for a in b]`, { opaque: '[a for a in b]' }],
    [`x = a if b else c`, { opaque: 'a if b else c' }],
    [`x = lambda: 1`, { opaque: 'lambda: 1' }],
    [`x = a + b`, { opaque: 'a + b' }],
  ];
  for (const [source, expected] of cases) {
    it(JSON.stringify(source), () => {
      assert.deepEqual(shape(valueOf(source)), expected);
    });
  }

  it('gives exact ranges, in UTF-16 code units after non-ASCII text', () => {
    const value = valueOf(`x = ['é😀', 'b']`);
    assert.equal(value.kind, 'list');
    if (value.kind !== 'list') return;
    assert.deepEqual(value.range, range(0, 4, 0, 16));
    assert.deepEqual(value.items[0].range, range(0, 5, 0, 10));
    assert.deepEqual(value.items[1].range, range(0, 12, 0, 15));
  });

  it('gives the ranges of a call, its callee and its keywords', () => {
    const value = valueOf(`x = migrations.RunPython(\n    code=forwards,\n)`);
    assert.equal(value.kind, 'call');
    if (value.kind !== 'call') return;
    assert.deepEqual(value.range, range(0, 4, 2, 1));
    assert.deepEqual(value.calleeRange, range(0, 4, 0, 24));
    assert.deepEqual(value.kwargs[0].nameRange, range(1, 4, 1, 8));
    assert.deepEqual(value.kwargs[0].value.range, range(1, 9, 1, 17));
  });

  it('reads deep nesting as opaque instead of exhausting the stack', () => {
    const depth = 5000;
    const value = valueOf(`x = ${'['.repeat(depth)}${']'.repeat(depth)}`);
    let current: PythonValue = value;
    let levels = 0;
    while (current.kind === 'list' && current.items.length === 1) {
      current = current.items[0];
      levels++;
    }
    assert.ok(levels < depth);
    assert.equal(current.kind, 'opaque');
  });
});
