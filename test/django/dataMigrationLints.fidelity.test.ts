import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { EMPTY_CONFIGURATION } from '../../server/src/core/lints/lintConfiguration';
import Database from 'better-sqlite3';
import { managePy, projectFolder } from '../support/projectFolder';
import { testDjangoSeries } from '../support/testDjango';
import { applyFix } from '../unit/core/lints/applyFix';
import { codes, lintText, SQLITE } from '../unit/core/lints/lintText';
import { DJANGO_PYTHON } from './commandsProject';
import { shopMigration } from './lintFidelityProject';

const execute = promisify(execFile);

/** Every SQL statement Django runs is logged on the console (DEBUG), so a test can count them. */
const SETTINGS =
  "SECRET_KEY = 'fidelity'\nDEBUG = True\nINSTALLED_APPS = ['shop']\nDEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n" +
  "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n" +
  "LOGGING = {'version': 1, 'handlers': {'console': {'class': 'logging.StreamHandler'}},\n" +
  "           'loggers': {'django.db.backends': {'handlers': ['console'], 'level': 'DEBUG'}}}\n";

const MODELS = 'from django.db import models\n\n\nclass Product(models.Model):\n    name = models.CharField(max_length=100)\n';

const INITIAL = shopMigration(
  '__first__',
  `        migrations.CreateModel(name='Product', fields=[
            ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('name', models.CharField(max_length=100)),
        ]),
        migrations.RunSQL(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO shop_product (name) SELECT 'p' || i FROM n",
            migrations.RunSQL.noop,
        ),`,
).replace("        ('shop', '__first__'),\n", '');

/** A SQLite project with `shop.Product` (50 rows once migrated) and the real `manage.py` of the Django under test. */
function sqliteProject(migrations: Record<string, string>, models = MODELS) {
  const root = projectFolder({
    'manage.py': managePy('site_settings.settings'),
    'site_settings/__init__.py': '',
    'site_settings/settings.py': SETTINGS,
    'shop/__init__.py': '',
    'shop/models.py': models,
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': INITIAL,
    ...Object.fromEntries(Object.entries(migrations).map(([name, text]) => [`shop/migrations/${name}.py`, text])),
  });
  const manage = (...args: string[]) =>
    execute(DJANGO_PYTHON, ['manage.py', ...args], { cwd: root, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? -1,
        output: `${error.stdout}${error.stderr}`,
      }),
    );
  return { root, manage };
}

const lint = (text: string, name: string, rule: string) =>
  lintText(text, { name, targets: [SQLITE], configuration: { ...EMPTY_CONFIGURATION, select: [rule] } });

/** The informational rules on data and raw SQL migrations, shown with the real Django on a real SQLite file. */
describe('run-sql-ddl and the RunPython rules applied by Django', function () {
  this.timeout(180_000);

  it('run-sql-ddl: the column RunSQL adds is unknown to the migration state, so makemigrations adds it again and migrate breaks on it; state_operations keep them in step', async () => {
    const sql =
      "['ALTER TABLE shop_product ADD COLUMN price integer NULL', 'UPDATE shop_product SET price = 7'], 'ALTER TABLE shop_product DROP COLUMN price'";
    const hidden = shopMigration('0001_initial', `        migrations.RunSQL(${sql}),`);
    assert.deepEqual(codes(await lint(hidden, '0002_price', 'run-sql-ddl')), ['run-sql-ddl']);
    const withPrice = `${MODELS}    price = models.IntegerField(null=True)\n`;

    const project = sqliteProject({ '0002_price': hidden }, withPrice);
    const migrated = await project.manage('migrate', '--noinput');
    assert.equal(migrated.code, 0, migrated.output);
    const pricesSet = () => {
      const db = new Database(path.join(project.root, 'db.sqlite3'), { readonly: true });
      try {
        return db.prepare('SELECT count(*) AS n FROM shop_product WHERE price IS NOT NULL').get();
      } finally {
        db.close();
      }
    };
    assert.deepEqual(pricesSet(), { n: 50 });
    // The model now matches the table, yet Django's state has no price: it writes the column again...
    const made = await project.manage('makemigrations', 'shop');
    assert.equal(made.code, 0, made.output);
    assert.match(made.output, /Add field price to product/);
    const again = await project.manage('migrate', '--noinput');
    if (testDjangoSeries === '3.2') {
      // ...which Django 3.2 does by rebuilding the table from the state's columns: the prices are gone.
      assert.equal(again.code, 0, again.output);
      assert.deepEqual(pricesSet(), { n: 0 });
    } else {
      // ...which the database refuses (ALTER TABLE ADD COLUMN).
      assert.notEqual(again.code, 0);
      assert.match(again.output, /duplicate column name: price/);
    }

    const described = shopMigration(
      '0001_initial',
      `        migrations.RunSQL(${sql}, state_operations=[migrations.AddField('product', 'price', models.IntegerField(null=True))]),`,
    );
    assert.deepEqual(codes(await lint(described, '0002_price', 'run-sql-ddl')), []);
    const fixed = sqliteProject({ '0002_price': described }, withPrice);
    const applied = await fixed.manage('migrate', '--noinput');
    assert.equal(applied.code, 0, applied.output);
    const check = await fixed.manage('makemigrations', 'shop', '--check', '--dry-run');
    assert.equal(check.code, 0, check.output);
    assert.match(check.output, /No changes detected/);
  });

  it('run-python-unbatched: save() in a loop over a whole queryset runs one UPDATE per row; iterator() with bulk_update(batch_size=) one per batch', async () => {
    const perRow = shopMigration(
      '0001_initial',
      '        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),',
    ).replace(
      '\n\nclass Migration',
      "\n\ndef forwards(apps, schema_editor):\n    Product = apps.get_model('shop', 'Product')\n" +
        '    for product in Product.objects.all():\n        product.name = product.name.upper()\n        product.save()\n\n\nclass Migration',
    );
    const batched = perRow.replace(
      '    for product in Product.objects.all():\n        product.name = product.name.upper()\n        product.save()\n',
      '    products = []\n    for product in Product.objects.all().iterator(chunk_size=20):\n        product.name = product.name.upper()\n' +
        "        products.append(product)\n    Product.objects.bulk_update(products, ['name'], batch_size=20)\n",
    );
    assert.deepEqual(codes(await lint(perRow, '0002_upper', 'run-python-unbatched')), ['run-python-unbatched']);
    assert.deepEqual(codes(await lint(batched, '0002_upper', 'run-python-unbatched')), []);

    const updates = async (text: string) => {
      const project = sqliteProject({ '0002_upper': text });
      const result = await project.manage('migrate', '--noinput');
      assert.equal(result.code, 0, result.output);
      return result.output.split('\n').filter((line) => /UPDATE "shop_product"/.test(line)).length;
    };
    assert.equal(await updates(perRow), 50);
    assert.equal(await updates(batched), 3);
  });

  it('run-python-not-elidable: squashmigrations keeps the RunPython; with the quick fix (elidable=True) the squash drops it', async () => {
    const data = shopMigration('0001_initial', '        migrations.RunPython(forwards, migrations.RunPython.noop),').replace(
      '\n\nclass Migration',
      "\n\ndef forwards(apps, schema_editor):\n    apps.get_model('shop', 'Product').objects.update(name='x')\n\n\nclass Migration",
    );
    const next = shopMigration(
      '0002_data',
      "        migrations.AddField(model_name='product', name='price', field=models.IntegerField(null=True)),",
    );
    const problems = await lint(data, '0002_data', 'run-python-not-elidable');
    assert.deepEqual(codes(problems), ['run-python-not-elidable']);
    const elidable = applyFix(data, problems[0], /elidable=True/);
    assert.deepEqual(codes(await lint(elidable, '0002_data', 'run-python-not-elidable')), []);

    const squashed = async (text: string) => {
      const project = sqliteProject({ '0002_data': text, '0003_price': next });
      const result = await project.manage('squashmigrations', 'shop', '0003', '--noinput');
      assert.equal(result.code, 0, result.output);
      const directory = path.join(project.root, 'shop', 'migrations');
      const file = readdirSync(directory).find((name) => name.includes('_squashed_'));
      assert.ok(file, result.output);
      return readFileSync(path.join(directory, file), 'utf8');
    };
    assert.match(await squashed(data), /migrations\.RunPython\(/);
    const dropped = await squashed(elidable);
    assert.doesNotMatch(dropped, /RunPython/);
    assert.match(dropped, /AddField/);
  });
});
