import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { readMigrationPackage } from '../../../server/src/project/migrationModules';
import { fixturesDirectory, projectFolder } from '../../support/projectFolder';

describe('readMigrationPackage', function () {
  it('lists the modules Django loads, names that are not identifiers included (odd_file_names)', async function () {
    const directory = path.join(fixturesDirectory, 'odd_file_names', 'warehouse', 'migrations');
    const found = await readMigrationPackage(nodeFileSystem, directory);
    assert.equal(found.kind, 'package');
    assert.deepEqual(
      found.kind === 'package' && found.files,
      ['0001_initial', '0002_bin_capacity', '0003_add-cold-storage', '0004_bin_temperature'].map((name) => ({
        name,
        path: path.join(directory, `${name}.py`),
      })),
    );
  });

  it('skips what pkgutil or Django skip: _ and ~ names, sub-packages, dotted names, other files', async function () {
    const folder = projectFolder({
      'migrations/__init__.py': '',
      'migrations/0002_second.py': '',
      'migrations/0001_first.py': '',
      'migrations/_draft.py': '',
      'migrations/~backup.py': '',
      'migrations/0003_copy.orig.py': '',
      'migrations/0004_notes.txt': '',
      'migrations/0005_package/__init__.py': '',
      'migrations/.py': '',
    });
    const found = await readMigrationPackage(nodeFileSystem, path.join(folder, 'migrations'));
    assert.deepEqual(found.kind === 'package' && found.files.map((file) => file.name), ['0001_first', '0002_second']);
  });

  it('calls a folder without __init__.py a namespace package, which Django ignores', async function () {
    const folder = projectFolder({ 'migrations/0001_initial.py': '' });
    assert.deepEqual(await readMigrationPackage(nodeFileSystem, path.join(folder, 'migrations')), { kind: 'namespace' });
  });

  it('calls a folder that is not there missing', async function () {
    const folder = projectFolder({ 'migrations.py': '' });
    assert.deepEqual(await readMigrationPackage(nodeFileSystem, path.join(folder, 'migrations')), { kind: 'missing' });
    assert.deepEqual(await readMigrationPackage(nodeFileSystem, path.join(folder, 'nowhere')), { kind: 'missing' });
  });

  it('holds no modules when only __init__.py is there', async function () {
    const folder = projectFolder({ 'migrations/__init__.py': '' });
    assert.deepEqual(await readMigrationPackage(nodeFileSystem, path.join(folder, 'migrations')), { kind: 'package', files: [] });
  });
});
