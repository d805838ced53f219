import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Problem } from '../../server/src/core/problem';
import { customFieldSignatureProblems, projectClassCalls } from '../../server/src/project/customFieldSignatures';
import { nodeFileSystem } from '../../server/src/project/fileSystem';
import { loadProjects } from '../../server/src/project/projectLoader';
import { ProjectModels } from '../../server/src/project/projectModels';
import { loadPythonParser } from '../../server/src/python/pythonParser';
import { copyFixture } from '../support/projectFolder';
import { djangoPython } from '../support/testDjango';

/** model_changes with catalog/fields.py replaced: its migration 0001 calls UpperCaseField(max_length=20, unique=True). */
async function withFields(fields: string): Promise<{ problems: Problem[]; loadError: string | undefined }> {
  const root = copyFixture('model_changes');
  writeFileSync(path.join(root, 'catalog', 'fields.py'), fields);
  const [project] = await loadProjects(root, { trusted: false });
  const models = new ProjectModels(project.project, await loadPythonParser(), nodeFileSystem);
  await models.load(project.settings?.files ?? []);
  const problems = customFieldSignatureProblems(projectClassCalls(project.loaderResult().diskMigrations.values()), models.scope());
  // Django's loader imports every migration module, as any management command does.
  const loaded = spawnSync(
    djangoPython,
    ['-c', 'import django; django.setup(); from django.db.migrations.loader import MigrationLoader; MigrationLoader(None)'],
    { cwd: root, env: { ...process.env, DJANGO_SETTINGS_MODULE: 'config.settings' }, encoding: 'utf8' },
  );
  const typeError = /^TypeError: (.*)$/m.exec(loaded.stderr);
  if (loaded.status !== 0 && !typeError) assert.fail(`Django failed otherwise: ${loaded.stderr}`);
  return { problems, loadError: typeError?.[1] };
}

const field = (init: string, body = 'super().__init__(*args, **kwargs)') =>
  `from django.db import models\n\n\nclass UpperCaseField(models.CharField):\n    def __init__(${init}):\n        ${body}\n`;

describe('custom-field-signature: reported exactly when loading the migrations raises TypeError', function () {
  this.timeout(60000);

  const cases: [string, string, boolean][] = [
    ['the signature as written (*args, **kwargs)', field('self, *args, **kwargs'), false],
    ['keyword arguments it no longer takes', field('self, max_length=20', 'super().__init__(max_length=max_length)'), true],
    ['a new required positional argument', field('self, prefix, *args, **kwargs'), true],
    [
      'keyword-only parameters that cover the call',
      field('self, *, unique=False, max_length=20, **kwargs', 'super().__init__(**kwargs)'),
      false,
    ],
    ['a positional-only parameter passed by keyword', field('self, max_length, /, **kwargs', 'super().__init__(**kwargs)'), true],
    ['a new required keyword-only argument', field('self, max_length=20, unique=False, *, extra', 'super().__init__()'), true],
    [
      'explicit parameters with defaults',
      field('self, verbose_name=None, name=None, max_length=None, unique=False', 'super().__init__()'),
      false,
    ],
    [
      'an __init__ inherited from a project base class',
      'from django.db import models\n\n\nclass Base(models.CharField):\n    def __init__(self, max_length=20):\n' +
        '        super().__init__(max_length=max_length)\n\n\nclass UpperCaseField(Base):\n    pass\n',
      true,
    ],
  ];
  for (const [name, fields, raises] of cases) {
    it(name, async function () {
      const { problems, loadError } = await withFields(fields);
      assert.equal(loadError !== undefined, raises, `Django: ${loadError ?? 'loads'}`);
      assert.equal(problems.length, loadError ? 1 : 0, `Django: ${loadError ?? 'loads'}; we: ${problems.map((p) => p.message).join('; ')}`);
      if (loadError) {
        // Python's own words, and the call in the migration.
        assert.ok(problems[0].message.includes(loadError), `${problems[0].message} / ${loadError}`);
        assert.equal(problems[0].file.endsWith(path.join('catalog', 'fields.py')), true);
        assert.equal(problems[0].related?.length, 1);
        assert.ok(problems[0].related?.[0].file.endsWith('0001_initial.py'));
      }
    });
  }

  it('reports nothing when the signature is not certain, even where Django fails', async function () {
    const uncertain = [
      // A mixin: Python's MRO is not followed.
      'from django.db import models\n\n\nclass Mixin:\n    def __init__(self, max_length=20):\n        pass\n\n\n' +
        'class UpperCaseField(Mixin, models.CharField):\n    pass\n',
      // A decorated __init__.
      'import functools\nfrom django.db import models\n\n\ndef keep(f):\n    return f\n\n\n' +
        'class UpperCaseField(models.CharField):\n    @keep\n    def __init__(self, max_length=20):\n        super().__init__(max_length=max_length)\n',
      // A base that is not read: a package that is not installed.
      'from django.db import models\nfrom missing_package import Base\n\n\nclass UpperCaseField(Base):\n    def __init__(self):\n        pass\n',
      // __init__ assigned, not defined.
      'from django.db import models\n\n\ndef init(self, max_length=20):\n    pass\n\n\n' +
        'class UpperCaseField(models.CharField):\n    __init__ = init\n',
    ];
    for (const fields of uncertain) {
      const root = copyFixture('model_changes');
      writeFileSync(path.join(root, 'catalog', 'fields.py'), fields);
      const [project] = await loadProjects(root, { trusted: false });
      const models = new ProjectModels(project.project, await loadPythonParser(), nodeFileSystem);
      await models.load(project.settings?.files ?? []);
      const calls = projectClassCalls(project.loaderResult().diskMigrations.values());
      assert.ok(calls.some((c) => c.path === 'catalog.fields.UpperCaseField'));
      assert.deepEqual(customFieldSignatureProblems(calls, models.scope()), [], fields);
    }
  });
});
