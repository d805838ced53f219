import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { discoverProjects } from '../../../server/src/project/projectDiscovery';
import { scanWorkspace } from '../../../server/src/project/workspaceScan';
import { loadPythonParser } from '../../../server/src/python/pythonParser';
import { projectFolder, temporaryFolder, writeFiles } from '../../support/projectFolder';

// A scan that followed these links would read the whole disk or loop: the harness's time-out
// catches that, the assertions say what is found.
describe('scanWorkspace and symbolic links', function () {
  const outside = projectFolder({ 'lib/extra/migrations/__init__.py': '', 'other/migrations/__init__.py': '' });
  const parent = temporaryFolder('parent');
  const root = writeFiles(path.join(parent, 'site'), {
    'manage.py': '',
    'shop/migrations/__init__.py': '',
    'vendor/blog/migrations/__init__.py': '',
  });
  symlinkSync('/', path.join(root, 'disk'));
  symlinkSync(parent, path.join(root, 'shop', 'up'));
  symlinkSync(path.join(root, 'vendor'), path.join(root, 'again'));
  symlinkSync(root, path.join(root, 'vendor', 'loop'));
  symlinkSync(path.join(outside, 'lib'), path.join(root, 'lib'));
  symlinkSync(path.join(outside, 'other'), path.join(root, 'other'));
  const at = (relative: string) => path.join(root, ...relative.split('/'));

  it('follows no link to the root of the disk, an ancestor, a folder already read or itself', async function () {
    const scan = await scanWorkspace(nodeFileSystem, root);
    assert.deepEqual(scan.managePyFiles, [at('manage.py')]);
    assert.deepEqual(scan.migrationPackages, [at('shop/migrations'), at('vendor/blog/migrations')]);
    assert.equal(scan.limitReached, false);
  });

  it("follows a link into the interpreter's sys.path, once", async function () {
    const scan = await scanWorkspace(nodeFileSystem, root, [path.join(outside, 'lib')]);
    assert.deepEqual(scan.migrationPackages, [at('lib/extra/migrations'), at('shop/migrations'), at('vendor/blog/migrations')]);
  });

  it('follows a link into a folder of the workspace that only the link reaches', async function () {
    const folder = writeFiles(temporaryFolder('links'), { 'real/.hidden/app/migrations/__init__.py': '' });
    mkdirSync(path.join(folder, 'site'));
    symlinkSync(path.join(folder, 'real', '.hidden', 'app'), path.join(folder, 'site', 'app'));
    const scan = await scanWorkspace(nodeFileSystem, folder);
    assert.deepEqual(scan.migrationPackages, [path.join(folder, 'site', 'app', 'migrations')]);
  });

  it('stops at its cap of entries and says so', async function () {
    const files: Record<string, string> = {};
    for (let index = 0; index < 60; index++) files[`app${index}/migrations/__init__.py`] = '';
    const folder = projectFolder(files);
    const scan = await scanWorkspace(nodeFileSystem, folder, [], 50);
    assert.equal(scan.limitReached, true);
    assert.ok(scan.migrationPackages.length < 60);
    assert.equal((await scanWorkspace(nodeFileSystem, folder)).limitReached, false);
  });
});

describe('discoverProjects at the scan cap', function () {
  it('says that the search stopped when it found no project before its cap', async function () {
    const files: Record<string, string> = { 'zz/site/manage.py': '', 'zz/site/shop/migrations/__init__.py': '' };
    for (let index = 0; index < 60; index++) files[`data${index}/file.txt`] = '';
    const folder = projectFolder(files);
    const parser = await loadPythonParser();
    const told: string[] = [];
    const onScanLimit = (message: string) => told.push(message);
    assert.deepEqual(await discoverProjects(folder, { fileSystem: nodeFileSystem, parser, maxScannedEntries: 50, onScanLimit }), []);
    assert.equal(told.length, 1);
    assert.match(told[0], /No Django project found in .* within its first 50 files and folders/);
    told.length = 0;
    const found = await discoverProjects(folder, { fileSystem: nodeFileSystem, parser, onScanLimit });
    assert.deepEqual(
      found.map(({ project }) => path.relative(folder, project.root)),
      [path.join('zz', 'site')],
    );
    assert.deepEqual(told, []);
  });
});
