import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseDjangoVersion } from '../../server/src/core/djangoVersion';
import { loadProjects } from '../../server/src/project/projectLoader';
import { appsPy, managePy, migrationPy, projectFolder } from '../support/projectFolder';
import { djangoPython, installedDjangoVersion } from '../support/testDjango';

/**
 * `default_app_config` (removed in Django 4.1) naming another class than the one `apps.py` offers:
 * Django 3.2 follows it, 4.2 and 5.2 take the AppConfig of `apps.py`.
 */
const FILES: Record<string, string> = {
  'manage.py': managePy('settings'),
  'settings.py': "SECRET_KEY = 'x'\nINSTALLED_APPS = ['legacy', 'marked']\n",
  'legacy/__init__.py': "default_app_config = 'legacy.config.LegacyConfig'\n",
  'legacy/config.py': appsPy('LegacyConfig', 'legacy', 'old_label'),
  'legacy/apps.py': appsPy('LegacyAppsConfig', 'legacy', 'new_label'),
  'legacy/migrations/__init__.py': '',
  'legacy/migrations/0001_initial.py': migrationPy(),
  'marked/__init__.py': "default_app_config = 'marked.apps.PlainConfig'\n",
  'marked/apps.py': [
    appsPy('PlainConfig', 'marked', 'plain'),
    appsPy('MarkedConfig', 'marked', 'marked_label'),
    '    default = True',
    '',
  ].join('\n'),
  'marked/migrations/__init__.py': '',
  'marked/migrations/0001_initial.py': migrationPy(),
};

/** The label of each installed app, by the selected Django itself. */
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
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  return JSON.parse(execFileSync(djangoPython, ['-c', script], { cwd: root, env }).toString());
}

describe('app labels follow the Django the project runs', function () {
  this.timeout(60_000);

  it(`default_app_config and AppConfig discovery as Django ${installedDjangoVersion()} labels them`, async function () {
    const root = projectFolder(FILES);
    const django = djangoLabels(root);
    const [project] = await loadProjects(root, { trusted: false, djangoVersion: parseDjangoVersion(installedDjangoVersion()) });
    assert.deepEqual(Object.fromEntries(project.project.apps.map((app) => [app.name, app.label])), django);
    assert.deepEqual(project.analyse().problems, []);
  });
});
