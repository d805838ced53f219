import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot } from '../support/projectFolder';

/**
 * One non-ASCII character makes V8 hold a whole bundle as a two-byte string, slower to read, to
 * check against its code cache and to compile at every start of the server and the CLI.
 */
describe('the bundles', () => {
  const dist = path.join(repositoryRoot, 'dist');

  for (const name of ['serverMain.js', 'cliMain.js', 'client.js', 'parseWorker.js', 'editedTextWorker.js', 'sqliteReadWorker.js']) {
    it(`${name} is ASCII only`, () => {
      const bytes = readFileSync(path.join(dist, name));
      const offset = bytes.findIndex((byte) => byte > 0x7f);
      assert.equal(offset, -1, `a non-ASCII byte at ${offset}: ${bytes.toString('utf8', Math.max(0, offset - 40), offset + 10)}`);
    });
  }
});
