import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { graphJson } from '../../../server/src/cli/graphJson';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { managePy, projectFolder } from '../../support/projectFolder';

const BLOG = {
  'blog/__init__.py': '',
  'blog/migrations/__init__.py': '',
  'blog/migrations/0001_initial.py': [
    'from django.conf import settings',
    'from django.db import migrations',
    '',
    '',
    'class Migration(migrations.Migration):',
    '    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]',
    '    operations = []',
    '',
  ].join('\n'),
};

/** The swappable dependency as `graph --json` gives it, and the codes `check` reports. */
async function swappable(files: Record<string, string>): Promise<[unknown, string[]]> {
  const root = projectFolder({ ...BLOG, ...files });
  const [project] = await loadProjects(root, { trusted: false });
  const node = graphJson(project).nodes.find((n) => n.app === 'blog');
  return [node?.dependencies[0], project.analyse().problems.map((p) => `${p.code} ${p.severity} ${path.basename(p.file)}`)];
}

const withSettings = (settings: string) => ({
  'manage.py': managePy('settings'),
  'settings.py': `SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes', 'blog']\n${settings}`,
});

describe('AUTH_USER_MODEL as Django decides it', function () {
  it("settings read that do not set it: Django's default, auth.User", async function () {
    assert.deepEqual(await swappable(withSettings('')), [['auth', '__first__'], []]);
  });

  it('settings that set it: their value (here an app not installed, which Django refuses too)', async function () {
    assert.deepEqual(await swappable(withSettings("AUTH_USER_MODEL = 'accounts.User'\n")), [
      ['accounts', '__first__'],
      ['unknown-app error 0001_initial.py'],
    ]);
  });

  it('a value only known when Python runs: unknown, never an empty label, and noted', async function () {
    const [dependency, problems] = await swappable(withSettings("AUTH_USER_MODEL = os.environ['USER_MODEL']\n"));
    assert.deepEqual(dependency, [null, '__first__']);
    assert.ok(problems.includes('unresolved-swappable-dependency information 0001_initial.py'), problems.join('\n'));
    assert.ok(
      problems.every((p) => !p.includes(' error ')),
      problems.join('\n'),
    );
  });

  it('no settings at all: unknown, not silently auth.User', async function () {
    assert.deepEqual(await swappable({}), [[null, '__first__'], ['unresolved-swappable-dependency information 0001_initial.py']]);
  });
});
