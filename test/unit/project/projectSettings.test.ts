import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { ModuleFinder } from '../../../server/src/project/moduleFinder';
import { readProjectSettings } from '../../../server/src/project/projectSettings';
import { loadPythonParser, PythonParser } from '../../../server/src/python/pythonParser';
import { projectFolder } from '../../support/projectFolder';

describe('readProjectSettings', function () {
  let parser: PythonParser;
  before(async function () {
    parser = await loadPythonParser();
  });

  const root = projectFolder({
    'config/__init__.py': '',
    'config/settings/__init__.py': 'from .production import *\n',
    'config/settings/base.py': [
      "INSTALLED_APPS = ['shop', 'blog']",
      "MIGRATION_MODULES = {'blog': 'blog.db_migrations'}",
      "AUTH_USER_MODEL = 'accounts.User'",
      '',
    ].join('\n'),
    'config/settings/production.py': "from .base import *\nINSTALLED_APPS += ['reports']\n",
    'config/settings/nested/local.py': "from ..base import *\nMIGRATION_MODULES = {'shop': None}\n",
    'config/absolute.py': 'from common.settings import *\n',
    'common/__init__.py': '',
    'common/settings.py': "INSTALLED_APPS = ['common_app']\n",
    'config/broken.py': "from .nowhere import *\nINSTALLED_APPS = ['only']\n",
  });
  const read = (module: string, roots = [root]) =>
    readProjectSettings(module, new ModuleFinder(nodeFileSystem, roots), parser, nodeFileSystem);
  const apps = (settings: Awaited<ReturnType<typeof read>>) => settings?.installedApps?.map((entry) => entry.value);

  it('reads a settings package that star-imports its parts (`from .base import *`)', async function () {
    const settings = await read('config.settings');
    assert.equal(settings?.file, path.join(root, 'config', 'settings', '__init__.py'));
    assert.deepEqual(apps(settings), ['shop', 'blog', 'reports']);
    assert.deepEqual([...settings!.migrationModules], [['blog', 'blog.db_migrations']]);
    assert.equal(settings!.authUserModel, 'accounts.User');
    assert.deepEqual(settings!.files, [
      path.join(root, 'config', 'settings', '__init__.py'),
      path.join(root, 'config', 'settings', 'production.py'),
      path.join(root, 'config', 'settings', 'base.py'),
    ]);
  });

  it('follows `from ..base import *` two levels up', async function () {
    const settings = await read('config.settings.nested.local');
    assert.deepEqual(apps(settings), ['shop', 'blog']);
    assert.deepEqual([...settings!.migrationModules], [['shop', null]]);
  });

  it('follows an absolute star import through the import roots', async function () {
    assert.deepEqual(apps(await read('config.absolute')), ['common_app']);
  });

  it('reads on when a star-imported module is missing', async function () {
    assert.deepEqual(apps(await read('config.broken')), ['only']);
  });

  it('is undefined for a settings module that does not exist', async function () {
    assert.equal(await read('config.nowhere'), undefined);
    assert.equal(await read('nowhere.settings'), undefined);
  });
});
