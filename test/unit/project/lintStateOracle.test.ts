import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { MigrationKey, migrationKey } from '../../../server/src/core/migration';
import { LintDeploy, lintStateOracle } from '../../../server/src/project/lintStateOracle';
import { MigrationProject } from '../../../server/src/project/migrationProject';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { managePy, projectFolder } from '../../support/projectFolder';
import { lintText } from '../core/lints/lintText';

const header = 'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n';

function migration(dependency: string | undefined, operations: string, extra = ''): string {
  const dependencies = dependency ? `[('shop', '${dependency}')]` : '[]';
  return `${header}${extra}    dependencies = ${dependencies}\n    operations = [\n${operations}\n    ]\n`;
}

const createModel = (name: string, options = '') =>
  `        migrations.CreateModel(name='${name}', fields=[('id', models.AutoField(primary_key=True))]${options}),`;

/**
 * shop: 0001 creates Product; 0002 creates Category (and, in the state only, Legacy; and an
 * unmanaged Report); 0003 renames Category to Group; 0004 is the migration linted.
 */
const FILES = {
  'manage.py': managePy('config.settings'),
  'config/__init__.py': '',
  'config/settings.py': "INSTALLED_APPS = ['shop']\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop'}}\n",
  'shop/__init__.py': '',
  'shop/migrations/__init__.py': '',
  'shop/migrations/0001_initial.py': migration(undefined, createModel('Product')),
  'shop/migrations/0002_category.py': migration(
    '0001_initial',
    [
      createModel('Category'),
      `        migrations.SeparateDatabaseAndState(state_operations=[${createModel('Legacy').trim().replace(/,$/, '')}]),`,
      createModel('Report', ", options={'managed': False}"),
    ].join('\n'),
  ),
  'shop/migrations/0003_rename.py': migration('0002_category', "        migrations.RenameModel('Category', 'Group'),"),
  'shop/migrations/0004_indexes.py': migration(
    '0003_rename',
    "        migrations.AddField('group', 'rank', models.IntegerField(default=0)),",
  ),
};

describe('lint state oracle: was a table there before this deploy', () => {
  let project: MigrationProject;
  let root: string;
  const file = (name: string) => path.join(root, 'shop', 'migrations', `${name}.py`);
  const applied = (...names: string[]): ReadonlySet<MigrationKey> => new Set(names.map((name) => migrationKey('shop', name)));
  const existed = (model: string, deploy: LintDeploy) =>
    lintStateOracle(project, migrationKey('shop', '0004_indexes'), deploy).tableExistedBefore?.('shop', model);

  before(async () => {
    root = projectFolder(FILES);
    [project] = await loadProjects(root, { trusted: false });
  });

  it('asks the databases: a table created by a migration not applied there is new, by an applied one existed', () => {
    assert.equal(existed('product', { applied: [applied('0001_initial')] }), true);
    // Renamed since: the table is still the one 0002 created.
    assert.equal(existed('group', { applied: [applied('0001_initial')] }), false);
    assert.equal(existed('group', { applied: [applied('0001_initial', '0002_category', '0003_rename')] }), true);
  });

  it('counts a table as new only when every database that knows agrees', () => {
    assert.equal(existed('group', { applied: [applied('0001_initial'), applied('0001_initial', '0002_category')] }), true);
    assert.equal(existed('group', { applied: [applied('0001_initial'), applied('0001_initial', '0002_category')].reverse() }), true);
    // A database where the linted migration already ran cannot say which deploy brought the table.
    const everything = applied('0001_initial', '0002_category', '0003_rename', '0004_indexes');
    assert.equal(existed('group', { applied: [everything] }), undefined);
    assert.equal(existed('group', { applied: [everything, applied('0001_initial')] }), false);
  });

  it('asks the branch: a table created by a migration the branch adds is new, by one it does not add existed', () => {
    const branch = new Set([file('0002_category'), file('0003_rename'), file('0004_indexes')]);
    assert.equal(existed('group', { branchFiles: branch }), false);
    assert.equal(existed('product', { branchFiles: branch }), true);
    // A database that has the table outweighs the branch.
    assert.equal(existed('group', { branchFiles: branch, applied: [applied('0001_initial', '0002_category')] }), true);
    // The linted migration is not the branch's: the branch says nothing.
    assert.equal(existed('group', { branchFiles: new Set([file('0002_category')]) }), undefined);
  });

  it('answers nothing without a database or branch, for tables made in the state only or not managed, and for unknown models', () => {
    assert.equal(existed('group', {}), undefined);
    assert.equal(existed('legacy', { applied: [applied('0001_initial')] }), undefined);
    assert.equal(existed('report', { applied: [applied('0001_initial')] }), undefined);
    assert.equal(existed('nothing', { applied: [applied('0001_initial')] }), undefined);
  });

  it('counts a squash applied when everything it replaces is', async () => {
    const squashRoot = projectFolder({
      ...FILES,
      'shop/migrations/0001_squashed_0002_category.py': migration(
        undefined,
        [createModel('Product'), createModel('Category')].join('\n'),
        "    replaces = [('shop', '0001_initial'), ('shop', '0002_category')]\n",
      ),
    });
    const [squashed] = await loadProjects(squashRoot, { trusted: false });
    const oracle = (deploy: LintDeploy) =>
      lintStateOracle(squashed, migrationKey('shop', '0004_indexes'), deploy).tableExistedBefore?.('shop', 'group');
    assert.equal(oracle({ applied: [applied('0001_initial')] }), false);
    assert.equal(oracle({ applied: [applied('0001_initial', '0002_category')] }), true);
  });

  it('the rules warn on a table that existed and stay silent on one created in the same deploy', async () => {
    const text = migration('0003_rename', "        migrations.AddField('group', 'rank', models.IntegerField(default=0)),");
    const state = (deploy: LintDeploy) => lintStateOracle(project, migrationKey('shop', '0004_indexes'), deploy);
    const codes = async (deploy: LintDeploy) => (await lintText(text, { name: '0004_indexes', state: state(deploy) })).map((p) => p.code);
    assert.deepEqual(await codes({ applied: [applied('0001_initial')] }), []);
    assert.deepEqual(await codes({ applied: [applied('0001_initial', '0002_category')] }), ['add-field-not-null']);
    assert.deepEqual(await codes({}), ['add-field-not-null']);
  });
});
