import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { migrationKey } from '../../server/src/core/migration';
import { lintStateOracle } from '../../server/src/project/lintStateOracle';
import { loadProjects } from '../../server/src/project/projectLoader';
import { managePy, projectFolder, writeFiles } from '../support/projectFolder';
import { applyFix } from '../unit/core/lints/applyFix';
import { codes, lintText, POSTGRES_15 } from '../unit/core/lints/lintText';
import { DJANGO_PYTHON } from './commandsProject';

const run = promisify(execFile);

const header = 'from django.db import migrations, models\nimport django.db.models.deletion\n\n\nclass Migration(migrations.Migration):\n\n';
const migration = (dependency: string, operations: string) =>
  `${header}    dependencies = [\n        ('shop', '${dependency}'),\n    ]\n\n    operations = [\n${operations}\n    ]\n`;

const INITIAL =
  `${header}    initial = True\n\n    dependencies = []\n\n    operations = [\n` +
  "        migrations.CreateModel(\n            name='Category',\n            fields=[\n" +
  "                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),\n" +
  "                ('title', models.CharField(max_length=100)),\n            ],\n        ),\n" +
  "        migrations.CreateModel(\n            name='Product',\n            fields=[\n" +
  "                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),\n" +
  "                ('quantity', models.IntegerField(null=True)),\n" +
  "                ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.category')),\n" +
  '            ],\n        ),\n    ]\n';

const MODELS_BEFORE = `from django.db import models


class Category(models.Model):
    title = models.CharField(max_length=100)


class Product(models.Model):
    quantity = models.IntegerField(null=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE)
`;

/** The models after the renames, as the fixes' titles ask: the old column and table names kept. */
const MODELS_AFTER = `from django.db import models


class Section(models.Model):
    title = models.CharField(max_length=100)

    class Meta:
        db_table = 'shop_category'


class Product(models.Model):
    stock = models.IntegerField(null=True, db_column='quantity')
    kind = models.ForeignKey(Section, on_delete=models.CASCADE, db_column='category_id')
`;

/** What the previous release still runs while the new one deploys. */
const OLD_RELEASE = 'SELECT p.id, p.quantity, p.category_id, c.title FROM shop_product p JOIN shop_category c ON c.id = p.category_id';

/**
 * The rename-field and rename-model quick fixes, applied by the real Django to SQLite: the
 * fixed migrations keep the old column and table (the previous release's query still works),
 * and with the model changes the fix titles ask for, makemigrations finds nothing left to do.
 */
describe('rename fixes applied by Django keep the column and the table', function () {
  this.timeout(120_000);
  let root: string;

  const manage = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(DJANGO_PYTHON, ['manage.py', ...args], {
        cwd: root,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  };
  const migrate = async (target: string) => {
    const result = await manage('migrate', 'shop', target, '--noinput');
    assert.equal(result.code, 0, result.output);
  };
  const withDatabase = <T>(body: (db: Database.Database) => T): T => {
    const db = new Database(path.join(root, 'db.sqlite3'), { readonly: true });
    try {
      return body(db);
    } finally {
      db.close();
    }
  };
  const columns = (table: string) =>
    withDatabase((db) =>
      db
        .prepare(`PRAGMA table_info(${table})`)
        .all()
        .map((c) => (c as { name: string }).name),
    );
  const tables = () =>
    withDatabase((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'shop_%' ORDER BY name").all()).map(
      (t) => (t as { name: string }).name,
    );
  const oldRelease = () => withDatabase((db) => db.prepare(OLD_RELEASE).all());

  /** Lints `text` as migration `name` of the project on disk (state from its other migrations) and applies every keep fix. */
  async function fixed(name: string, text: string, title: RegExp): Promise<string> {
    const [project] = await loadProjects(root, { trusted: false });
    const state = lintStateOracle(project, migrationKey('shop', name));
    const lint = (source: string) => lintText(source, { app: 'shop', name, targets: [POSTGRES_15], state });
    let current = text;
    for (let problems = await lint(current); problems.length > 0; problems = await lint(current)) {
      current = applyFix(current, problems[0], title);
    }
    assert.deepEqual(codes(await lint(current)), []);
    return current;
  }

  before(async () => {
    root = projectFolder({
      'manage.py': managePy('site_settings.settings'),
      'site_settings/__init__.py': '',
      'site_settings/settings.py':
        "SECRET_KEY = 'fidelity'\nINSTALLED_APPS = ['shop']\nDEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n" +
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n",
      'shop/__init__.py': '',
      'shop/models.py': MODELS_BEFORE,
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': INITIAL,
    });
    await migrate('0001_initial');
    const check = await manage('makemigrations', 'shop', '--check', '--dry-run');
    assert.equal(check.code, 0, `the project starts without pending model changes: ${check.output}`);
    const db = new Database(path.join(root, 'db.sqlite3'));
    db.exec("INSERT INTO shop_category (title) VALUES ('tools'); INSERT INTO shop_product (quantity, category_id) VALUES (3, 1);");
    db.close();
  });

  it('RenameField: Django renames the column; the fixed migration keeps quantity and category_id', async () => {
    const renames = migration(
      '0001_initial',
      "        migrations.RenameField(\n            model_name='product',\n            old_name='quantity',\n            new_name='stock',\n        ),\n" +
        "        migrations.RenameField(\n            model_name='product',\n            old_name='category',\n            new_name='kind',\n        ),",
    );
    writeFiles(root, { 'shop/migrations/0002_renames.py': renames });
    await migrate('0002_renames');
    assert.deepEqual(columns('shop_product').sort(), ['id', 'kind_id', 'stock'], 'as written, the columns move');
    assert.throws(oldRelease, /no such column/);
    await migrate('0001_initial');

    const rewrite = await fixed('0002_renames', renames, /Keep the column/);
    assert.match(rewrite, /db_column='quantity'/);
    assert.match(rewrite, /db_column='category_id'/);
    writeFiles(root, { 'shop/migrations/0002_renames.py': rewrite });
    await migrate('0002_renames');
    assert.deepEqual(columns('shop_product').sort(), ['category_id', 'id', 'quantity']);
    assert.deepEqual(oldRelease(), [{ id: 1, quantity: 3, category_id: 1, title: 'tools' }]);
  });

  it('RenameModel: Django renames the table; the fixed migration keeps shop_category, and makemigrations is then clean', async () => {
    const rename = migration(
      '0002_renames',
      "        migrations.RenameModel(\n            old_name='Category',\n            new_name='Section',\n        ),",
    );
    writeFiles(root, { 'shop/migrations/0003_section.py': rename });
    await migrate('0003_section');
    assert.deepEqual(tables(), ['shop_product', 'shop_section'], 'as written, the table moves');
    assert.throws(oldRelease, /no such table/);
    await migrate('0002_renames');

    const rewrite = await fixed('0003_section', rename, /Keep the table 'shop_category'/);
    writeFiles(root, { 'shop/migrations/0003_section.py': rewrite });
    await migrate('0003_section');
    assert.deepEqual(tables(), ['shop_category', 'shop_product']);
    assert.equal(oldRelease().length, 1);

    writeFiles(root, { 'shop/models.py': MODELS_AFTER });
    const check = await manage('makemigrations', 'shop', '--check', '--dry-run');
    assert.equal(check.code, 0, `the models with db_column / db_table match the fixed migrations' state: ${check.output}`);
    assert.match(check.output, /No changes detected/);
  });
});
