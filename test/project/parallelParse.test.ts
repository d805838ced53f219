import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeSyntheticProject } from '../../bench/syntheticProject';
import { nodeFileSystem } from '../../server/src/project/fileSystem';
import { loadMigrationFiles } from '../../server/src/project/parallelParse';
import { parseMigrationBytes } from '../../server/src/project/parsedMigrationFile';
import { loadPythonParser } from '../../server/src/python/pythonParser';
import { temporaryFolder } from './projectFolder';

describe('loadMigrationFiles (worker threads share out a large project in batches)', function () {
  it('gives every file its own parse, the same as one thread reading them in turn', async function () {
    const root = temporaryFolder('parallel');
    writeSyntheticProject(root, { apps: 6, migrationsPerApp: 90, crossAppEvery: 7, squashEvery: 5 });
    const files = readdirSync(root)
      .filter((name) => name.startsWith('app'))
      .flatMap((app) => readdirSync(path.join(root, app, 'migrations')).map((name) => path.join(root, app, 'migrations', name)))
      .filter((file) => file.endsWith('.py') && !file.endsWith('__init__.py'));
    assert.ok(files.length > 500, `${files.length} files: enough for the worker threads`);
    const parser = await loadPythonParser();

    const loaded = await loadMigrationFiles(files, nodeFileSystem, parser);
    assert.deepEqual(
      loaded.map((result) => (result.kind === 'parsed' ? result.file.path : result.path)),
      files,
      'one result per file, in order',
    );
    for (const result of loaded) {
      assert.equal(result.kind, 'parsed');
      if (result.kind !== 'parsed') continue;
      const alone = parseMigrationBytes(result.file.path, readFileSync(result.file.path), parser);
      // What crosses from a worker thread is JSON: compare in that form.
      assert.deepEqual(JSON.parse(JSON.stringify(result.file)), JSON.parse(JSON.stringify(alone)), result.file.path);
    }
  });
});
