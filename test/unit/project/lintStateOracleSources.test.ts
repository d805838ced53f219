import * as assert from 'node:assert/strict';
import { migrationKey } from '../../../server/src/core/migration';
import { lintStateOracle } from '../../../server/src/project/lintStateOracle';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { managePy, projectFolder } from '../../support/projectFolder';

const header = 'from django.db import migrations, models\nimport django.db.models.deletion\n\n\nclass Migration(migrations.Migration):\n';
const migration = (dependency: string | undefined, operations: string) =>
  `${header}    dependencies = ${dependency ? `[('shop', '${dependency}')]` : '[]'}\n    operations = [\n${operations}\n    ]\n`;

/**
 * shop: 0001 creates Category, Product (a foreign key to Category), Tag (many-to-many to Product)
 * and Label (its own db_table); 0002 renames Category to Group; 0003 is the one linted.
 */
const FILES = {
  'manage.py': managePy('config.settings'),
  'config/__init__.py': '',
  'config/settings.py': "INSTALLED_APPS = ['shop']\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop'}}\n",
  'shop/__init__.py': '',
  'shop/migrations/__init__.py': '',
  'shop/migrations/0001_initial.py': migration(
    undefined,
    [
      "        migrations.CreateModel('Category', [('id', models.AutoField(primary_key=True))]),",
      "        migrations.CreateModel('Product', [",
      "            ('id', models.AutoField(primary_key=True)),",
      "            ('quantity',  models.IntegerField(\n                null=True,\n            )),",
      "            ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.category')),",
      '        ]),',
      "        migrations.CreateModel('Tag', [('id', models.AutoField(primary_key=True)), ('products', models.ManyToManyField(to='shop.Product'))]),",
      "        migrations.CreateModel('Label', [('id', models.AutoField(primary_key=True))], options={'db_table': 'labels'}),",
    ].join('\n'),
  ),
  'shop/migrations/0002_group.py': migration('0001_initial', "        migrations.RenameModel('Category', 'Group'),"),
  'shop/migrations/0003_change.py': migration('0002_group', "        migrations.RenameField('product', 'quantity', 'stock'),"),
};

describe('lint state oracle: names and source text for the keep-name fixes', () => {
  it("answers a field's text as written, its table's name, and whether a many-to-many table is named after it", async () => {
    const [project] = await loadProjects(projectFolder(FILES), { trusted: false });
    const state = lintStateOracle(project, migrationKey('shop', '0003_change'));
    assert.equal(
      state.fieldSourceBefore?.('shop', 'product', 'quantity'),
      'models.IntegerField(\n                null=True,\n            )',
    );
    assert.equal(state.fieldSourceBefore?.('shop', 'product', 'category'), undefined, 'the rename retargeted it: not as written');
    assert.equal(state.fieldSourceBefore?.('shop', 'product', 'missing'), undefined);
    assert.equal(state.tableNameBefore?.('shop', 'group'), 'shop_group');
    assert.equal(state.tableNameBefore?.('shop', 'label'), 'labels');
    assert.equal(state.tableNameBefore?.('shop', 'category'), undefined, 'renamed away');
    assert.equal(state.hasAutoManyToManyBefore?.('shop', 'product'), true, 'pointed at');
    assert.equal(state.hasAutoManyToManyBefore?.('shop', 'tag'), true, 'on it');
    assert.equal(state.hasAutoManyToManyBefore?.('shop', 'group'), false);
  });

  it('answers the table and primary key a relation points at, following renames, db_table and db_column', async () => {
    const files = {
      ...FILES,
      'shop/migrations/0003_change.py': migration(
        '0002_group',
        "        migrations.CreateModel('Code', [('code', models.CharField(max_length=10, primary_key=True, db_column='the_code'))]),",
      ),
      'shop/migrations/0004_change.py': migration(
        '0003_change',
        "        migrations.AddField('product', 'code', models.IntegerField(null=True)),",
      ),
    };
    const [project] = await loadProjects(projectFolder(files), { trusted: false });
    const state = lintStateOracle(project, migrationKey('shop', '0004_change'));
    const to = (value: string) => ({
      kind: 'str' as const,
      value,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    });
    assert.deepEqual(state.relationTargetBefore?.('shop', 'product', to('shop.Group')), {
      table: 'shop_group',
      column: 'id',
      fieldClass: 'AutoField',
    });
    assert.deepEqual(state.relationTargetBefore?.('shop', 'product', to('Label')), {
      table: 'labels',
      column: 'id',
      fieldClass: 'AutoField',
    });
    assert.deepEqual(state.relationTargetBefore?.('shop', 'product', to('shop.code')), {
      table: 'shop_code',
      column: 'the_code',
      fieldClass: 'CharField',
    });
    assert.equal(state.relationTargetBefore?.('shop', 'product', to('shop.Category')), undefined, 'renamed away');
    assert.equal(state.relationTargetBefore?.('shop', 'product', to('elsewhere.Thing')), undefined);
  });
});
