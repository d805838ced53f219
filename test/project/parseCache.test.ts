import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadProjects } from '../../server/src/project/projectLoader';
import { copyFixture, temporaryFolder } from './projectFolder';

/** Loads the project with a cache folder and waits for the cache file to be written. */
async function load(folder: string, cacheDirectory: string) {
  const [project] = await loadProjects(folder, { trusted: false, readDatabase: false, cacheDirectory });
  for (let i = 0; i < 100 && readdirSync(cacheDirectory).every((name) => name.endsWith('.tmp')); i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
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
    assert.equal(readdirSync(cacheDirectory).filter((name) => name.endsWith('.json')).length, 1);

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

  it('ignores a cache it cannot read', async function () {
    const folder = copyFixture('linear');
    const cacheDirectory = temporaryFolder('cache');
    await load(folder, cacheDirectory);
    const [cacheFile] = readdirSync(cacheDirectory);
    writeFileSync(path.join(cacheDirectory, cacheFile), '{"format": 1, "entries": ');
    const project = await load(folder, cacheDirectory);
    assert.equal(project.analyse().loaded.diskMigrations.size, 3);
  });
});
