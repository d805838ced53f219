import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { customFieldSignatureProblems, projectClassCalls } from '../../../server/src/project/customFieldSignatures';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { ProjectModels } from '../../../server/src/project/projectModels';
import { loadPythonParser } from '../../../server/src/python/pythonParser';
import { copyFixture } from '../../support/projectFolder';

/** model_changes, whose 0001_initial calls catalog.fields.UpperCaseField(max_length=20, unique=True). */
describe('custom-field-signature on bad input: never a report while the signature is not certain', function () {
  it('reports nothing while a narrower __init__ is half typed, and once when it is complete', async function () {
    const root = copyFixture('model_changes');
    const [project] = await loadProjects(root, { trusted: false });
    const calls = projectClassCalls(project.loaderResult().diskMigrations.values());
    const models = new ProjectModels(project.project, await loadPythonParser(), nodeFileSystem);
    await models.load(project.settings?.files ?? []);
    const fields = path.join(root, 'catalog', 'fields.py');
    const line = '    def __init__(self, max_length=20, *, upper=True):';
    const text = (typed: string) =>
      `from django.db import models\n\n\nclass UpperCaseField(models.CharField):\n${typed}\n        super().__init__(max_length=max_length)\n`;
    for (let typed = 0; typed < line.length; typed++) {
      models.update(fields, text(line.slice(0, typed)));
      assert.deepEqual(customFieldSignatureProblems(calls, models.scope()), [], `after ${typed} characters`);
    }
    models.update(fields, text(line));
    const problems = customFieldSignatureProblems(calls, models.scope());
    assert.deepEqual(
      problems.map((p) => p.message.split('TypeError: ')[1]),
      ["UpperCaseField.__init__() got an unexpected keyword argument 'unique' (catalog.0001_initial)"],
    );
    writeFileSync(fields, text(line));
  });

  it('reports nothing for a field class built by a metaclass, a decorator or a factory', async function () {
    const root = copyFixture('model_changes');
    const [project] = await loadProjects(root, { trusted: false });
    const calls = projectClassCalls(project.loaderResult().diskMigrations.values());
    const models = new ProjectModels(project.project, await loadPythonParser(), nodeFileSystem);
    await models.load(project.settings?.files ?? []);
    const fields = path.join(root, 'catalog', 'fields.py');
    const narrow = '    def __init__(self):\n        super().__init__()\n';
    for (const text of [
      `from django.db import models\n\n\nclass UpperCaseField(models.CharField, metaclass=type):\n${narrow}`,
      `from django.db import models\n\n\ndef register(cls):\n    return cls\n\n\n@register\nclass UpperCaseField(models.CharField):\n${narrow}`,
      "from django.db import models\n\nUpperCaseField = type('UpperCaseField', (models.CharField,), {})\n",
      `from django.db import models\n\n\nclass UpperCaseField(models.CharField):\n${narrow}\n\nif True:\n    class UpperCaseField(models.CharField):\n        pass\n`,
    ]) {
      models.update(fields, text);
      assert.deepEqual(customFieldSignatureProblems(calls, models.scope()), [], text);
    }
  });
});
