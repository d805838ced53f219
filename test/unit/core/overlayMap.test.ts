import * as assert from 'node:assert/strict';
import { OverlayMap } from '../../../server/src/core/overlayMap';

describe('OverlayMap', function () {
  it('gives the new value for the replaced key, keeps the keys and their order, and leaves the original as it was', function () {
    const base = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    const once = OverlayMap.replace(base, 'b', 20);
    const twice = OverlayMap.replace(once, 'c', 30);
    assert.deepEqual(
      [...twice],
      [
        ['a', 1],
        ['b', 20],
        ['c', 30],
      ],
    );
    assert.deepEqual([...twice.keys()], ['a', 'b', 'c']);
    assert.deepEqual([...twice.values()], [1, 20, 30]);
    assert.deepEqual([twice.get('b'), twice.get('z'), twice.has('a'), twice.has('z'), twice.size], [20, undefined, true, false, 3]);
    assert.deepEqual(
      [...once],
      [
        ['a', 1],
        ['b', 20],
        ['c', 3],
      ],
    );
    assert.deepEqual([...base.values()], [1, 2, 3]);
    const seen: string[] = [];
    twice.forEach((value, key) => seen.push(`${key}=${value}`));
    assert.deepEqual(seen, ['a=1', 'b=20', 'c=30']);
  });

  it('adds a key it did not have at the end, as a Map does', function () {
    const added = OverlayMap.replace(new Map([['a', 1]]), 'b', 2);
    assert.deepEqual(
      [...added],
      [
        ['a', 1],
        ['b', 2],
      ],
    );
  });

  it('folds many changes into a plain map equal to the same changes made to a copy', function () {
    const base = new Map(Array.from({ length: 200 }, (_, i) => [i, i] as const));
    let overlaid: ReadonlyMap<number, number> = base;
    const expected = new Map(base);
    for (let i = 0; i < 150; i++) {
      overlaid = OverlayMap.replace(overlaid, (i * 7) % 200, -i);
      expected.set((i * 7) % 200, -i);
    }
    assert.deepEqual([...overlaid], [...expected]);
    assert.equal(base.get(7), 7);
  });
});
