import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { managePy, projectFolder, writeFiles } from '../support/projectFolder';
import { applyFix } from '../unit/core/lints/applyFix';
import { codes, lintText, SQLITE } from '../unit/core/lints/lintText';
import { DJANGO_PYTHON } from './commandsProject';

const run = promisify(execFile);

const MIGRATION = `from django.db import migrations


def forwards(apps):
    apps.get_model('contenttypes', 'ContentType')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(forwards, elidable=True),
    ]
`;

/** run-python-signature on the real Django: migrate stops with the TypeError the rule names; the fixed function runs. */
describe('run-python-signature applied by Django', function () {
  this.timeout(120_000);

  it("fails at migrate time as the rule says; the quick fix's signature migrates", async () => {
    const root = projectFolder({
      'manage.py': managePy('site_settings.settings'),
      'site_settings/__init__.py': '',
      'site_settings/settings.py':
        "SECRET_KEY = 'fidelity'\nINSTALLED_APPS = ['django.contrib.contenttypes', 'shop']\n" +
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n",
      'shop/__init__.py': '',
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_data.py': MIGRATION,
    });
    const migrate = () =>
      run(DJANGO_PYTHON, ['manage.py', 'migrate', '--noinput'], { cwd: root, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }).then(
        ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: error.code ?? -1,
          output: `${error.stdout}${error.stderr}`,
        }),
      );
    const problems = await lintText(MIGRATION, { app: 'shop', name: '0001_data', targets: [SQLITE] });
    assert.deepEqual(codes(problems), ['run-python-signature']);
    const failed = await migrate();
    assert.notEqual(failed.code, 0);
    assert.match(failed.output, /TypeError: forwards\(\) takes 1 positional argument but 2 were given/);

    const fixed = applyFix(MIGRATION, problems[0], 'Define it as forwards(apps, schema_editor)');
    assert.deepEqual(codes(await lintText(fixed, { app: 'shop', name: '0001_data', targets: [SQLITE] })), []);
    writeFiles(root, { 'shop/migrations/0001_data.py': fixed });
    const applied = await migrate();
    assert.equal(applied.code, 0, applied.output);
    assert.match(applied.output, /Applying shop\.0001_data\.\.\. OK/);
  });
});
