import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { discoverProjects } from '../../../server/src/project/projectDiscovery';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { loadPythonParser } from '../../../server/src/python/pythonParser';
import { managePy, projectFolder } from '../../support/projectFolder';

const djangoPython = '/usr/bin/python3';
const MIGRATION = (dependencies = '') =>
  `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [${dependencies}]\n    operations = []\n`;
const config = (className: string, name: string, label?: string, extra = '') =>
  `from django.apps import AppConfig\n\n\nclass ${className}(AppConfig):\n    name = '${name}'\n${label ? `    label = '${label}'\n` : ''}${extra}`;

/**
 * Apps in each form Django 3.2 labels them: default_app_config to a module found from the
 * project root (not from the app's folder), an AppConfig in `__init__.py` without apps.py,
 * `AppConfig.default` choosing among several, and an app package called `migrations` that
 * holds apps (Django's own test suite has one).
 */
const FILES: Record<string, string> = {
  'pkg/__init__.py': '',
  'pkg/sub/__init__.py': '',
  'pkg/sub/tests/__init__.py': "default_app_config = 'pkg.sub.tests.apps.TestsConfig'\n",
  'pkg/sub/tests/apps.py': config('TestsConfig', 'pkg.sub.tests', 'sub_tests'),
  'pkg/sub/tests/migrations/__init__.py': '',
  'pkg/sub/tests/migrations/0001_initial.py': MIGRATION(),
  'inits/__init__.py': config('InitsConfig', 'inits', 'init_label'),
  'inits/migrations/__init__.py': '',
  'inits/migrations/0001_initial.py': MIGRATION(),
  'chosen/__init__.py': '',
  'chosen/apps.py':
    config('PlainConfig', 'chosen', 'plain') + '\n\n' + config('ChosenConfig', 'chosen', 'chosen_label', '    default = True\n'),
  'chosen/migrations/__init__.py': '',
  'chosen/migrations/0001_initial.py': MIGRATION(),
  'suite/__init__.py': '',
  'suite/migrations/__init__.py': '',
  'suite/migrations/test_commands.py': 'import os\n',
  'suite/migrations/normal/__init__.py': '',
  'suite/migrations/normal/migrations/__init__.py': '',
  'suite/migrations/normal/migrations/0001_initial.py': MIGRATION(),
  'suite/migrations/normal/migrations/0002_second.py': MIGRATION("('normal', '0001_initial')"),
};
const INSTALLED = ['pkg.sub.tests', 'inits.InitsConfig', 'chosen', 'suite.migrations.normal'];

/** Label of each INSTALLED_APPS entry, by Django itself. */
function djangoLabels(root: string): Record<string, string> {
  const script = [
    'import django, json, os, sys, warnings',
    "warnings.simplefilter('ignore')",
    "sys.path.insert(0, '.')",
    "os.environ['DJANGO_SETTINGS_MODULE'] = 'settings'",
    'django.setup()',
    'from django.apps import apps',
    'print(json.dumps({c.name: c.label for c in apps.get_app_configs()}))',
  ].join('\n');
  return JSON.parse(
    execFileSync(djangoPython, ['-c', script], { cwd: root, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }).toString(),
  );
}

describe('app labels as Django computes them', function () {
  this.timeout(60_000);

  it('from INSTALLED_APPS: default_app_config, AppConfig in __init__.py, AppConfig.default, a package of apps named migrations', async function () {
    const root = projectFolder({
      'manage.py': managePy('settings'),
      'settings.py': `SECRET_KEY = 'x'\nINSTALLED_APPS = ${JSON.stringify(INSTALLED)}\n`,
      ...FILES,
    });
    const django = djangoLabels(root);
    assert.deepEqual(django, {
      'pkg.sub.tests': 'sub_tests',
      inits: 'init_label',
      chosen: 'chosen_label',
      'suite.migrations.normal': 'normal',
    });
    const [discovered] = await discoverProjects(root, { fileSystem: nodeFileSystem, parser: await loadPythonParser() });
    assert.deepEqual(Object.fromEntries(discovered.project.apps.map((app) => [app.name, app.label])), django);
    assert.deepEqual(discovered.project.problems, []);
  });

  it('without settings: the same labels, read from the packages, and no false error for the package of apps', async function () {
    const root = projectFolder(FILES);
    const [project] = await loadProjects(root, { trusted: false });
    assert.deepEqual(Object.fromEntries(project.project.apps.map((app) => [app.label, path.relative(root, app.migrationsDirectory!)])), {
      sub_tests: path.join('pkg', 'sub', 'tests', 'migrations'),
      init_label: path.join('inits', 'migrations'),
      chosen_label: path.join('chosen', 'migrations'),
      normal: path.join('suite', 'migrations', 'normal', 'migrations'),
    });
    assert.deepEqual(project.analyse().problems, []);
    assert.deepEqual([...project.analyse().loaded.graph.nodes.keys()].filter((key) => key.startsWith('normal.')).sort(), [
      'normal.0001_initial',
      'normal.0002_second',
    ]);
  });

  it('two packages with one label: each one not analysed is named, never dropped in silence', async function () {
    const root = projectFolder({
      'billing/core/__init__.py': '',
      'billing/core/migrations/__init__.py': '',
      'billing/core/migrations/0001_initial.py': MIGRATION(),
      'shipping/core/__init__.py': '',
      'shipping/core/migrations/__init__.py': '',
      'shipping/core/migrations/0001_initial.py': MIGRATION(),
    });
    const [project] = await loadProjects(root, { trusted: false });
    assert.deepEqual(
      project.analyse().problems.map((p) => [p.code, p.severity, path.relative(root, p.file)]),
      [['project-configuration', 'warning', path.join('shipping', 'core', 'migrations', '__init__.py')]],
    );
  });
});
