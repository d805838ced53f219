import * as assert from 'node:assert/strict';
import { bindingError } from '../../../server/src/python/callBinding';
import { readFunctionSignature } from '../../../server/src/python/functionSignature';
import { loadPythonParser } from '../../../server/src/python/pythonParser';

/** Python's binding of a call to `def __init__(...)`, as CPython 3.11 words its TypeError. */
describe('python: binding a call to a signature', function () {
  const bind = async (parameters: string, positional: number, keywords: string[]) => {
    const parser = await loadPythonParser();
    return parser.withTree(`def __init__(${parameters}):\n    pass\n`, (tree) => {
      const signature = readFunctionSignature(tree.rootNode.namedChildren[0]!);
      assert.ok(signature, parameters);
      return bindingError('F.__init__', signature, positional, keywords);
    });
  };

  const cases: [string, number, string[], string | undefined][] = [
    ['self, *args, **kwargs', 3, ['a', 'b'], undefined],
    ['self, max_length=20', 0, ['max_length', 'unique'], "F.__init__() got an unexpected keyword argument 'unique'"],
    ['self, a, b=1', 3, [], 'F.__init__() takes from 2 to 3 positional arguments but 4 were given'],
    ['self, a', 2, [], 'F.__init__() takes 2 positional arguments but 3 were given'],
    ['self, a', 1, ['a'], "F.__init__() got multiple values for argument 'a'"],
    ['self, a, b, *args', 0, [], "F.__init__() missing 2 required positional arguments: 'a' and 'b'"],
    ['self, *, a', 0, [], "F.__init__() missing 1 required keyword-only argument: 'a'"],
    ['self, a, /', 0, ['a'], "F.__init__() got some positional-only arguments passed as keyword arguments: 'a'"],
    ['self, a, /, **kwargs', 1, ['a'], undefined],
    ['self, a: int = 1, *args: str, b: int, **kwargs: object', 5, ['b', 'c'], undefined],
  ];
  for (const [parameters, positional, keywords, expected] of cases) {
    it(`def __init__(${parameters}) with ${positional} positional and ${keywords.join(', ') || 'no'} keywords`, async function () {
      assert.equal(await bind(parameters, positional, keywords), expected);
    });
  }

  it('does not read a signature with a parse error', async function () {
    const parser = await loadPythonParser();
    const signature = parser.withTree('def __init__(self, a=):\n    pass\n', (tree) =>
      readFunctionSignature(tree.rootNode.descendantsOfType('function_definition')[0]!),
    );
    assert.equal(signature, undefined);
  });
});
