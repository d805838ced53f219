import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { ModuleSource, ReadModule } from '../../../server/src/python/moduleInterpreter';
import { parseSettings, StaticSettings } from '../../../server/src/python/settingsParser';
import { pythonParser, range } from './pythonTestParser';

const ROOT = path.resolve('/projects/shop');

/**
 * Modules in memory, by dotted name below ROOT; imports resolve as Python resolves them
 * (relative names against the importing module's package).
 */
function project(files: Record<string, string>): { read: ReadModule; source(module: string): ModuleSource; requests: string[] } {
  const byPath = new Map(Object.entries(files).map(([module, text]) => [modulePath(module), text]));
  const requests: string[] = [];
  const read: ReadModule = (moduleName, fromFile) => {
    requests.push(moduleName);
    let absolute = moduleName;
    if (moduleName.startsWith('.')) {
      const dots = moduleName.length - moduleName.replace(/^\.+/, '').length;
      const from = path.relative(ROOT, fromFile).replace(/\.py$/, '').split(path.sep);
      const isPackage = from[from.length - 1] === '__init__';
      const base = from.slice(0, from.length - (isPackage ? 1 : 1) - (dots - 1));
      absolute = [...base, moduleName.slice(dots)].filter(Boolean).join('.');
    }
    for (const candidate of [modulePath(absolute), modulePath(`${absolute}.__init__`)]) {
      const text = byPath.get(candidate);
      if (text !== undefined) return { path: candidate, text };
    }
    return undefined;
  };
  return { read, requests, source: (module) => ({ path: modulePath(module), text: files[module] }) };
}

function modulePath(module: string): string {
  return path.join(ROOT, ...module.split('.')) + '.py';
}

const apps = (settings: StaticSettings) => settings.installedApps?.map((entry) => entry.value);
const descriptions = (settings: StaticSettings) => settings.dynamic.map((d) => d.description);

describe('parseSettings', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await pythonParser();
  });

  function settingsOf(files: Record<string, string>, module = 'mysite.settings'): StaticSettings {
    const { read, source } = project(files);
    return parseSettings(parser, source(module), read);
  }

  const STARTPROJECT = `"""Django settings for mysite project."""
from pathlib import Path

# Build paths inside the project like this: BASE_DIR / 'subdir'.
BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = 'django-insecure-x'
DEBUG = True

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    "shop.apps.ShopConfig",
]

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': BASE_DIR / 'db.sqlite3',
    }
}

AUTH_USER_MODEL = 'accounts.User'
MIGRATION_MODULES = {'shop': 'shop.db_migrations', 'legacy': None}
`;

  describe('a settings module as startproject writes it', () => {
    it('reads INSTALLED_APPS with the range of each entry', () => {
      const settings = settingsOf({ 'mysite.settings': STARTPROJECT });
      assert.deepEqual(apps(settings), ['django.contrib.admin', 'django.contrib.auth', 'shop.apps.ShopConfig']);
      assert.equal(settings.installedAppsDynamic, false);
      const file = modulePath('mysite.settings');
      assert.deepEqual(settings.installedApps?.[0].location, { path: file, range: range(10, 4, 10, 26) });
      assert.deepEqual(settings.installedApps?.[2].location, { path: file, range: range(12, 4, 12, 26) });
      assert.deepEqual(settings.locations.INSTALLED_APPS, { path: file, range: range(9, 0, 13, 1) });
      assert.equal(settings.file, file);
      assert.deepEqual(settings.files, [file]);
      assert.deepEqual(settings.dynamic, []);
      assert.deepEqual(settings.syntaxErrors, []);
    });

    it('reads DATABASES, resolving the SQLite file from BASE_DIR', () => {
      const settings = settingsOf({ 'mysite.settings': STARTPROJECT });
      assert.deepEqual(settings.databases, {
        default: { ENGINE: 'django.db.backends.sqlite3', NAME: path.join(ROOT, 'db.sqlite3') },
      });
    });

    it('reads AUTH_USER_MODEL and MIGRATION_MODULES', () => {
      const settings = settingsOf({ 'mysite.settings': STARTPROJECT });
      assert.equal(settings.authUserModel, 'accounts.User');
      assert.deepEqual(
        [...settings.migrationModules],
        [
          ['shop', 'shop.db_migrations'],
          ['legacy', null],
        ],
      );
    });

    it('leaves what is not set undefined or empty', () => {
      const settings = settingsOf({ 'mysite.settings': `DEBUG = True\n` });
      assert.equal(settings.installedApps, undefined);
      assert.equal(settings.authUserModel, undefined);
      assert.deepEqual(settings.databases, {});
      assert.equal(settings.migrationModules.size, 0);
    });
  });

  describe('the SQLite file name', () => {
    const cases: [what: string, setup: string, name: string, expected: string][] = [
      [
        'os.path, as Django 2 wrote it',
        'import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))',
        "os.path.join(BASE_DIR, 'db.sqlite3')",
        path.join(ROOT, 'db.sqlite3'),
      ],
      [
        'str() of a path',
        'from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent',
        "str(BASE_DIR / 'db.sqlite3')",
        path.join(ROOT, 'db.sqlite3'),
      ],
      [
        'three parents',
        'from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent.parent',
        "BASE_DIR / 'data' / 'db.sqlite3'",
        path.join(path.dirname(ROOT), 'data', 'db.sqlite3'),
      ],
      [
        'parents[n]',
        'import pathlib\nBASE_DIR = pathlib.Path(__file__).resolve().parents[1]',
        "BASE_DIR.joinpath('db.sqlite3')",
        path.join(ROOT, 'db.sqlite3'),
      ],
      ['a plain absolute string', '', "'/var/lib/shop/db.sqlite3'", '/var/lib/shop/db.sqlite3'],
      ['a plain relative string, kept as written', '', "'db.sqlite3'", 'db.sqlite3'],
      ['an in-memory database', '', "':memory:'", ':memory:'],
    ];
    for (const [what, setup, name, expected] of cases) {
      it(what, () => {
        const settings = settingsOf({
          'mysite.settings': `${setup}\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ${name}}}\n`,
        });
        assert.deepEqual(settings.databases.default?.NAME, expected);
        assert.deepEqual(settings.dynamic, []);
      });
    }
  });

  describe('values from the environment', () => {
    it('records each variable with its default', () => {
      const settings = settingsOf({
        'mysite.settings': `import os
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': os.environ['DB_NAME'],
        'USER': os.environ.get('DB_USER', 'shop'),
        'PASSWORD': os.getenv('DB_PASSWORD'),
        'HOST': os.environ.get('DB_HOST') or 'localhost',
        'PORT': int(os.environ.get('DB_PORT', 5432)),
        'OPTIONS': {'sslmode': 'prefer', 'connect_timeout': 5},
    },
}
`,
      });
      assert.deepEqual(settings.databases.default, {
        ENGINE: 'django.db.backends.postgresql',
        NAME: { fromEnvironment: 'DB_NAME' },
        USER: { fromEnvironment: 'DB_USER', default: 'shop' },
        PASSWORD: { fromEnvironment: 'DB_PASSWORD', default: null },
        HOST: { fromEnvironment: 'DB_HOST', default: 'localhost' },
        PORT: { fromEnvironment: 'DB_PORT', default: 5432 },
        OPTIONS: { sslmode: 'prefer', connect_timeout: 5 },
      });
      assert.deepEqual(settings.dynamic, []);
    });

    it('reads `from os import environ` and getenv', () => {
      const settings = settingsOf({
        'mysite.settings': `from os import environ, getenv\nDATABASES = {'default': {'NAME': environ.get('A', 'x'), 'USER': getenv('B'), 'HOST': environ['C']}}\n`,
      });
      assert.deepEqual(settings.databases.default, {
        NAME: { fromEnvironment: 'A', default: 'x' },
        USER: { fromEnvironment: 'B', default: null },
        HOST: { fromEnvironment: 'C' },
      });
    });

    it('records fields it cannot read as dynamic and keeps the others', () => {
      const settings = settingsOf({
        'mysite.settings': `import dj_database_url\nDATABASES = {\n    'default': dj_database_url.config(),\n    'replica': {'ENGINE': 'x', 'NAME': compute()},\n}\n`,
      });
      assert.deepEqual(settings.databases, { replica: { ENGINE: 'x' } });
      assert.deepEqual(descriptions(settings), [
        "`DATABASES['default']` is computed by calling `dj_database_url.config()`",
        "`DATABASES['replica']['NAME']` is computed by calling `compute()`",
      ]);
      assert.deepEqual(settings.dynamic[0].location.range, range(2, 15, 2, 39));
    });
  });

  describe('INSTALLED_APPS built in steps', () => {
    const cases: [what: string, text: string, expected: string[]][] = [
      ['a tuple', `INSTALLED_APPS = ('a', 'b')`, ['a', 'b']],
      ['+= a list', `INSTALLED_APPS = ['a']\nINSTALLED_APPS += ['b']`, ['a', 'b']],
      ['+= a tuple', `INSTALLED_APPS = ('a',)\nINSTALLED_APPS += ('b',)`, ['a', 'b']],
      ['+ a list', `INSTALLED_APPS = ['a'] + ['b', 'c']`, ['a', 'b', 'c']],
      [
        'names bound earlier',
        `DJANGO_APPS = ['a']\nTHIRD_PARTY = ('b',)\nLOCAL = ['c']\nINSTALLED_APPS = DJANGO_APPS + list(THIRD_PARTY) + LOCAL`,
        ['a', 'b', 'c'],
      ],
      ['unpacking', `BASE = ['a']\nINSTALLED_APPS = [*BASE, 'b']`, ['a', 'b']],
      [
        'append, extend, insert and remove',
        `INSTALLED_APPS = ['a', 'x']\nINSTALLED_APPS.append('b')\nINSTALLED_APPS.extend(['c'])\nINSTALLED_APPS.insert(0, 'z')\nINSTALLED_APPS.remove('x')`,
        ['z', 'a', 'b', 'c'],
      ],
      [
        'a condition known statically',
        `DEBUG = True\nINSTALLED_APPS = ['a']\nif DEBUG:\n    INSTALLED_APPS += ['debug_toolbar']\nelse:\n    INSTALLED_APPS += ['never']`,
        ['a', 'debug_toolbar'],
      ],
      ['elif', `MODE = 'test'\nINSTALLED_APPS = ['a']\nif MODE == 'x':\n    pass\nelif True:\n    INSTALLED_APPS += ['b']`, ['a', 'b']],
    ];
    for (const [what, text, expected] of cases) {
      it(what, () => {
        const settings = settingsOf({ 'mysite.settings': text });
        assert.deepEqual(apps(settings), expected);
        assert.equal(settings.installedAppsDynamic, false);
      });
    }

    it('keeps the location of each entry through concatenation', () => {
      const settings = settingsOf({ 'mysite.settings': `LOCAL = ['shop']\nINSTALLED_APPS = ['a'] + LOCAL` });
      assert.deepEqual(settings.installedApps?.[1].location.range, range(0, 9, 0, 15));
    });

    it('records a change under an unknown condition as dynamic and keeps the list before it', () => {
      const settings = settingsOf({
        'mysite.settings': `import os\nINSTALLED_APPS = ['a']\nif os.environ.get('TOOLBAR'):\n    INSTALLED_APPS += ['debug_toolbar']\n`,
      });
      assert.deepEqual(apps(settings), ['a']);
      assert.equal(settings.installedAppsDynamic, true);
      assert.deepEqual(settings.dynamic[0].location.range, range(2, 0, 3, 39));
      assert.match(settings.dynamic[0].description, /INSTALLED_APPS.*condition/);
    });

    it('records entries that are not literal strings', () => {
      const settings = settingsOf({ 'mysite.settings': `INSTALLED_APPS = ['a', app_name(), 'b']` });
      assert.deepEqual(apps(settings), ['a', 'b']);
      assert.equal(settings.installedAppsDynamic, true);
      assert.deepEqual(settings.dynamic[0].location.range, range(0, 23, 0, 33));
    });

    it('records a list it cannot compute', () => {
      for (const text of [`INSTALLED_APPS = get_apps()`, `INSTALLED_APPS = [a for a in APPS]`, `INSTALLED_APPS = UNDEFINED_NAME`]) {
        const settings = settingsOf({ 'mysite.settings': text });
        assert.equal(settings.installedApps, undefined, text);
        assert.equal(settings.installedAppsDynamic, true, text);
        assert.equal(settings.dynamic.length, 1, text);
      }
    });

    it('records names assigned in a loop', () => {
      const settings = settingsOf({ 'mysite.settings': `INSTALLED_APPS = ['a']\nfor extra in EXTRAS:\n    INSTALLED_APPS.append(extra)` });
      assert.deepEqual(apps(settings), ['a']);
      assert.equal(settings.installedAppsDynamic, true);
    });
  });

  describe('settings split into modules', () => {
    const BASE = `from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent.parent\nINSTALLED_APPS = [\n    'django.contrib.auth',\n    'shop',\n]\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\n_PRIVATE = ['hidden']\n`;

    it('follows a relative star import and extends what it defined', () => {
      const { read, source, requests } = project({
        'mysite.settings.base': BASE,
        'mysite.settings.dev': `from .base import *\n\nINSTALLED_APPS += ['debug_toolbar']\nDATABASES['default']['NAME'] = BASE_DIR / 'dev.sqlite3'\nAPPS = _PRIVATE\n`,
      });
      const settings = parseSettings(parser, source('mysite.settings.dev'), read);
      assert.deepEqual(requests, ['.base']);
      assert.deepEqual(apps(settings), ['django.contrib.auth', 'shop', 'debug_toolbar']);
      assert.deepEqual(settings.installedApps?.[1].location, { path: modulePath('mysite.settings.base'), range: range(4, 4, 4, 10) });
      assert.deepEqual(settings.installedApps?.[2].location, { path: modulePath('mysite.settings.dev'), range: range(2, 19, 2, 34) });
      assert.deepEqual(settings.databases.default, { ENGINE: 'django.db.backends.sqlite3', NAME: path.join(ROOT, 'dev.sqlite3') });
      assert.deepEqual(settings.files, [modulePath('mysite.settings.dev'), modulePath('mysite.settings.base')]);
      assert.equal(settings.file, modulePath('mysite.settings.dev'));
      assert.deepEqual(settings.locations.INSTALLED_APPS?.range, range(2, 0, 2, 35));
    });

    it('follows an absolute star import from a package __init__', () => {
      const settings = settingsOf(
        { 'mysite.settings.base': BASE, 'mysite.settings.__init__': `from mysite.settings.base import *\n` },
        'mysite.settings.__init__',
      );
      assert.deepEqual(apps(settings), ['django.contrib.auth', 'shop']);
    });

    it('binds named imports with their aliases', () => {
      const settings = settingsOf(
        {
          'mysite.settings.base': BASE,
          'mysite.settings.prod': `from .base import INSTALLED_APPS as BASE_APPS, DATABASES\nINSTALLED_APPS = BASE_APPS + ['prod_only']\n`,
        },
        'mysite.settings.prod',
      );
      assert.deepEqual(apps(settings), ['django.contrib.auth', 'shop', 'prod_only']);
      assert.equal(settings.databases.default?.ENGINE, 'django.db.backends.sqlite3');
    });

    it('imports only __all__ when the module defines it', () => {
      const settings = settingsOf(
        {
          'mysite.settings.base': `INSTALLED_APPS = ['a']\nAUTH_USER_MODEL = 'x.User'\n__all__ = ['INSTALLED_APPS']\n`,
          'mysite.settings.dev': `from .base import *\n`,
        },
        'mysite.settings.dev',
      );
      assert.deepEqual(apps(settings), ['a']);
      assert.equal(settings.authUserModel, undefined);
    });

    it('runs the except clause when an optional local module is missing', () => {
      const text = `from .base import *\ntry:\n    from .local import *\nexcept ImportError:\n    INSTALLED_APPS += ['fallback']\nelse:\n    INSTALLED_APPS += ['had_local']\n`;
      const without = settingsOf({ 'mysite.settings.base': BASE, 'mysite.settings.dev': text }, 'mysite.settings.dev');
      assert.deepEqual(apps(without), ['django.contrib.auth', 'shop', 'fallback']);
      assert.deepEqual(without.dynamic, []);
      const withLocal = settingsOf(
        { 'mysite.settings.base': BASE, 'mysite.settings.dev': text, 'mysite.settings.local': `AUTH_USER_MODEL = 'local.User'\n` },
        'mysite.settings.dev',
      );
      assert.deepEqual(apps(withLocal), ['django.contrib.auth', 'shop', 'had_local']);
      assert.equal(withLocal.authUserModel, 'local.User');
    });

    it('records a star import it cannot read', () => {
      const settings = settingsOf({ 'mysite.settings.dev': `from .missing import *\nINSTALLED_APPS = ['a']\n` }, 'mysite.settings.dev');
      assert.deepEqual(apps(settings), ['a']);
      assert.equal(settings.installedAppsDynamic, true);
      assert.match(descriptions(settings)[0], /\.missing/);
    });

    it('assumes third-party modules import, without reading them', () => {
      const settings = settingsOf({ 'mysite.settings': `from decouple import config\nINSTALLED_APPS = ['a']\n` });
      assert.deepEqual(apps(settings), ['a']);
      assert.deepEqual(settings.dynamic, []);
    });

    it('stops at circular star imports', () => {
      const settings = settingsOf(
        {
          'mysite.settings.a': `from .b import *\nINSTALLED_APPS = ['a']\n`,
          'mysite.settings.b': `from .a import *\nAUTH_USER_MODEL = 'b.User'\n`,
        },
        'mysite.settings.a',
      );
      assert.deepEqual(apps(settings), ['a']);
      assert.equal(settings.authUserModel, 'b.User');
    });
  });

  describe('other settings that are not literal', () => {
    it('records AUTH_USER_MODEL and MIGRATION_MODULES entries it cannot read', () => {
      const settings = settingsOf({
        'mysite.settings': `AUTH_USER_MODEL = get_model()\nMIGRATION_MODULES = {'a': 'a.m', 'b': compute('b')}\n`,
      });
      assert.equal(settings.authUserModel, undefined);
      assert.deepEqual([...settings.migrationModules], [['a', 'a.m']]);
      assert.equal(settings.dynamic.length, 2);
    });

    it('reads MIGRATION_MODULES built with a comprehension as dynamic', () => {
      const settings = settingsOf({ 'mysite.settings': `MIGRATION_MODULES = {app: None for app in APPS}\n` });
      assert.equal(settings.migrationModules.size, 0);
      assert.equal(settings.dynamic.length, 1);
    });
  });

  describe('any input', () => {
    it('reads what it can from a module with syntax errors', () => {
      const settings = settingsOf({
        'mysite.settings': `INSTALLED_APPS = ['a', 'b']\nDATABASES = {\n    'default': {\n        'ENGINE': \nAUTH_USER_MODEL = 'x.User'\n`,
      });
      assert.deepEqual(apps(settings), ['a', 'b']);
      assert.ok(settings.syntaxErrors.length > 0);
      assert.equal(settings.syntaxErrors[0].path, modulePath('mysite.settings'));
    });

    for (const [what, text] of [
      ['empty text', ''],
      ['binary bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31337) % 256)).toString('latin1')],
      ['deep nesting', `INSTALLED_APPS = ${'['.repeat(3000)}${']'.repeat(3000)}`],
      [
        'odd statements',
        `del INSTALLED_APPS\nINSTALLED_APPS[0] = 'x'\nDATABASES['a']['b']['c'] = 1\nx, y = 1\nwith open('f') as f:\n    INSTALLED_APPS = f.read()\nglobals().update({})\n`,
      ],
    ]) {
      it(`does not throw on ${what}`, () => {
        const settings = settingsOf({ 'mysite.settings': text });
        assert.ok(Array.isArray(settings.dynamic));
      });
    }
  });
});
