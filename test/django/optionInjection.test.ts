import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { migrateCommand, squashmigrationsCommand } from '../../client/src/commands/managePyCommand';
import { DjangoHelperProcess } from '../../server/src/django/djangoHelperProcess';
import { resolvePythonEnvironment } from '../../server/src/django/pythonEnvironment';
import { DjangoProject, djangoPython } from './djangoProject';

/** A migration Django loads from `--fake.py`: it creates a table, so faking it would show. */
const FAKE_NAMED_MIGRATION = `from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('shop', '0003_order')]
    operations = [migrations.RunSQL('CREATE TABLE created_by_dash_fake (id integer)', 'DROP TABLE created_by_dash_fake')]
`;

/** Names from files are data: real Django gets a migration named `--fake` as a name, never as the option. */
describe('migration names that look like options', function () {
  this.timeout(120_000);
  let project: DjangoProject;

  before(async () => {
    project = await DjangoProject.fromFixture('linear');
    writeFileSync(path.join(project.dir, 'shop', 'migrations', '--fake.py'), FAKE_NAMED_MIGRATION);
  });

  after(async () => {
    await project?.remove();
  });

  it('migrates to a migration named --fake by running it', async function () {
    const built = migrateCommand({ app: 'shop', target: '--fake', interactive: false });
    assert.ok(built.ok);
    await project.manage(...built.command.args);
    const tables = await project.python([
      '-c',
      "import sqlite3; print(sqlite3.connect('db.sqlite3').execute(\"select count(*) from sqlite_master where name = 'created_by_dash_fake'\").fetchone()[0])",
    ]);
    assert.equal(tables.stdout.trim(), '1');
    const shown = await project.manage('showmigrations', 'shop');
    assert.match(shown.stdout, / \[X\] --fake\n/);
  });

  it('squashes up to a migration named --fake', async function () {
    const built = squashmigrationsCommand({ app: 'shop', end: '--fake', interactive: false });
    assert.ok(built.ok);
    const output = await project.manage(...built.command.args);
    assert.match(output.stdout, /Created new squashed migration/);
  });

  it('gives the SQL of a migration named --backwards forwards, through the helper', async function () {
    writeFileSync(
      path.join(project.dir, 'shop', 'migrations', '--backwards.py'),
      FAKE_NAMED_MIGRATION.replace("('shop', '0003_order')", "('shop', '--fake')").replace(
        /created_by_dash_fake/g,
        'created_by_dash_backwards',
      ),
    );
    const environment = resolvePythonEnvironment({ projectRoot: project.dir, pythonPath: djangoPython, settingsModule: 'config.settings' });
    const helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0 });
    try {
      const output = await helper.sqlmigrate({ app: 'shop', name: '--backwards' });
      assert.match(output.stdout, /CREATE TABLE created_by_dash_backwards/);
    } finally {
      await helper.dispose();
    }
  });
});
