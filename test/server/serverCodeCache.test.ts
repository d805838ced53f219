import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Diagnostic } from 'vscode-languageserver-protocol';
import { distCopy, strayFiles } from '../support/distCopy';
import { appFiles, managePy, projectFolder, repositoryRoot, settingsPy } from '../support/projectFolder';
import { LspClient } from './lspClient';

const INITIAL =
  'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n    initial = True\n\n    dependencies = []\n\n' +
  "    operations = [\n        migrations.CreateModel(name='Book', fields=[('id', models.AutoField(primary_key=True))]),\n    ]\n";

/** Raw SQL without a reverse: a problem, so that the answer is more than a clean project. */
const RUN_SQL =
  "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n\n    dependencies = [('library', '0001_initial')]\n\n" +
  "    operations = [\n        migrations.RunSQL('UPDATE library_book SET id = id'),\n    ]\n";

/** The code cache of the server's bundle, as a server run by this Node names it. */
const CODE_CACHE = `serverMain.js.${process.version}-${process.arch}.v8cache`;

/** The server as the compiled sources run it: its bundle's entry loads it with a plain require. */
const UNBUNDLED_SERVER = path.join(repositoryRoot, 'out', 'server', 'src', 'server.js');

describe('the language server bundle: its V8 code cache', function () {
  this.timeout(120_000);

  let root: string;
  let migration: string;
  let dist: string;
  let fresh: Diagnostic[];

  /** A session on the project: the first index, then the migration's diagnostics; `during` runs before the shutdown. */
  async function session(serverScript: string, during?: () => Promise<void>): Promise<Diagnostic[]> {
    const { client } = await LspClient.start({ folders: [root], initializationOptions: { djangoVersion: '3.2' }, serverScript });
    try {
      const diagnostics = await client.diagnostics(migration);
      assert.deepEqual(client.featureFailures, []);
      await during?.();
      return diagnostics;
    } finally {
      await client.shutdown();
    }
  }
  const bundled = (during?: () => Promise<void>) => session(path.join(dist, 'server.js'), during);

  before(async function () {
    root = projectFolder({
      'manage.py': managePy('site_config.settings'),
      'site_config/__init__.py': '',
      'site_config/settings.py': settingsPy(['library']),
      ...appFiles('library', { '0001_initial': INITIAL, '0002_touch_ids': RUN_SQL }),
    });
    migration = path.join(root, 'library', 'migrations', '0002_touch_ids.py');
    fresh = await session(UNBUNDLED_SERVER);
    assert.ok(
      fresh.some((diagnostic) => diagnostic.code === 'irreversible-operation'),
      JSON.stringify(fresh),
    );
  });

  beforeEach(function () {
    dist = distCopy();
  });

  it('is written after the first index, while the server runs, and used by the next start', async function () {
    const cache = path.join(dist, CODE_CACHE);
    assert.ok(!existsSync(cache));
    const first = await bundled(async () => {
      for (let wait = 0; !existsSync(cache) && wait < 200; wait++) await sleep(100);
      assert.ok(existsSync(cache), 'the running server kept a code cache');
    });
    assert.deepEqual(first, fresh);
    const written = statSync(cache);
    assert.ok(written.size > 0);
    assert.deepEqual(await bundled(), fresh);
    // A cache V8 took is not written again, not even as the server ends (a rewrite is a rename: a new inode).
    assert.equal(statSync(cache).ino, written.ino, 'the second start used the cache');
    assert.deepEqual(strayFiles(dist), []);
  });

  it('is written as a session shorter than its wait ends', async function () {
    const cache = path.join(dist, CODE_CACHE);
    assert.deepEqual(await bundled(), fresh);
    assert.ok(statSync(cache).size > 0, 'the session kept a code cache');
    const written = statSync(cache);
    assert.deepEqual(await bundled(), fresh);
    assert.equal(statSync(cache).ino, written.ino, 'the second start used the cache');
  });

  it('is replaced when corrupt, and the diagnostics stay right', async function () {
    const cache = path.join(dist, CODE_CACHE);
    await bundled();
    const good = readFileSync(cache);
    writeFileSync(cache, Buffer.from(good.map((byte, index) => (index > 200 ? byte ^ 0x5a : byte))));
    const spoilt = statSync(cache);
    assert.deepEqual(await bundled(), fresh);
    const replaced = statSync(cache);
    assert.notEqual(replaced.ino, spoilt.ino, 'the cache was written again');
    assert.ok(readFileSync(cache).subarray(0, 8).equals(good.subarray(0, 8)));
    assert.deepEqual(await bundled(), fresh);
    assert.equal(statSync(cache).ino, replaced.ino, 'the replacement was used');
    assert.deepEqual(strayFiles(dist), []);
  });
});
