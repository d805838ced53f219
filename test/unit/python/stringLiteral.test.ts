import * as assert from 'node:assert/strict';
import { decodeStringLiteral } from '../../../server/src/python/stringLiteral';

describe('decodeStringLiteral', () => {
  const cases: [literal: string, value: string | undefined][] = [
    [`'abc'`, 'abc'],
    [`"abc"`, 'abc'],
    [`''`, ''],
    [`'''a\nb'''`, 'a\nb'],
    [`"""x"y"""`, 'x"y'],
    [`'a\\nb'`, 'a\nb'],
    [`'\\t\\\\\\'\\"'`, '\t\\\'"'],
    [`'\\x41\\101\\u00e9\\U0001F600'`, 'AAé😀'],
    [`'\\0'`, '\0'],
    [`'\\q'`, '\\q'],
    [`'a\\\nb'`, 'ab'],
    [`r'a\\nb'`, 'a\\nb'],
    [`R"\\d+"`, '\\d+'],
    [`b'\\x00\\xff'`, '\x00\xff'],
    [`b'\\u00e9'`, '\\u00e9'],
    [`rb'\\n'`, '\\n'],
    [`Br'\\n'`, '\\n'],
    [`u'café'`, 'café'],
    [`'''a\r\nb'''`, 'a\nb'],
    [`f'{x}'`, undefined],
    [`rf'{x}'`, undefined],
    [`t'{x}'`, undefined],
    [`'\\N{BULLET}'`, undefined],
    [`'\\x4'`, undefined],
    [`b'é'`, undefined],
    [`'abc`, undefined],
    [`'`, undefined],
    [`abc`, undefined],
  ];
  for (const [literal, value] of cases) {
    it(`${JSON.stringify(literal)} -> ${JSON.stringify(value)}`, () => {
      assert.equal(decodeStringLiteral(literal)?.value, value);
    });
  }

  it('marks bytes literals', () => {
    assert.equal(decodeStringLiteral(`b'x'`)?.bytes, true);
    assert.equal(decodeStringLiteral(`'x'`)?.bytes, false);
  });
});
