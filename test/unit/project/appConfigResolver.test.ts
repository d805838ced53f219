import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { guessedLabel, resolveAppConfig } from '../../../server/src/project/appConfigResolver';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { ModuleFinder } from '../../../server/src/project/moduleFinder';
import { loadPythonParser, PythonParser } from '../../../server/src/python/pythonParser';
import { appsPy, fixturesDirectory, projectFolder } from '../../support/projectFolder';

describe('resolveAppConfig', function () {
  let parser: PythonParser;
  before(async function () {
    parser = await loadPythonParser();
  });

  const root = projectFolder({
    'plain/__init__.py': '',
    'single/__init__.py': '',
    'single/apps.py': appsPy('SingleConfig', 'single', 'one'),
    'chosen/__init__.py': '',
    'chosen/apps.py': [
      appsPy('ChosenConfig', 'chosen', 'not_this'),
      'class ChosenDefaultConfig(AppConfig):',
      '    default = True',
      "    name = 'chosen'",
      "    label = 'this_one'",
      '',
    ].join('\n'),
    'undecided/__init__.py': '',
    'undecided/apps.py': [appsPy('FirstConfig', 'undecided', 'first'), appsPy('SecondConfig', 'undecided', 'second')].join('\n'),
    'optout/__init__.py': '',
    'optout/apps.py': [appsPy('OptOutConfig', 'optout', 'never'), '    default = False', ''].join('\n'),
    'legacy/__init__.py': "default_app_config = 'legacy.config.LegacyConfig'\n",
    'legacy/config.py': appsPy('LegacyConfig', 'legacy', 'old_label'),
    'abstract/__init__.py': '',
    'abstract/apps.py': [
      appsPy('BaseConfig', 'abstract', 'base_label'),
      '    default = False',
      '',
      'class ExtendedConfig(BaseConfig):',
      "    label = 'extended_label'",
      '',
    ].join('\n'),
    'concrete/__init__.py': '',
    'concrete/apps.py': [
      appsPy('BaseConfig', 'concrete', 'base_label'),
      '    default = False',
      '',
      'class ConcreteConfig(BaseConfig):',
      '    default = True',
      "    label = 'concrete_label'",
      '',
    ].join('\n'),
  });
  const finder = new ModuleFinder(nodeFileSystem, [root]);
  const resolve = (entry: string, at = finder, djangoVersion = { major: 3, minor: 2 }) =>
    resolveAppConfig(entry, at, parser, nodeFileSystem, { djangoVersion });

  it('gives a package without apps.py the last part of its name as label', async function () {
    const resolved = await resolve('plain');
    assert.equal(resolved?.label, 'plain');
    assert.equal(resolved?.name, 'plain');
    assert.deepEqual(resolved?.module, {
      kind: 'package',
      directory: path.join(root, 'plain'),
      initFile: path.join(root, 'plain', '__init__.py'),
    });
  });

  it('uses the single AppConfig of apps.py and its label', async function () {
    assert.deepEqual(await resolve('single').then((r) => [r?.name, r?.label]), ['single', 'one']);
  });

  it('uses the config marked `default = True` when apps.py has two', async function () {
    assert.deepEqual(await resolve('chosen').then((r) => [r?.name, r?.label]), ['chosen', 'this_one']);
  });

  it('falls back to the plain AppConfig when apps.py has two configs and none is the default', async function () {
    assert.deepEqual(await resolve('undecided').then((r) => [r?.name, r?.label]), ['undecided', 'undecided']);
  });

  it('does not pick a config marked `default = False`', async function () {
    assert.deepEqual(await resolve('optout').then((r) => [r?.name, r?.label]), ['optout', 'optout']);
  });

  it('inherits `default` and `name` from a base class of apps.py, as attribute lookup does', async function () {
    assert.deepEqual(await resolve('abstract').then((r) => [r?.name, r?.label]), ['abstract', 'abstract']);
    assert.deepEqual(await resolve('concrete').then((r) => [r?.name, r?.label]), ['concrete', 'concrete_label']);
  });

  it('follows default_app_config of the package before Django 4.1, and ignores it from 4.1 on', async function () {
    const resolved = await resolve('legacy');
    assert.deepEqual([resolved?.name, resolved?.label], ['legacy', 'old_label']);
    assert.equal(resolved?.module?.kind === 'package' && resolved.module.directory, path.join(root, 'legacy'));
    const newer = await resolve('legacy', finder, { major: 4, minor: 1 });
    assert.deepEqual([newer?.name, newer?.label], ['legacy', 'legacy']);
  });

  it('uses the class an INSTALLED_APPS entry names by its dotted path', async function () {
    assert.deepEqual(await resolve('chosen.apps.ChosenConfig').then((r) => [r?.name, r?.label]), ['chosen', 'not_this']);
    assert.deepEqual(await resolve('legacy.config.LegacyConfig').then((r) => [r?.name, r?.label]), ['legacy', 'old_label']);
  });

  it('reads labels that differ from the folder, and apps sharing a folder name (app_labels)', async function () {
    const fixture = new ModuleFinder(nodeFileSystem, [path.join(fixturesDirectory, 'app_labels')]);
    assert.deepEqual(await resolve('store', fixture).then((r) => [r?.name, r?.label]), ['store', 'shop']);
    assert.deepEqual(await resolve('billing.core.apps.CoreConfig', fixture).then((r) => [r?.name, r?.label]), [
      'billing.core',
      'billing_core',
    ]);
    assert.deepEqual(await resolve('shipping.core', fixture).then((r) => [r?.name, r?.label]), ['shipping.core', 'shipping_core']);
    const shipping = await resolve('shipping.core', fixture);
    assert.equal(
      shipping?.module?.kind === 'package' && shipping.module.directory,
      path.join(fixturesDirectory, 'app_labels', 'shipping', 'core'),
    );
  });

  it('is undefined for what cannot be found', async function () {
    assert.equal(await resolve('django.contrib.auth'), undefined);
    assert.equal(await resolve('chosen.apps.MissingConfig'), undefined);
    assert.equal(await resolve('nowhere.apps.NowhereConfig'), undefined);
  });
});

describe('guessedLabel', function () {
  it('is the last part of a module path', function () {
    assert.equal(guessedLabel('django.contrib.auth'), 'auth');
    assert.equal(guessedLabel('rest_framework'), 'rest_framework');
  });

  it('is the app before `apps` for an AppConfig path', function () {
    assert.equal(guessedLabel('allauth.account.apps.AccountConfig'), 'account');
    assert.equal(guessedLabel('django.contrib.admin.apps.SimpleAdminConfig'), 'admin');
  });
});
