import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
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

const operationsOf = (project: Awaited<ReturnType<typeof load>>, file: string) =>
  project.migrationAt(file)!.parsed.operations.map((operation) => operation.type);

describe('ParseCache (parsed migrations kept between runs)', function () {
  it('uses a file parsed earlier while its size and time are unchanged, and parses it again once they change', async function () {
    const folder = copyFixture('linear');
    const cacheDirectory = temporaryFolder('cache');
    const file = path.join(folder, 'shop', 'migrations', '0002_product_price.py');
    // A whole-second time, so that setting it again gives the very same time.
    const when = new Date('2024-05-01T10:00:00Z');
    utimesSync(file, when, when);
    const first = await load(folder, cacheDirectory);
    assert.deepEqual(operationsOf(first, file), ['AddField']);
    assert.equal(readdirSync(cacheDirectory).filter((name) => name.endsWith('.cache')).length, 1);

    // Same size and time, other text: only a cache read gives the old answer.
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('migrations.AddField', 'migrations.RunSQL__'));
    utimesSync(file, when, when);
    assert.deepEqual(operationsOf(await load(folder, cacheDirectory), file), ['AddField'], 'read from the cache');

    // A new modification time: parsed again.
    const later = new Date(when.getTime() + 5_000);
    utimesSync(file, later, later);
    assert.deepEqual(operationsOf(await load(folder, cacheDirectory), file), ['RunSQL__']);
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
