import * as assert from 'node:assert/strict';
import { appliedAgo, appliedInstant, timeAgo } from '../../../protocol/appliedTime';

describe('applied times', () => {
  it('reads what SQLite and PostgreSQL give, naive times as UTC', () => {
    const expected = Date.UTC(2024, 4, 1, 10, 0, 0, 123);
    assert.equal(appliedInstant('2024-05-01 10:00:00.123456'), expected);
    assert.equal(appliedInstant('2024-05-01T10:00:00.123456Z'), expected);
    assert.equal(appliedInstant('2024-05-01 12:00:00.123+02:00'), expected);
    assert.equal(appliedInstant('2024-05-01 10:00:00'), Date.UTC(2024, 4, 1, 10));
    assert.equal(appliedInstant('yesterday'), undefined);
    assert.equal(appliedInstant(null), undefined);
  });

  it('says how long ago, in the largest whole unit', () => {
    const now = Date.UTC(2024, 4, 10, 12);
    assert.equal(timeAgo(now - 20_000, now), 'just now');
    assert.equal(timeAgo(now - 5 * 60_000, now), '5 minutes ago');
    assert.equal(timeAgo(now - 3_600_000, now), '1 hour ago');
    assert.equal(timeAgo(now - 2 * 86_400_000, now), '2 days ago');
    assert.equal(timeAgo(now - 400 * 86_400_000, now), '1 year ago');
    assert.equal(timeAgo(now + 60_000, now), 'just now', "a clock behind the server's");
    assert.equal(appliedAgo('2024-05-08 12:00:00', now), 'applied 2 days ago');
    assert.equal(appliedAgo('not a time', now), 'applied');
  });
});
