import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { FixData } from '../../server/src/core/problem';
import { modelsProblems } from '../../server/src/features/modelsProblems';
import { nodeFileSystem } from '../../server/src/project/fileSystem';
import { MissingMigrationsDetector } from '../../server/src/project/missingMigrations';
import { loadProjects } from '../../server/src/project/projectLoader';
import { ProjectModels } from '../../server/src/project/projectModels';
import { loadPythonParser } from '../../server/src/python/pythonParser';
import { copyFixture } from '../support/projectFolder';
import { djangoPython } from '../support/testDjango';

const managePy = (root: string, ...args: string[]) =>
  spawnSync(djangoPython, ['manage.py', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });

/** models_changes with a required field added to shop.Book, which already has rows in its migrations. */
async function threeSteps(field: string): Promise<{ root: string; fix: Extract<FixData, { fix: 'write-files' }> }> {
  const root = copyFixture('models_changes');
  const models = path.join(root, 'shop', 'models.py');
  const anchor = '    pages = models.PositiveIntegerField(null=True)\n';
  writeFileSync(models, readFileSync(models, 'utf8').replace(anchor, `${anchor}${field}\n`));
  const [project] = await loadProjects(root, { trusted: false });
  const projectModels = new ProjectModels(project.project, await loadPythonParser(), nodeFileSystem);
  await projectModels.load(project.settings?.files ?? []);
  const missing = new MissingMigrationsDetector(project, projectModels).detect();
  const problems = [...modelsProblems(project, missing, false).values()].flat();
  const flagged = problems.find((p) => p.code === 'non-nullable-field-without-default');
  assert.ok(flagged, problems.map((p) => p.message).join('\n'));
  const fix = flagged.fixes?.find((f): f is Extract<FixData, { fix: 'write-files' }> => f.fix === 'write-files');
  assert.ok(fix, 'a three-step fix');
  return { root, fix };
}

describe('non-nullable-field-without-default: the three-step data migration Django makes no change after', function () {
  this.timeout(120_000);

  for (const [name, field, value] of [
    ['an integer field', '    stock = models.IntegerField()', '7'],
    [
      'a foreign key to the swappable user model',
      "    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name='edited_books')",
      'None',
    ],
  ] as const) {
    it(`${name}: three new migrations after the leaf, makemigrations --check finds nothing, migrate applies them`, async function () {
      const { root, fix } = await threeSteps(field);
      const written = fix.files.map(({ file }) => path.relative(root, file));
      const fieldName = field.trim().split(' ')[0];
      assert.deepEqual(written, [
        path.join('shop', 'migrations', `0004_book_${fieldName}.py`),
        path.join('shop', 'migrations', `0005_fill_book_${fieldName}.py`),
        path.join('shop', 'migrations', `0006_alter_book_${fieldName}.py`),
      ]);
      for (const { file, text } of fix.files) {
        assert.equal(existsSync(file), false);
        // The user sets the value existing rows get.
        writeFileSync(file, text.replace(/value = None {2}# TODO.*$/m, `value = ${value}`));
      }
      assert.match(readFileSync(fix.files[0].file, 'utf8'), /null=True/);
      assert.match(readFileSync(fix.files[1].file, 'utf8'), /migrations\.RunPython\(fill_\w+, migrations\.RunPython\.noop\)/);
      const check = managePy(root, 'makemigrations', '--check', '--dry-run');
      assert.equal(check.status, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /No changes detected/);
      const migrate = managePy(root, 'migrate', '--noinput');
      assert.equal(migrate.status, 0, migrate.stdout + migrate.stderr);
      assert.match(migrate.stdout, new RegExp(`Applying shop\\.0006_alter_book_${fieldName}\\.\\.\\. OK`));
      // Reversible: back to before the first of them.
      const back = managePy(root, 'migrate', 'shop', '0003', '--noinput');
      assert.equal(back.status, 0, back.stdout + back.stderr);
    });
  }
});
