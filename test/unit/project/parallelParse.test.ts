import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeSyntheticProject } from '../../../bench/syntheticProject';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { encodedBody, migrationHeader } from '../../../server/src/project/lazyParsedMigration';
import { loadMigrationFiles } from '../../../server/src/project/parallelParse';
import {
  AppMigrationModule,
  CheckedMigrationFile,
  readAndCheckMigration,
  readAndCheckMigrationFast,
} from '../../../server/src/project/parsedMigrationFile';
import { readWithTree } from '../../../server/src/python/lintSourceReader';
import { loadPythonParser } from '../../../server/src/python/pythonParser';
import { migrationPy, temporaryFolder } from '../../support/projectFolder';

/** Everything a checked file says, in one comparable form (the lint source apart: only the fast reader gathers it). */
const contents = ({ parsed, lintSource: _lintSource, ...file }: CheckedMigrationFile) => ({
  ...file,
  header: migrationHeader(parsed),
  body: JSON.parse(encodedBody(parsed)),
});

describe('loadMigrationFiles (the fast reader, then worker threads share out what it declines, in batches)', function () {
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
    // A closing comment is a shape only the syntax tree reads: four files in five go to the threads.
    modules.forEach(({ path: file }, index) => {
      let text = readFileSync(file, 'utf8').replace(', migrations.RunPython.noop', '');
      if (index % 5 !== 0) text += '# edited by hand\n';
      writeFileSync(file, text);
    });
    const fast = modules.filter((module) => readAndCheckMigrationFast(module) !== undefined).length;
    assert.ok(fast > 0 && modules.length - fast >= 400, `${fast} of ${modules.length} read without a tree`);
    const parser = await loadPythonParser();

    const loaded = await loadMigrationFiles(modules, nodeFileSystem, parser);
    assert.deepEqual(
      loaded.map((file) => file.path),
      modules.map((module) => module.path),
      'one result per file, in order',
    );
    loaded.forEach((file, index) => assert.deepEqual(contents(file), contents(readAndCheckMigration(modules[index], parser)), file.path));
    // What the fast reader gathered for the lint rules is what the tree reads.
    const gathered = loaded.filter((file) => file.lintSource !== undefined);
    assert.ok(gathered.length > 0, 'lint sources gathered by the fast reader');
    for (const file of gathered) assert.deepEqual(file.lintSource, readWithTree(parser, file.text!), file.path);
    assert.ok(
      loaded.some((file) => file.problems.some((problem) => problem.code === 'irreversible-operation')),
      'the per-file checks ran',
    );
  });

  it('parses a few files here within a slice, and one that needs more on a worker, the thread free meanwhile', async function () {
    this.timeout(120_000);
    const root = temporaryFolder('slice');
    const modules: AppMigrationModule[] = ['0001_initial', '0002_huge'].map((name) => ({
      app: 'shop',
      name,
      path: path.join(root, `${name}.py`),
    }));
    // A statement after the class (the fast reader declines it) that the grammar needs about a second for.
    writeFileSync(modules[0].path, `${migrationPy()}VALUES = [1]\n`);
    writeFileSync(modules[1].path, `${migrationPy([['shop', '0001_initial']])}VALUES = [\n${'    1,\n'.repeat(500_000)}]\n`);
    const parser = (await loadPythonParser()).withTimeLimit(600_000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const loaded = await loadMigrationFiles(modules, nodeFileSystem, parser).finally(() => clearInterval(timer));
    assert.ok(ticks > 0, "this thread's timers ran while the huge file was parsed");
    assert.deepEqual(
      loaded.map((file) => [file.path, file.problems.map((problem) => problem.code), file.parsed.dependencies.length]),
      [
        [modules[0].path, [], 0],
        [modules[1].path, [], 1],
      ],
    );
    // The limit the caller's parser has holds on the worker too.
    const limited = await loadMigrationFiles(modules, nodeFileSystem, parser.withTimeLimit(300));
    assert.deepEqual(
      limited.map((file) => file.problems.map((problem) => problem.code)),
      [[], ['parse-time-limit']],
    );
  });
});
