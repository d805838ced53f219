import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeSyntheticProject } from '../../../bench/syntheticProject';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { encodedBody, migrationHeader } from '../../../server/src/project/lazyParsedMigration';
import { loadMigrationFiles } from '../../../server/src/project/parallelParse';
import { AppMigrationModule, CheckedMigrationFile, readAndCheckMigration } from '../../../server/src/project/parsedMigrationFile';
import { loadPythonParser } from '../../../server/src/python/pythonParser';
import { temporaryFolder } from '../../support/projectFolder';

/** Everything a checked file says, in one comparable form. */
const contents = ({ parsed, ...file }: CheckedMigrationFile) => ({
  ...file,
  header: migrationHeader(parsed),
  body: JSON.parse(encodedBody(parsed)),
});

describe('loadMigrationFiles (worker threads share out a large project in batches)', function () {
  it('gives every file its own parse and checks, the same as one thread reading them in turn', async function () {
    const root = temporaryFolder('parallel');
    writeSyntheticProject(root, { apps: 6, migrationsPerApp: 90, crossAppEvery: 7, squashEvery: 5 });
    const modules: AppMigrationModule[] = readdirSync(root)
      .filter((app) => app.startsWith('app'))
      .flatMap((app) =>
        readdirSync(path.join(root, app, 'migrations'))
          .filter((name) => name.endsWith('.py') && name !== '__init__.py')
          .map((name) => ({ app, name: name.slice(0, -3), path: path.join(root, app, 'migrations', name) })),
      );
    assert.ok(modules.length > 500, `${modules.length} files: enough for the worker threads`);
    // Data migrations without reverse code, so that the per-file checks find something.
    for (const { path: file } of modules) {
      const text = readFileSync(file, 'utf8');
      if (text.includes(', migrations.RunPython.noop')) writeFileSync(file, text.replace(', migrations.RunPython.noop', ''));
    }
    const parser = await loadPythonParser();

    const loaded = await loadMigrationFiles(modules, nodeFileSystem, parser);
    assert.deepEqual(
      loaded.map((file) => file.path),
      modules.map((module) => module.path),
      'one result per file, in order',
    );
    loaded.forEach((file, index) => assert.deepEqual(contents(file), contents(readAndCheckMigration(modules[index], parser)), file.path));
    assert.ok(
      loaded.some((file) => file.problems.some((problem) => problem.code === 'irreversible-operation')),
      'the per-file checks ran',
    );
  });
});
