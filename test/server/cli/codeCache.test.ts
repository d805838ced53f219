import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { distCopy, strayFiles } from '../../support/distCopy';
import { appFiles, managePy, projectFolder, repositoryRoot, settingsPy, temporaryFolder } from '../../support/projectFolder';
import { CliResult } from './cliProcess';

const INITIAL =
  'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n    initial = True\n\n    dependencies = []\n\n' +
  "    operations = [\n        migrations.CreateModel(name='Book', fields=[('id', models.AutoField(primary_key=True))]),\n    ]\n";

const SQLITE = "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}";

/** Raw SQL without a reverse: a finding, so that the answer is more than a clean run. */
const RUN_SQL =
  "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n\n    dependencies = [('library', '0001_initial')]\n\n" +
  "    operations = [\n        migrations.RunSQL('UPDATE library_book SET id = id'),\n    ]\n";

/** The code cache of the engine, as the CLI run by this Node names it. */
const CODE_CACHE = `cliMain.js.${process.version}-${process.arch}.v8cache`;

function runCli(dist: string, args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(dist, 'cli.js'), ...args], { cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const answer = ({ code, stdout, stderr }: CliResult) => ({ code, stdout, stderr });

describe('the CLI engine bundle: its V8 code cache', function () {
  this.timeout(60_000);

  let root: string;
  let dist: string;
  let fresh: CliResult;
  const check = (options: readonly string[] = []) => runCli(dist, ['check', root, ...options], root);

  before(async function () {
    root = projectFolder({
      'manage.py': managePy('site_config.settings'),
      'site_config/__init__.py': '',
      'site_config/settings.py': settingsPy(['library'], SQLITE),
      ...appFiles('library', { '0001_initial': INITIAL, '0002_touch_ids': RUN_SQL }),
    });
    // The answer of the CLI as built, which never sees this test's copies.
    fresh = await runCli(path.join(repositoryRoot, 'dist'), ['check', root], root);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.match(fresh.stdout, /0002_touch_ids\.py/);
    assert.equal(fresh.stderr, '');
  });

  beforeEach(function () {
    dist = distCopy();
  });

  it('is written by a first run and read by the next, with the same answer', async function () {
    const cache = path.join(dist, CODE_CACHE);
    assert.ok(!existsSync(cache));
    assert.deepEqual(answer(await check()), answer(fresh));
    assert.ok(statSync(cache).size > 0, 'the first run kept a code cache');
    const written = statSync(cache);
    assert.deepEqual(answer(await check()), answer(fresh));
    // A cache V8 took is not written again (a rewrite is a rename: a new inode).
    assert.equal(statSync(cache).ino, written.ino, 'the second run used the cache');
    assert.deepEqual(strayFiles(dist), []);
  });

  for (const [damage, spoil] of [
    ['truncated', (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1)],
    ['corrupt', (bytes: Buffer) => Buffer.from(bytes.map((byte, index) => (index > 200 ? byte ^ 0x5a : byte)))],
    [
      'of another bundle',
      (bytes: Buffer) => Buffer.concat([Buffer.from('v8cache another build\n'), bytes.subarray(bytes.indexOf(10) + 1)]),
    ],
  ] as const) {
    it(`is replaced when ${damage}, and the answer stays right`, async function () {
      const cache = path.join(dist, CODE_CACHE);
      await check();
      const good = readFileSync(cache);
      writeFileSync(cache, spoil(good));
      const spoilt = statSync(cache);
      assert.deepEqual(answer(await check()), answer(fresh));
      const replaced = statSync(cache);
      assert.notEqual(replaced.ino, spoilt.ino, 'the cache was written again');
      assert.ok(readFileSync(cache).subarray(0, 8).equals(good.subarray(0, 8)));
      assert.deepEqual(answer(await check()), answer(fresh));
      assert.equal(statSync(cache).ino, replaced.ino, 'the replacement was used');
    });
  }

  it('is no cache where it cannot be written, and the answer stays right', async function () {
    // A folder in the cache's place: it can be neither read nor renamed onto (even by root).
    const cache = path.join(dist, CODE_CACHE);
    mkdirSync(path.join(cache, 'in-the-way'), { recursive: true });
    assert.deepEqual(answer(await check()), answer(fresh));
    assert.ok(statSync(cache).isDirectory());
    assert.deepEqual(strayFiles(dist), []);
    rmSync(cache, { recursive: true });

    // A folder without write permission (which root writes to all the same).
    chmodSync(dist, 0o555);
    try {
      assert.deepEqual(answer(await check()), answer(fresh));
      assert.deepEqual(answer(await check()), answer(fresh));
      if (process.getuid?.() !== 0) assert.ok(!existsSync(cache));
      assert.deepEqual(strayFiles(dist), []);
    } finally {
      chmodSync(dist, 0o755);
    }
  });

  it('is no input of the kept answer of check --cache-dir', async function () {
    const cacheDirectory = temporaryFolder('answer-cache');
    const parsed = () => readdirSync(cacheDirectory).filter((name) => name.startsWith('parsed-migrations-'));
    const kept = () => readdirSync(cacheDirectory).some((name) => name.startsWith('check-answer-'));
    // A run may decline to keep its answer (a parse that went to a worker thread): run again.
    for (let attempt = 0; attempt < 3 && !kept(); attempt++) {
      rmSync(path.join(dist, CODE_CACHE), { force: true });
      assert.deepEqual(answer(await check(['--cache-dir', cacheDirectory])), answer(fresh));
    }
    assert.ok(kept(), 'an answer was kept');
    assert.ok(existsSync(path.join(dist, CODE_CACHE)), 'the code cache was written after the answer was recorded');
    for (const name of parsed()) rmSync(path.join(cacheDirectory, name));
    assert.deepEqual(answer(await check(['--cache-dir', cacheDirectory])), answer(fresh));
    assert.deepEqual(parsed(), [], 'the kept answer was printed without running the engine');
  });
});
