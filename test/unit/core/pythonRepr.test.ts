import * as assert from 'node:assert/strict';
import { reprKey } from '../../../server/src/core/exceptions';
import { pythonRepr } from '../../../server/src/core/operations/operation';
import { FILE_START } from '../../../server/src/core/sourceRange';

// Python 3's repr() of each text, as /usr/bin/python3 prints it.
const cases: [text: string, repr: string][] = [
  ['plain', `'plain'`],
  [`it's C:\\dir`, `"it's C:\\\\dir"`],
  ['say "hi"', `'say "hi"'`],
  [`both ' and "`, `'both \\' and "'`],
  ['back\\slash', `'back\\\\slash'`],
];

describe("Python's repr of a str", () => {
  for (const [text, repr] of cases) {
    it(`${repr}: operation arguments and graph messages agree`, () => {
      assert.equal(pythonRepr({ kind: 'str', value: text, range: FILE_START }), repr);
      assert.equal(reprKey('shop', text), `('shop', ${repr})`);
    });
  }
});
