import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EMPTY_CONFIGURATION } from '../../server/src/core/lints/lintConfiguration';
import { parseServerVersion } from '../../server/src/core/lints/lintTarget';
import { migrationKey } from '../../server/src/core/migration';
import { lintStateOracle } from '../../server/src/project/lintStateOracle';
import { loadProjects } from '../../server/src/project/projectLoader';
import { managePy, projectFolder, writeFiles } from '../support/projectFolder';
import { shellOutput, testDjangoSeries } from '../support/testDjango';
import { codes, lintText, SQLITE } from '../unit/core/lints/lintText';
import { DJANGO_PYTHON } from './commandsProject';
import { shopMigration } from './lintFidelityProject';

const run = promisify(execFile);

const INITIAL = shopMigration(
  '__first__',
  `        migrations.CreateModel(name='Category', fields=[('id', models.AutoField(primary_key=True))]),
        migrations.CreateModel(name='Product', fields=[
            ('id', models.AutoField(primary_key=True)),
            ('name', models.CharField(max_length=100)),
            ('quantity', models.IntegerField(null=True)),
            ('category', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='shop.category')),
        ]),`,
).replace("        ('shop', '__first__'),\n", '');

/** Operations on the existing table `shop_product`, each the only one of migration 0002. */
const CASES: Record<string, string> = {
  alter_max_length: "migrations.AlterField(model_name='product', name='name', field=models.CharField(max_length=200))",
  alter_help_text:
    "migrations.AlterField(model_name='product', name='name', field=models.CharField(max_length=100, help_text='Shown in forms'))",
  alter_choices: "migrations.AlterField(model_name='product', name='name', field=models.CharField(max_length=100, choices=[('a', 'A')]))",
  alter_db_column: "migrations.AlterField(model_name='product', name='name', field=models.CharField(max_length=100, db_column='title'))",
  alter_foreign_key_column:
    "migrations.AlterField(model_name='product', name='category', field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='shop.category', db_column='cat'))",
  alter_null: "migrations.AlterField(model_name='product', name='quantity', field=models.IntegerField(null=True, blank=True))",
  add_nullable: "migrations.AddField(model_name='product', name='price', field=models.IntegerField(null=True))",
  add_default: "migrations.AddField(model_name='product', name='price', field=models.IntegerField(default=0))",
  add_unique_field: "migrations.AddField(model_name='product', name='code', field=models.CharField(max_length=10, null=True, unique=True))",
  remove_column: "migrations.RemoveField(model_name='product', name='quantity')",
  remove_foreign_key: "migrations.RemoveField(model_name='product', name='category')",
  add_check:
    "migrations.AddConstraint(model_name='product', constraint=models.CheckConstraint(check=models.Q(quantity__gte=0), name='q_gte_0'))",
  add_unique_constraint:
    "migrations.AddConstraint(model_name='product', constraint=models.UniqueConstraint(fields=['name'], name='u_name'))",
  add_partial_unique:
    "migrations.AddConstraint(model_name='product', constraint=models.UniqueConstraint(fields=['name'], condition=models.Q(quantity__gt=0), name='u_name_pos'))",
};

/**
 * sqlite-table-rebuild against the real Django's SQLite schema editor: for each operation, the
 * rule speaks exactly when `sqlmigrate` shows the rebuild (a `new__` table, the rows copied, the
 * old table dropped, the new one renamed), on the Django series under test.
 */
describe('sqlite-table-rebuild against the real SQLite schema editor', function () {
  this.timeout(180_000);

  it('reports exactly the operations Django runs by rebuilding the table, for this Django release', async () => {
    const files: Record<string, string> = {
      'manage.py': managePy('site_settings.settings'),
      'site_settings/__init__.py': '',
      'site_settings/settings.py':
        "SECRET_KEY = 'fidelity'\nINSTALLED_APPS = ['shop']\nDEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n" +
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n",
      'shop/__init__.py': '',
      'shop/models.py': '',
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': INITIAL,
    };
    const root = projectFolder(files);
    const texts = Object.fromEntries(
      Object.entries(CASES).map(([name, operation]) => [name, shopMigration('0001_initial', `        ${operation},`)]),
    );
    // Sibling leaves of 0001: sqlmigrate reads each alone.
    for (const [name, text] of Object.entries(texts)) writeFiles(root, { [`shop/migrations/0002_${name}.py`]: text });
    const [loaded] = await loadProjects(root, { trusted: false });
    const configuration = { ...EMPTY_CONFIGURATION, select: ['sqlite-table-rebuild'] };
    const djangoVersion = parseServerVersion(testDjangoSeries)!;

    const reported: Record<string, boolean> = {};
    for (const [name, text] of Object.entries(texts)) {
      // The migration state before it, as the project on disk has it (RemoveField asks it what the field was).
      const state = lintStateOracle(loaded, migrationKey('shop', `0002_${name}`));
      const problems = await lintText(text, { name: `0002_${name}`, targets: [SQLITE], djangoVersion, configuration, state });
      reported[name] = codes(problems).includes('sqlite-table-rebuild');
    }
    const script =
      'import json\nfrom django.core.management import call_command\nfrom io import StringIO\nout = {}\n' +
      `for name in ${JSON.stringify(Object.keys(CASES))}:\n` +
      "    buffer = StringIO()\n    call_command('sqlmigrate', 'shop', '0002_' + name, stdout=buffer)\n    out[name] = buffer.getvalue()\n" +
      'print(json.dumps(out))\n';
    const { stdout } = await run(DJANGO_PYTHON, ['manage.py', 'shell', '-c', script], {
      cwd: root,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    const sql = JSON.parse(shellOutput(stdout)) as Record<string, string>;
    const rebuilt = Object.fromEntries(
      Object.entries(sql).map(([name, text]) => [name, text.includes('CREATE TABLE "new__shop_product"')]),
    );
    assert.deepEqual(reported, rebuilt, JSON.stringify(sql, null, 1));

    // What the message describes, step by step, for AlterField on every release.
    assert.match(
      sql.alter_max_length,
      /CREATE TABLE "new__shop_product"[\s\S]*INSERT INTO "new__shop_product" [\s\S]*SELECT [\s\S]*FROM "shop_product";[\s\S]*DROP TABLE "shop_product";[\s\S]*ALTER TABLE "new__shop_product" RENAME TO "shop_product";/,
    );
    // The cases the releases tell apart are covered: 4.0+ adds a nullable column in place, 3.2 rebuilds for it.
    assert.equal(rebuilt.add_nullable, testDjangoSeries === '3.2');
    assert.equal(rebuilt.remove_column, testDjangoSeries === '3.2');
    assert.equal(rebuilt.alter_help_text, false);
    assert.equal(rebuilt.alter_db_column, false);
    assert.equal(rebuilt.alter_foreign_key_column, true);
    assert.equal(rebuilt.alter_choices, testDjangoSeries === '3.2');
  });
});
