import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { appFiles, managePy, projectFolder, settingsPy, temporaryFolder } from '../../support/projectFolder';
import { runCli } from './cliProcess';

const SETTINGS = settingsPy(
  ['shop'],
  "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'HOST': '127.0.0.1', 'PORT': '1'}}",
);

const INITIAL =
  'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n    dependencies = []\n\n' +
  "    operations = [\n        migrations.CreateModel(name='Product', fields=[('id', models.AutoField(primary_key=True)), ('name', models.CharField(max_length=100))]),\n    ]\n";

/** An AddIndex (a lint finding on PostgreSQL) under a suppression comment for `rule`. */
const indexSuppressing = (rule: string) =>
  "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n    dependencies = [('shop', '0001_initial')]\n\n" +
  `    operations = [\n        # django-migrations: ignore[${rule}] reviewed\n` +
  "        migrations.AddIndex(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),\n    ]\n";

describe('check --cache-dir', () => {
  it('gives the answer of a run without cache, and a new one as soon as a file changes between runs', async () => {
    const root = projectFolder({
      'manage.py': managePy('config.settings'),
      'config/__init__.py': '',
      'config/settings.py': SETTINGS,
      ...appFiles('shop', { '0001_initial': INITIAL, '0002_index': indexSuppressing('add-index-non-concurrent') }),
    });
    const cacheDirectory = temporaryFolder('cache');
    const check = async (...options: string[]) => {
      const result = await runCli(['check', root, '--format', 'json', '--server-version', '15', ...options]);
      assert.ok(result.code === 0 || result.code === 1, result.stderr);
      return (JSON.parse(result.stdout) as { file: string; code: string }[]).map((p) => `${p.file} ${p.code}`);
    };
    const cached = () => check('--cache-dir', cacheDirectory);

    assert.deepEqual(await check(), []);
    assert.deepEqual(await cached(), [], 'first run, writing the cache');
    assert.ok(readdirSync(cacheDirectory).length >= 2, readdirSync(cacheDirectory).join(', '));
    assert.deepEqual(await cached(), [], 'warm');

    // The comment now names another rule: the finding is back, from the cache as without it.
    const file = path.join(root, 'shop', 'migrations', '0002_index.py');
    writeFileSync(file, indexSuppressing('alter-field-type'));
    const expected = await check();
    assert.deepEqual(expected, [
      'shop/migrations/0002_index.py unused-suppression',
      'shop/migrations/0002_index.py add-index-non-concurrent',
    ]);
    assert.deepEqual(await cached(), expected);
    assert.deepEqual(await cached(), expected, 'warm again');

    // Every cache file cut short or overwritten: the same answer as without a cache.
    for (const name of readdirSync(cacheDirectory)) {
      const cacheFile = path.join(cacheDirectory, name);
      writeFileSync(cacheFile, readFileSync(cacheFile).subarray(0, 40));
    }
    assert.deepEqual(await cached(), expected, 'cut short');
    for (const name of readdirSync(cacheDirectory)) {
      const cacheFile = path.join(cacheDirectory, name);
      const bytes = readFileSync(cacheFile);
      bytes[bytes.length - 3] ^= 0xff;
      writeFileSync(cacheFile, bytes);
    }
    assert.deepEqual(await cached(), expected, 'a byte changed');

    writeFileSync(file, indexSuppressing('add-index-non-concurrent'));
    assert.deepEqual(await cached(), []);
  });
});
