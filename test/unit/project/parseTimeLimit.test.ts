import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { Problem } from '../../../server/src/core/problem';
import { modelsProblems } from '../../../server/src/features/modelsProblems';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { MigrationProject } from '../../../server/src/project/migrationProject';
import { ModelClassResolver } from '../../../server/src/project/modelClasses';
import { ModuleFinder } from '../../../server/src/project/moduleFinder';
import { MissingMigrationsDetector } from '../../../server/src/project/missingMigrations';
import { discoverProjects } from '../../../server/src/project/projectDiscovery';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { ProjectModels } from '../../../server/src/project/projectModels';
import { readLintSource } from '../../../server/src/python/lintSourceReader';
import { settingsModuleFromManage } from '../../../server/src/python/manageParser';
import { loadPythonParser, ParseTimeLimitError, PythonParser } from '../../../server/src/python/pythonParser';
import { appFiles, appsPy, copyFixture, managePy, migrationPy, projectFolder, settingsPy } from '../../support/projectFolder';

/**
 * A time limit far below what a huge file needs and far above what a small one does: the huge
 * files here are cancelled, the others parse, whatever the machine's speed.
 */
const TIME_LIMIT_MS = 250;
/** A statement the grammar needs over a second for at this size, even on a quiet machine (about 0.17 s per 100,000 lines). */
const HUGE = `VALUES = [\n${'    1,\n'.repeat(1_000_000)}]\n`;

const codes = (problems: readonly Problem[]) => problems.map((problem) => problem.code);

describe('files whose parse runs past the time limit', function () {
  this.timeout(60_000);
  let parser: PythonParser;
  before(async function () {
    parser = (await loadPythonParser()).withTimeLimit(TIME_LIMIT_MS);
  });

  it('the parse after a cancelled one reads its own text, not the rest of the cancelled one', function () {
    assert.throws(() => parser.withTree(HUGE, () => undefined), ParseTimeLimitError);
    assert.equal(settingsModuleFromManage(parser, managePy('site.settings')), 'site.settings');
  });

  async function discover(files: Record<string, string>) {
    const root = projectFolder(files);
    const [discovered] = await discoverProjects(root, { fileSystem: nodeFileSystem, parser });
    return { root, ...discovered };
  }

  it('a migration gets the time-limit warning only: no missing class, and what depends on it is not reported', async function () {
    const { root, project, settings } = await discover({
      'manage.py': managePy('site_settings'),
      'site_settings.py': settingsPy(['shop']),
      ...appFiles('shop', { '0001_initial': migrationPy() + HUGE, '0002_next': migrationPy([['shop', '0001_initial']]) }),
    });
    const migrations = new MigrationProject(project, parser, nodeFileSystem, settings);
    await migrations.load();
    const huge = path.join(root, 'shop', 'migrations', '0001_initial.py');
    const analysis = migrations.analyse();
    assert.deepEqual(
      analysis.problems.map((problem) => [path.relative(root, problem.file), problem.code]),
      [['shop/migrations/0001_initial.py', 'parse-time-limit']],
    );
    assert.deepEqual(analysis.loaded.errors, []);

    // Typed in the editor: still the warning alone, and once small again, the file is read.
    migrations.updateSource(huge, migrationPy() + HUGE + '# edited\n');
    assert.deepEqual(codes(migrations.analyse().problemsByFile.get(huge) ?? []), ['parse-time-limit']);
    assert.deepEqual(codes(migrations.analyse().problems), ['parse-time-limit']);
    migrations.updateSource(huge, migrationPy());
    assert.deepEqual(migrations.analyse().problems, []);
    assert.deepEqual([...migrations.analyse().loaded.graph.nodes.keys()].sort(), ['shop.0001_initial', 'shop.0002_next']);
  });

  it('manage.py: a warning that its settings module is not read, never a stall or a crash', async function () {
    const { root, project } = await discover({
      'manage.py': managePy('site_settings') + HUGE,
      'site_settings.py': settingsPy(['shop']),
      ...appFiles('shop', { '0001_initial': migrationPy() }),
    });
    const warnings = project.problems.filter((problem) => problem.code === 'parse-time-limit');
    assert.deepEqual(
      warnings.map((problem) => problem.file),
      [path.join(root, 'manage.py')],
    );
    assert.match(warnings[0].message, /DJANGO_SETTINGS_MODULE is not read/);
    // The app is still found, from its migrations package.
    assert.deepEqual(
      project.apps.map((app) => app.label),
      ['shop'],
    );
  });

  it('settings: a warning on the module, and apps taken from the migrations packages', async function () {
    const { root, project, settings } = await discover({
      'manage.py': managePy('site_settings'),
      'site_settings.py': 'from .base import *\n',
      'base.py': settingsPy(['shop']) + HUGE,
      ...appFiles('shop', { '0001_initial': migrationPy() }),
    });
    assert.deepEqual(
      project.problems.map((problem) => [path.relative(root, problem.file), problem.code]),
      [['base.py', 'parse-time-limit']],
    );
    assert.equal(settings?.installedAppsDynamic, true);
    assert.deepEqual(
      project.apps.map((app) => app.label),
      ['shop'],
    );
    assert.ok(project.externalApps.has('*'), 'apps the settings may install are not taken as missing');
  });

  it('apps.py: a warning, and the label Django would give without its AppConfig', async function () {
    const { root, project } = await discover({
      'manage.py': managePy('site_settings'),
      'site_settings.py': settingsPy(['shop']),
      ...appFiles('shop', { '0001_initial': migrationPy() }, appsPy('ShopConfig', 'shop', 'store') + HUGE),
    });
    assert.deepEqual(
      project.problems.map((problem) => [path.relative(root, problem.file), problem.code]),
      [['shop/apps.py', 'parse-time-limit']],
    );
    assert.deepEqual(
      project.apps.map((app) => app.label),
      ['shop'],
    );
  });

  it('apps found from packages alone: the same warning, once per file', async function () {
    const { root, project } = await discover({
      ...appFiles('shop', { '0001_initial': migrationPy() }),
      'shop/__init__.py': `default_app_config = 'shop.apps.ShopConfig'\n${HUGE}`,
    });
    assert.deepEqual(
      project.problems.map((problem) => [path.relative(root, problem.file), problem.code]),
      [['shop/__init__.py', 'parse-time-limit']],
    );
  });

  it('a models module: a warning, and none of its models reported as deleted', async function () {
    const root = copyFixture('models_changes');
    const models = path.join(root, 'shop', 'models.py');
    writeFileSync(models, readFileSync(models, 'utf8') + HUGE);
    const [project] = await loadProjects(root, { trusted: false });
    const projectModels = new ProjectModels(project.project, parser, nodeFileSystem);
    await projectModels.load(project.settings?.files ?? []);
    const missing = new MissingMigrationsDetector(project, projectModels).detect();
    assert.deepEqual(
      missing.migrations.flatMap((migration) => migration.operations.map((operation) => operation.description)),
      [],
    );
    const problems = modelsProblems(project, missing, false).get(models) ?? [];
    assert.deepEqual(
      problems.map((problem) => [problem.code, problem.severity]),
      [['parse-time-limit', 'warning']],
    );
  });

  it("a migration's comments and RunPython functions for the lint rules: none, rather than a stall", function () {
    const runPython = `${migrationPy()}
def forwards(apps, schema_editor):
    pass
# django-migrations: ignore
`;
    const read = readLintSource(parser, runPython);
    assert.deepEqual([read.functions.length, read.comments.length], [1, 1]);
    assert.deepEqual(readLintSource(parser, runPython + HUGE), { comments: [], functions: [] });
  });

  it('a module a data migration imports from: not known to define a model, rather than a stall', async function () {
    const root = projectFolder({
      'shop/__init__.py': '',
      'shop/models.py': `from django.db import models\n\n\nclass Order(models.Model):\n    pass\n${HUGE}`,
      'shop/small.py': 'from django.db import models\n\n\nclass Order(models.Model):\n    pass\n',
    });
    const resolver = new ModelClassResolver(new ModuleFinder(nodeFileSystem, [root]), parser, nodeFileSystem);
    assert.equal(await resolver.resolve('shop.small', 'Order', ''), true);
    assert.equal(await resolver.resolve('shop.models', 'Order', ''), false);
  });
});
