import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { djangoPostgresDatabase } from '../db/migratedDjangoProject';
import { createTestDatabase, dropTestDatabase, runSql, testPostgresUrl } from '../db/postgresCluster';
import { applyEdits, LspClient } from './lspClient';
import { djangoProject, TemporaryWorkspace } from './temporaryWorkspace';

const INITIAL =
  'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n    initial = True\n\n    dependencies = []\n\n' +
  "    operations = [\n        migrations.CreateModel(name='Product', fields=[('id', models.AutoField(primary_key=True)), ('name', models.CharField(max_length=100))]),\n    ]\n";
const ADD_INDEX =
  "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n    dependencies = [('shop', '0001_initial')]\n\n" +
  "    operations = [\n        migrations.AddIndex(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),\n    ]\n";

/** The lint rules through the language server: a PostgreSQL project whose server version is read from the server. */
describe('server: lint diagnostics', function () {
  this.timeout(120_000);
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let databaseUrl: string;
  let root: string;
  let untrustedClient: LspClient | undefined;

  before(async () => {
    databaseUrl = await createTestDatabase(await testPostgresUrl(), 'lintserver');
    workspace = await TemporaryWorkspace.create();
    const files = djangoProject(['shop'], {
      'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_index.py': ADD_INDEX,
      'pyproject.toml': '[tool.django-migrations]\nignore = ["remove-field"]\n',
    });
    files['config/settings.py'] += `DATABASES = {'default': ${JSON.stringify(djangoPostgresDatabase(databaseUrl))}}\n`;
    root = await workspace.writeProject('shop_project', files);
    ({ client } = await LspClient.start({ folders: [root], initializationOptions: { trusted: true } }));
  });

  after(async () => {
    await client?.shutdown().catch(() => client.kill());
    await untrustedClient?.shutdown().catch(() => untrustedClient!.kill());
    await workspace?.dispose();
    await dropTestDatabase(databaseUrl);
  });

  it("warns about AddIndex with the server's own version, and writes the concurrent form as the preferred fix", async () => {
    const file = path.join(root, 'shop/migrations/0002_index.py');
    const uri = await client.open(file, ADD_INDEX);
    const diagnostics = await client.diagnosticsWhen(uri, (items) => items.some((d) => d.code === 'add-index-non-concurrent'), 20_000);
    const [diagnostic] = diagnostics.filter((d) => d.code === 'add-index-non-concurrent');
    assert.match(diagnostic.message, /PostgreSQL 1\d\.\d+\) holds a SHARE lock/);
    assert.doesNotMatch(diagnostic.message, /assumed/);
    assert.equal(diagnostic.source, 'django-migrations');
    const actions = ((await client.codeActions(uri, diagnostic.range, [diagnostic])) ?? []) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred]),
      [
        ['Build the index concurrently (AddIndexConcurrently, atomic = False)', true],
        ['Suppress for this operation', false],
      ],
    );
    const fixed = applyEdits(ADD_INDEX, actions[0].edit!.changes![uri]);
    await client.change(uri, fixed);
    await client.diagnosticsWhen(uri, (items) => !items.some((d) => String(d.code).startsWith('add-index')));
    assert.match(fixed, /atomic = False/);

    const hover = await client.hover(uri, { line: fixed.split('\n').findIndex((l) => l.includes('atomic = False')), character: 6 });
    assert.match(JSON.stringify(hover?.contents), /PostgreSQL: each operation commits on its own/);
  });

  it('reports a wrong rule id in pyproject.toml, in that file', async () => {
    const file = path.join(root, 'pyproject.toml');
    const text = '[tool.django-migrations]\nignore = ["remove-feild"]\n';
    const uri = await client.open(file, text, 'toml');
    const diagnostics = await client.diagnosticsWhen(uri, (items) => items.length > 0, 20_000);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.message]),
      [['project-configuration', 1, "[tool.django-migrations] Unknown rule 'remove-feild'."]],
    );
  });

  it('stays silent on a table created by a migration the database has not applied yet: it ships in the same deploy', async () => {
    const deployUrl = await createTestDatabase(await testPostgresUrl(), 'lintdeploy');
    let deployClient: LspClient | undefined;
    try {
      // The database has 0001 (Product) applied, not 0002 (Category): Category's table ships with 0003.
      await runSql(
        deployUrl,
        'CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL, applied timestamptz NOT NULL)',
        "INSERT INTO django_migrations (app, name, applied) VALUES ('shop', '0001_initial', now())",
      );
      const header = 'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n';
      const category =
        `${header}    dependencies = [('shop', '0001_initial')]\n\n    operations = [\n` +
        "        migrations.CreateModel(name='Category', fields=[('id', models.AutoField(primary_key=True)), ('title', models.CharField(max_length=50))]),\n    ]\n";
      const indexes =
        `${header}    dependencies = [('shop', '0002_category')]\n\n    operations = [\n` +
        "        migrations.AddIndex(model_name='category', index=models.Index(fields=['title'], name='category_title_idx')),\n" +
        "        migrations.AddIndex(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),\n    ]\n";
      const files = djangoProject(['shop'], {
        'shop/migrations/0001_initial.py': INITIAL,
        'shop/migrations/0002_category.py': category,
        'shop/migrations/0003_indexes.py': indexes,
      });
      files['config/settings.py'] += `DATABASES = {'default': ${JSON.stringify(djangoPostgresDatabase(deployUrl))}}\n`;
      const deployRoot = await workspace.writeProject('deploy_project', files);
      ({ client: deployClient } = await LspClient.start({ folders: [deployRoot], initializationOptions: { trusted: true } }));
      const uri = await deployClient.open(path.join(deployRoot, 'shop/migrations/0003_indexes.py'), indexes);
      const lockWarnings = (items: Diagnostic[]) => items.filter((d) => d.code === 'add-index-non-concurrent');
      const diagnostics = await deployClient.diagnosticsWhen(uri, (items) => lockWarnings(items).length === 1, 20_000);
      const [warning] = lockWarnings(diagnostics);
      assert.match(warning.message, /table of 'product'/);
      assert.equal(
        warning.range.start.line,
        indexes.split('\n').findIndex((line) => line.includes("model_name='product'")),
      );
    } finally {
      await deployClient?.shutdown().catch(() => deployClient!.kill());
      await dropTestDatabase(deployUrl);
    }
  });

  it("in Restricted Mode asks no server: the version is the oldest the project's Django supports", async () => {
    ({ client: untrustedClient } = await LspClient.start({ folders: [root], initializationOptions: { trusted: false } }));
    const file = path.join(root, 'shop/migrations/0002_index.py');
    const uri = await untrustedClient.open(file, ADD_INDEX);
    const diagnostics = await untrustedClient.diagnosticsWhen(
      uri,
      (items) => items.some((d) => d.code === 'add-index-non-concurrent'),
      20_000,
    );
    assert.match(diagnostics.find((d) => d.code === 'add-index-non-concurrent')!.message, /PostgreSQL 9\.6 \(assumed/);
  });
});
