import * as assert from 'node:assert/strict';
import { deconstructedEqual } from '../../../server/src/core/deconstructed';
import { PythonValue } from '../../../server/src/core/pythonValue';
import { FILE_START } from '../../../server/src/core/sourceRange';
import { fromWrittenValue } from '../../../server/src/core/writtenValue';

const range = FILE_START;
const str = (value: string): PythonValue => ({ kind: 'str', value, range });
const num = (value: number): PythonValue => ({ kind: 'number', value, text: String(value), range });
const bool = (value: boolean): PythonValue => ({ kind: 'constant', value, range });
const tuple = (...items: PythonValue[]): PythonValue => ({ kind: 'tuple', items, range });
const q = (args: PythonValue[], kwargs: Record<string, PythonValue> = {}): PythonValue => ({
  kind: 'call',
  callee: 'models.Q',
  calleeRange: range,
  args,
  kwargs: Object.entries(kwargs).map(([name, value]) => ({ name, nameRange: range, value })),
  range,
});
const same = (a: PythonValue, b: PythonValue) => deconstructedEqual(fromWrittenValue(a), fromWrittenValue(b));

/** A migration's Q as Django's Q.deconstruct() compares it: keyword lookups are children. */
describe('Q read from a migration', () => {
  it('Q(amount__gte=0) is the Q(("amount__gte", 0)) makemigrations writes', () => {
    assert.ok(same(q([], { amount__gte: num(0) }), q([tuple(str('amount__gte'), num(0))])));
  });

  it('keyword lookups become children sorted by name, after the positional ones', () => {
    assert.ok(same(q([], { b: num(1), a: num(2) }), q([tuple(str('a'), num(2)), tuple(str('b'), num(1))])));
    assert.ok(same(q([tuple(str('z'), num(0))], { a: num(1) }), q([tuple(str('z'), num(0)), tuple(str('a'), num(1))])));
    assert.ok(!same(q([tuple(str('z'), num(0))], { a: num(1) }), q([tuple(str('a'), num(1)), tuple(str('z'), num(0))])));
  });

  it('drops the default connector and a false _negated, keeps what deconstruct() keeps', () => {
    assert.ok(same(q([], { a: num(1), _connector: str('AND'), _negated: bool(false) }), q([tuple(str('a'), num(1))])));
    assert.ok(same(q([], { a: num(1), _negated: bool(true) }), q([tuple(str('a'), num(1))], { _negated: bool(true) })));
    assert.ok(!same(q([], { a: num(1), _negated: bool(true) }), q([tuple(str('a'), num(1))])));
    assert.ok(!same(q([], { a: num(1), b: num(2), _connector: str('OR') }), q([], { a: num(1), b: num(2) })));
  });

  it('a different value is a different Q', () => {
    assert.ok(!same(q([], { amount__gte: num(0) }), q([], { amount__gte: num(1) })));
  });
});
