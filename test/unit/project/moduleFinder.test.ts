import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { ModuleFinder } from '../../../server/src/project/moduleFinder';
import { projectFolder } from '../../support/projectFolder';

describe('ModuleFinder', function () {
  const root = projectFolder({
    'first/shop/__init__.py': '',
    'first/shop/apps.py': '',
    'first/both/__init__.py': '',
    'first/both.py': '',
    'first/portion/notes.py': '',
    'first/plain/notes.py': '',
    'first/portion.py': '',
    'first/spaced/readme.txt': '',
    'second/shop/__init__.py': '',
    'second/spaced/__init__.py': '',
    'second/extra.py': '',
  });
  const first = path.join(root, 'first');
  const second = path.join(root, 'second');
  const finder = new ModuleFinder(nodeFileSystem, [first, second]);

  it('finds a regular package with its __init__.py', async function () {
    assert.deepEqual(await finder.find('shop'), {
      kind: 'package',
      directory: path.join(first, 'shop'),
      initFile: path.join(first, 'shop', '__init__.py'),
    });
  });

  it('finds a module file, also inside a package', async function () {
    assert.deepEqual(await finder.find('shop.apps'), { kind: 'module', file: path.join(first, 'shop', 'apps.py') });
  });

  it('prefers a regular package to a module of the same name', async function () {
    assert.equal((await finder.find('both'))?.kind, 'package');
  });

  it('prefers a module to a namespace portion in the same folder', async function () {
    assert.deepEqual(await finder.find('portion'), { kind: 'module', file: path.join(first, 'portion.py') });
  });

  it('looks through the roots in order', async function () {
    assert.deepEqual(await finder.find('extra'), { kind: 'module', file: path.join(second, 'extra.py') });
    const reversed = new ModuleFinder(nodeFileSystem, [second, first]);
    assert.deepEqual(await reversed.find('shop'), {
      kind: 'package',
      directory: path.join(second, 'shop'),
      initFile: path.join(second, 'shop', '__init__.py'),
    });
  });

  it('takes a folder without __init__.py for a namespace package when no root has more', async function () {
    assert.deepEqual(await finder.find('plain'), { kind: 'package', directory: path.join(first, 'plain') });
    assert.deepEqual(await finder.find('plain.notes'), { kind: 'module', file: path.join(first, 'plain', 'notes.py') });
    const alone = new ModuleFinder(nodeFileSystem, [first]);
    assert.deepEqual(await alone.find('spaced'), { kind: 'package', directory: path.join(first, 'spaced') });
  });

  it("lets a later root's regular package win over an earlier namespace portion, as Python does", async function () {
    // Python's path finder only settles for a namespace package when no root has a regular one.
    assert.deepEqual(await finder.find('spaced'), {
      kind: 'package',
      directory: path.join(second, 'spaced'),
      initFile: path.join(second, 'spaced', '__init__.py'),
    });
  });

  it('finds nothing for missing modules and malformed names', async function () {
    assert.equal(await finder.find('nowhere'), undefined);
    assert.equal(await finder.find('shop.nowhere'), undefined);
    assert.equal(await finder.find('shop..apps'), undefined);
    assert.equal(await finder.find(''), undefined);
  });
});
