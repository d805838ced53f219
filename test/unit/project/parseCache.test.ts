import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { contentHash, ParseCache } from '../../../server/src/project/parseCache';
import { readAndCheckMigrationFast } from '../../../server/src/project/parsedMigrationFile';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { waitUntil } from '../../support/waitFor';
import { copyFixture, temporaryFolder } from '../../support/projectFolder';

/** Loads the project with a cache folder and waits until a cache file is there, whole. */
async function load(folder: string, cacheDirectory: string) {
  const [project] = await loadProjects(folder, { trusted: false, cacheDirectory });
  await waitUntil('the parse cache', () => {
    const names = readdirSync(cacheDirectory);
    return names.some((name) => name.endsWith('.cache')) && !names.some((name) => name.endsWith('.tmp'));
  });
  return project;
}

function onlyCacheFile(cacheDirectory: string): string {
  const names = readdirSync(cacheDirectory).filter((name) => name.endsWith('.cache'));
  assert.equal(names.length, 1);
  return path.join(cacheDirectory, names[0]);
}

/** Waits until no write of the cache is under way, after giving a pending one time to start. */
async function settled(cacheDirectory: string): Promise<void> {
  const writing = () => {
    const names = readdirSync(cacheDirectory);
    return !names.some((name) => name.endsWith('.cache')) || names.some((name) => name.endsWith('.tmp'));
  };
  await waitUntil('the cache written', () => !writing());
  await new Promise((resolve) => setTimeout(resolve, 300));
  await waitUntil('the cache written', () => !writing());
}

const operationsOf = (project: Awaited<ReturnType<typeof load>>, file: string) =>
  project.migrationAt(file)!.parsed.operations.map((operation) => operation.type);

describe('ParseCache (parsed migrations kept between runs)', function () {
  it('uses a file parsed earlier while its bytes are unchanged, and parses it again once they change, even at the same size and time', async function () {
    const folder = copyFixture('linear');
    const cacheDirectory = temporaryFolder('cache');
    const file = path.join(folder, 'shop', 'migrations', '0002_product_price.py');
    // A whole-second time, so that setting it again gives the very same time.
    const when = new Date('2024-05-01T10:00:00Z');
    utimesSync(file, when, when);
    const first = await load(folder, cacheDirectory);
    assert.deepEqual(operationsOf(first, file), ['AddField']);
    assert.deepEqual(first.analyse().problems, []);
    const cacheFile = onlyCacheFile(cacheDirectory);

    // Nothing changed: every file is served from the cache, which is not written again.
    const before = statSync(cacheFile);
    await load(folder, cacheDirectory);
    await settled(cacheDirectory);
    assert.equal(statSync(cacheFile).ino, before.ino, 'not rewritten: every entry was used');

    // Same size and time, other text (an edit within the clock's resolution): parsed again.
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace("('shop', '0001_initial')", "('shop', '0001_initiax')"));
    utimesSync(file, when, when);
    const edited = await load(folder, cacheDirectory);
    assert.deepEqual(
      edited.analyse().problems.map((problem) => [path.basename(problem.file), problem.code]),
      [['0002_product_price.py', 'missing-dependency']],
    );
    await waitUntil('the cache rewritten with the new entry', () => statSync(cacheFile).ino !== before.ino);

    // And back: the old findings, not the edited file's.
    writeFileSync(file, original);
    utimesSync(file, when, when);
    assert.deepEqual((await load(folder, cacheDirectory)).analyse().problems, []);
  });

  it('gives the same answer with a corrupt cache as with none', async function () {
    const folder = copyFixture('missing_dependency');
    const expected = (await loadProjects(folder, { trusted: false }))[0].analyse().problems;
    assert.ok(expected.length > 0);
    const cacheDirectory = temporaryFolder('cache');
    await load(folder, cacheDirectory);
    const cacheFile = onlyCacheFile(cacheDirectory);
    const written = readFileSync(cacheFile);
    // A byte changed inside the last migration's body, which is read only when something asks for it.
    const changed = Buffer.from(written);
    changed[changed.length - 3] ^= 0xff;
    for (const broken of [
      Buffer.alloc(0),
      Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x01]),
      changed,
      Buffer.from('null\n'),
      Buffer.from('{}\n'),
    ]) {
      writeFileSync(cacheFile, broken);
      const project = await load(folder, cacheDirectory);
      assert.deepEqual(project.analyse().problems, expected);
    }
  });

  it('keeps one whole cache when two loads write it at once', async function () {
    const folder = copyFixture('squashed');
    const cacheDirectory = temporaryFolder('cache');
    const expected = (await loadProjects(folder, { trusted: false }))[0].analyse().problems;
    for (let round = 0; round < 3; round++) {
      // Both parse every file and write the cache at the same time, from one process.
      const both = await Promise.all([
        loadProjects(folder, { trusted: false, cacheDirectory }),
        loadProjects(folder, { trusted: false, cacheDirectory }),
      ]);
      for (const [project] of both) assert.deepEqual(project.analyse().problems, expected);
      await settled(cacheDirectory);
      const cacheFile = onlyCacheFile(cacheDirectory);
      const before = statSync(cacheFile).ino;
      // The file left is whole: the next load uses every entry and writes nothing.
      assert.deepEqual((await load(folder, cacheDirectory)).analyse().problems, expected);
      await settled(cacheDirectory);
      assert.equal(statSync(cacheFile).ino, before);
      rmSync(cacheFile);
    }
  });

  it('ignores a cache it cannot read: unfinished index, or bodies cut short', async function () {
    const folder = copyFixture('linear');
    const cacheDirectory = temporaryFolder('cache');
    const expected = (await load(folder, cacheDirectory)).analyse().problems;
    const [cacheFile] = readdirSync(cacheDirectory);
    const written = readFileSync(path.join(cacheDirectory, cacheFile));
    for (const broken of [Buffer.from('{"format": 3, "entries": '), written.subarray(0, written.length - 10)]) {
      writeFileSync(path.join(cacheDirectory, cacheFile), broken);
      const project = await load(folder, cacheDirectory);
      assert.equal(project.analyse().loaded.diskMigrations.size, 3);
      assert.deepEqual(project.analyse().problems, expected);
    }
  });

  it('is written when the loader says so (the server: after its first diagnostics), from the bytes it parsed', async function () {
    const folder = copyFixture('linear');
    const cacheDirectory = temporaryFolder('cache');
    const saves: (() => Promise<void>)[] = [];
    const [project] = await loadProjects(folder, { trusted: false, cacheDirectory, keepParseCache: (save) => saves.push(save) });
    assert.equal(saves.length, 1, 'one write for the one project');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(readdirSync(cacheDirectory), [], 'nothing written before the write is asked for');
    await saves[0]();
    const cacheFile = onlyCacheFile(cacheDirectory);
    const before = statSync(cacheFile).ino;

    // The entries written are those of the load: the next load uses every one and writes nothing.
    assert.deepEqual((await load(folder, cacheDirectory)).analyse().problems, project.analyse().problems);
    await settled(cacheDirectory);
    assert.equal(statSync(cacheFile).ino, before);
  });

  it('writes a snapshot: what is set while a write is under way is written by the next', async function () {
    const folder = copyFixture('linear');
    const cacheDirectory = temporaryFolder('cache');
    const [first, second] = ['0001_initial', '0002_product_price'].map((name) => path.join(folder, 'shop', 'migrations', `${name}.py`));
    const entry = (file: string) => {
      const checked = readAndCheckMigrationFast({ path: file, name: path.basename(file, '.py'), app: 'shop' });
      assert.ok(checked);
      const { fingerprint, invalidUtf8, parsed, app, problems } = checked;
      return { fingerprint, invalidUtf8, parsed, app, problems, contentHash: contentHash(readFileSync(file)) };
    };
    const kept = async (file: string) =>
      (await ParseCache.open(cacheDirectory, folder)).get(file, { contentHash: contentHash(readFileSync(file)) })?.parsed.operations.length;

    const cache = await ParseCache.open(cacheDirectory, folder);
    cache.set(first, entry(first));
    const writing = cache.save();
    cache.set(second, entry(second));
    await writing;
    assert.equal(await kept(first), 1);
    assert.equal(await kept(second), undefined, 'set after the write began');
    await cache.save();
    assert.equal(await kept(first), 1);
    assert.equal(await kept(second), 1);
  });

  it('removes what a writer that stopped before finishing left, and nothing another running process writes', async function () {
    const folder = copyFixture('linear');
    const cacheDirectory = temporaryFolder('cache');
    await load(folder, cacheDirectory);
    const cacheFile = onlyCacheFile(cacheDirectory);
    const stopped = spawnSync(process.execPath, ['-e', '0']).pid!;
    const abandoned = `${cacheFile}.${stopped}.abc123.tmp`;
    const running = `${cacheFile}.${process.ppid}.def456.tmp`;
    const other = path.join(cacheDirectory, `unrelated.${stopped}.tmp`);
    for (const file of [abandoned, running, other]) writeFileSync(file, 'partial');

    // A new file: the next load has something to write.
    writeFileSync(path.join(folder, 'shop', 'migrations', '0004_empty.py'), 'from django.db import migrations\n');
    const saves: (() => Promise<void>)[] = [];
    await loadProjects(folder, { trusted: false, cacheDirectory, keepParseCache: (save) => saves.push(save) });
    await Promise.all(saves.map((save) => save()));
    assert.ok(!existsSync(abandoned), "the stopped writer's file is removed");
    assert.ok(existsSync(running), 'a running process may still rename its file');
    assert.ok(existsSync(other), "another file is not the cache's");
  });

  it('keeps what the per-file checks found, and runs them again when the app label changes', async function () {
    const folder = copyFixture('run_python_run_sql');
    const cacheDirectory = temporaryFolder('cache');
    const messages = (project: Awaited<ReturnType<typeof load>>) =>
      project
        .analyse()
        .problems.filter((problem) => problem.code === 'irreversible-operation')
        .map((problem) => problem.message);
    const first = messages(await load(folder, cacheDirectory));
    assert.ok(first.length > 0 && first.every((message) => message.includes('migrating ledger back')), first.join('\n'));
    assert.deepEqual(messages(await load(folder, cacheDirectory)), first, 'from the cache');

    // Same migration files, new label: the messages name the new one.
    const apps = path.join(folder, 'ledger', 'apps.py');
    writeFileSync(
      apps,
      `from django.apps import AppConfig\n\n\nclass LedgerConfig(AppConfig):\n    name = 'ledger'\n    label = 'books'\n`,
    );
    const relabelled = messages(await load(folder, cacheDirectory));
    assert.equal(relabelled.length, first.length);
    assert.ok(
      relabelled.every((message) => message.includes('migrating books back')),
      relabelled.join('\n'),
    );
  });
});
