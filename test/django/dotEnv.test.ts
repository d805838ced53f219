import * as assert from 'node:assert/strict';
import { parseDotEnv } from '../../server/src/django/dotEnv';

const entries = (text: string, env: Record<string, string> = {}) => Object.fromEntries(parseDotEnv(text, (name) => env[name]).values);

describe('.env reader', () => {
  it('reads KEY=VALUE lines, skipping blanks and comments', () => {
    assert.deepEqual(entries('# settings\n\nA=1\n  B = two words  \nexport C=3\n'), { A: '1', B: 'two words', C: '3' });
  });

  it('drops inline comments of unquoted values only', () => {
    assert.deepEqual(entries('A=x # note\nB=x#not-a-comment\nC="x # kept"\n'), { A: 'x', B: 'x#not-a-comment', C: 'x # kept' });
  });

  it('takes single quotes literally and decodes double-quoted escapes', () => {
    assert.deepEqual(entries(`A='a\\nb \${HOME}'\nB="a\\nb\\t\\"q\\""\n`, { HOME: '/root' }), { A: 'a\\nb ${HOME}', B: 'a\nb\t"q"' });
  });

  it('reads quoted values over several lines and keeps counting lines', () => {
    const parsed = parseDotEnv('KEY="-----BEGIN\nline\n-----END"\nnot a pair\nB=2\n');
    assert.deepEqual(Object.fromEntries(parsed.values), { KEY: '-----BEGIN\nline\n-----END', B: '2' });
    assert.deepEqual(parsed.problems, [{ line: 3, message: 'Expected KEY=VALUE, found: not a pair' }]);
  });

  it('expands ${NAME} and ${NAME:-default} from the environment, then earlier entries', () => {
    const text = 'HOST=db\nURL=postgres://${USER}@${HOST}:${PORT:-5432}/app\nQUOTED="${HOST}"\n';
    assert.deepEqual(entries(text, { USER: 'me' }), { HOST: 'db', URL: 'postgres://me@db:5432/app', QUOTED: 'db' });
  });

  it('reports, and never throws on, malformed input', () => {
    const parsed = parseDotEnv('A="unterminated\nB=1\n');
    assert.equal(parsed.values.size, 0);
    assert.deepEqual(parsed.problems, [{ line: 0, message: 'Unterminated " quote in the value of A' }]);
    assert.deepEqual(parseDotEnv("A='x' trailing\n").problems, [
      { line: 0, message: 'Unexpected text after the quoted value of A: trailing' },
    ]);
    assert.deepEqual(parseDotEnv('=nokey\r\nC=3\r\n').problems, [{ line: 0, message: 'Expected KEY=VALUE, found: =nokey' }]);
  });
});
