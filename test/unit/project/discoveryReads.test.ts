import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { EditedTextParser, MAX_TEXT_ON_THREAD } from '../../../server/src/project/editedTextParser';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { discoverProjects } from '../../../server/src/project/projectDiscovery';
import { readSettings, unreadSettings } from '../../../server/src/project/settingsReader';
import { loadPythonParser, ParseTimeLimitError, PythonParser } from '../../../server/src/python/pythonParser';
import { appFiles, appsPy, managePy, migrationPy, projectFolder, settingsPy } from '../../support/projectFolder';

/** Far past any slice and past `MAX_TEXT_ON_THREAD`: such a text is parsed on a worker only (about 0.17 s per 100,000 lines). */
const HUGE = `VALUES = [\n${'    1,\n'.repeat(300_000)}]\n`;

const BASE = settingsPy(
  ['shop', 'django.contrib.auth'],
  "MIGRATION_MODULES = {'shop': 'shop.db_migrations', 'auth': None}",
  "AUTH_USER_MODEL = 'shop.Customer'",
  "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}",
);

/** A parser that records the length of every text parsed through it (and through the parsers it makes). */
function recording(parser: PythonParser, lengths: number[]): PythonParser {
  return {
    parse: (text) => (lengths.push(text.length), parser.parse(text)),
    withTree: (text, read) => (lengths.push(text.length), parser.withTree(text, read)),
    withTimeLimit: (ms) => recording(parser.withTimeLimit(ms), lengths),
    limitMs: parser.limitMs,
  };
}

describe('project discovery reads manage.py, settings and app configs within a slice, else on a worker', function () {
  this.timeout(180_000);
  let parser: PythonParser;
  before(async function () {
    parser = await loadPythonParser();
  });

  it('settings: a worker reads what this thread reads, star-imports followed from the import roots', async function () {
    const root = projectFolder({ 'site/__init__.py': '', 'site/base.py': BASE, 'site/settings.py': 'from .base import *\n' });
    const file = path.join(root, 'site', 'settings.py');
    const here = readSettings(parser, file, 'from site.base import *\n', [root]);
    assert.deepEqual(
      here.installedApps?.map((entry) => entry.value),
      ['shop', 'django.contrib.auth'],
    );
    const reading = new EditedTextParser(600_000);
    const small = reading.read('settings', parser, file, 'from site.base import *\n', undefined, { file, roots: [root] });
    assert.ok(!(small instanceof Promise), 'a small module is read on this thread');
    assert.deepEqual(small, here);

    const onWorker = await reading.readFile('settings', parser, { file, roots: [root] }, `from site.base import *\n${HUGE}`);
    assert.deepEqual(
      onWorker.installedApps?.map((entry) => entry.value),
      ['shop', 'django.contrib.auth'],
    );
    // Maps and nested records cross threads intact.
    assert.deepEqual(
      onWorker.migrationModules,
      new Map([
        ['shop', 'shop.db_migrations'],
        ['auth', null],
      ]),
    );
    assert.equal(onWorker.authUserModel, 'shop.Customer');
    assert.deepEqual(onWorker.databases, here.databases);
    assert.deepEqual(onWorker.files, [file, path.join(root, 'site', 'base.py')]);
    assert.deepEqual(onWorker.overTimeLimit, []);
    reading.dispose();
  });

  it('settings over the full limit: unknown, as a module over the limit on this thread reads', async function () {
    const root = projectFolder({ 'settings.py': BASE + HUGE });
    const file = path.join(root, 'settings.py');
    const limited = parser.withTimeLimit(250);
    const here = readSettings(limited, file, BASE + HUGE, [root]);
    assert.deepEqual(here.overTimeLimit, [{ path: file, message: new ParseTimeLimitError(250).message }]);
    assert.deepEqual(unreadSettings(file, new ParseTimeLimitError(250).message), here);

    const onWorker = await new EditedTextParser(250).readFile('settings', parser, { file, roots: [root] }, BASE + HUGE);
    assert.deepEqual(onWorker, here);
  });

  it('manage.py and app configs: a worker reads them, and says when one runs out of time', async function () {
    const reading = new EditedTextParser(600_000);
    assert.deepEqual(await reading.readFile('manage', parser, { file: '/p/manage.py' }, managePy('site.settings') + HUGE), {
      settingsModule: 'site.settings',
    });
    const apps = await reading.readFile('appConfigs', parser, { file: '/p/shop/apps.py' }, appsPy('ShopConfig', 'shop', 'store') + HUGE);
    assert.deepEqual(
      apps.configs.map((config) => [config.className, config.name, config.label]),
      [['ShopConfig', 'shop', 'store']],
    );

    const limited = new EditedTextParser(250);
    const message = new ParseTimeLimitError(250).message;
    assert.deepEqual(await limited.readFile('manage', parser, { file: '/p/manage.py' }, managePy('site.settings') + HUGE), {
      overTimeLimit: message,
    });
    const unread = await limited.readFile('appConfigs', parser, { file: '/p/shop/apps.py' }, appsPy('ShopConfig', 'shop') + HUGE);
    assert.deepEqual([unread.configs, unread.overTimeLimit], [[], message]);
    reading.dispose();
  });

  it('discovery never parses a huge manage.py, settings module or apps.py on this thread, and reads each in full', async function () {
    const root = projectFolder({
      'manage.py': managePy('site_settings') + HUGE,
      'site_settings.py': settingsPy(['shop']) + HUGE,
      ...appFiles('shop', { '0001_initial': migrationPy() }, appsPy('ShopConfig', 'shop', 'store') + HUGE),
    });
    const lengths: number[] = [];
    const [{ project, settings }] = await discoverProjects(root, {
      fileSystem: nodeFileSystem,
      parser: recording(parser.withTimeLimit(600_000), lengths),
    });
    assert.equal(project.settingsModule, 'site_settings');
    assert.deepEqual(
      settings?.installedApps?.map((entry) => entry.value),
      ['shop'],
    );
    assert.deepEqual(
      project.apps.map((app) => app.label),
      ['store'],
    );
    assert.deepEqual(project.problems, []);
    assert.ok(
      lengths.every((length) => length <= MAX_TEXT_ON_THREAD),
      `parsed here: ${lengths.filter((length) => length > MAX_TEXT_ON_THREAD)}`,
    );
  });
});
