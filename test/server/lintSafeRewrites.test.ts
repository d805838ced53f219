import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { djangoPostgresDatabase } from '../db/migratedDjangoProject';
import { createTestDatabase, dropTestDatabase, testPostgresUrl } from '../db/postgresCluster';
import { applyEdits, LspClient } from './lspClient';
import { djangoProject, TemporaryWorkspace } from './temporaryWorkspace';

const HEADER = 'from django.db import migrations, models\nimport django.db.models.deletion\n\n\nclass Migration(migrations.Migration):\n\n';
const INITIAL =
  `${HEADER}    initial = True\n\n    dependencies = []\n\n    operations = [\n` +
  "        migrations.CreateModel(name='Category', fields=[('id', models.AutoField(primary_key=True)), ('title', models.CharField(max_length=100))]),\n" +
  "        migrations.CreateModel(name='Product', fields=[('id', models.AutoField(primary_key=True)), ('name', models.CharField(max_length=100)), ('quantity', models.IntegerField(null=True))]),\n" +
  '    ]\n';
const CHANGES =
  `${HEADER}    dependencies = [\n        ('shop', '0001_initial'),\n    ]\n\n    operations = [\n` +
  '        migrations.AddField(\n' +
  "            model_name='product',\n" +
  "            name='category',\n" +
  "            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='shop.category'),\n" +
  '        ),\n' +
  "        migrations.AddField(model_name='product', name='sku', field=models.CharField(max_length=20, null=True, unique=True)),\n" +
  "        migrations.AlterField(model_name='product', name='quantity', field=models.IntegerField(default=0)),\n" +
  '    ]\n';

const DEFAULTS =
  'from django.contrib.postgres.functions import RandomUUID\n' +
  `${HEADER}    dependencies = [\n        ('shop', '0002_changes'),\n    ]\n\n    operations = [\n` +
  "        migrations.AddField(model_name='product', name='token', field=models.UUIDField(db_default=RandomUUID())),\n" +
  "        migrations.AlterField(model_name='product', name='name', field=models.CharField(max_length=100, db_index=True)),\n" +
  '    ]\n';

/** The safe rewrites of the PostgreSQL lock rules, as code actions of the language server on a project whose server it reads. */
describe('server: lint safe rewrites', function () {
  this.timeout(120_000);
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let databaseUrl: string;
  let uri: string;
  let diagnostics: Diagnostic[];
  let root: string;

  before(async () => {
    databaseUrl = await createTestDatabase(await testPostgresUrl(), 'lintrewrites');
    workspace = await TemporaryWorkspace.create();
    const files = djangoProject(['shop'], {
      'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_changes.py': CHANGES,
      'shop/migrations/0003_defaults.py': DEFAULTS,
    });
    files['config/settings.py'] += `DATABASES = {'default': ${JSON.stringify(djangoPostgresDatabase(databaseUrl))}}\n`;
    root = await workspace.writeProject('shop_project', files);
    ({ client } = await LspClient.start({ folders: [root], initializationOptions: { trusted: true } }));
    uri = await client.open(path.join(root, 'shop/migrations/0002_changes.py'), CHANGES);
    const rules = ['add-foreign-key', 'add-unique-constraint', 'alter-field-not-null'];
    diagnostics = (await client.diagnosticsWhen(uri, (items) => rules.every((rule) => items.some((d) => d.code === rule)), 20_000)).filter(
      (d) => rules.includes(String(d.code)),
    );
  });

  after(async () => {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
    await dropTestDatabase(databaseUrl);
  });

  /** The text after the code action titled `title` on the diagnostic of `rule`, and the actions offered. */
  async function rewrite(rule: string, title: string): Promise<{ text: string; titles: string[] }> {
    const diagnostic = diagnostics.find((d) => d.code === rule)!;
    const actions = ((await client.codeActions(uri, diagnostic.range, [diagnostic])) ?? []) as CodeAction[];
    const action = actions.find((a) => a.title === title);
    assert.ok(action?.edit?.changes?.[uri], `${title} among ${JSON.stringify(actions.map((a) => a.title))}`);
    return { text: applyEdits(CHANGES, action.edit.changes[uri]), titles: actions.map((a) => a.title) };
  }

  it('add-foreign-key: one edit keeps the field in the state and adds the constraint NOT VALID, then validates it', async () => {
    const { text, titles } = await rewrite('add-foreign-key', 'Add the foreign key NOT VALID, then validate it (atomic = False)');
    assert.deepEqual(titles, ['Add the foreign key NOT VALID, then validate it (atomic = False)', 'Suppress for this operation']);
    assert.match(text, /class Migration\(migrations\.Migration\):\n\n {4}atomic = False\n\n {4}dependencies/);
    assert.ok(
      text.includes(
        '        migrations.SeparateDatabaseAndState(\n' +
          '            state_operations=[\n' +
          '                migrations.AddField(\n' +
          "                    model_name='product',\n" +
          "                    name='category',\n" +
          "                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='shop.category'),\n" +
          '                ),\n' +
          '            ],\n' +
          '            database_operations=[\n' +
          '                migrations.AddField(\n',
      ),
      text,
    );
    assert.match(text, /db_constraint=False, db_index=False\)/);
    assert.match(text, /'CREATE INDEX CONCURRENTLY "shop_product_category_id_14d7eea8" ON "shop_product" \("category_id"\)'/);
    assert.match(text, /FOREIGN KEY \("category_id"\) REFERENCES "shop_category" \("id"\) DEFERRABLE INITIALLY DEFERRED NOT VALID'/);
    assert.match(
      text,
      /'ALTER TABLE "shop_product" VALIDATE CONSTRAINT "shop_product_category_id_14d7eea8_fk_shop_category_id"',\n {20}migrations\.RunSQL\.noop,/,
    );
    await client.change(uri, text);
    await client.diagnosticsWhen(
      uri,
      (items) => !items.some((d) => d.code === 'add-foreign-key') && items.some((d) => d.code === 'alter-field-not-null'),
    );
    await client.change(uri, CHANGES);
  });

  it('add-unique-constraint: unique=True on a new column becomes a concurrent unique index attached as the constraint', async () => {
    const { text } = await rewrite('add-unique-constraint', 'Build the unique index concurrently, then attach it (atomic = False)');
    assert.match(text, /field=models\.CharField\(max_length=20, null=True\),\n/);
    assert.match(text, /'CREATE UNIQUE INDEX CONCURRENTLY "shop_product_sku_key" ON "shop_product" \("sku"\)'/);
    assert.match(text, /'ALTER TABLE "shop_product" ADD CONSTRAINT "shop_product_sku_key" UNIQUE USING INDEX "shop_product_sku_key"'/);
    assert.match(text, /'CREATE INDEX CONCURRENTLY "shop_product_sku_[0-9a-f]{8}_like" ON "shop_product" \("sku" varchar_pattern_ops\)'/);
  });

  it("alter-field-not-null: on the server's PostgreSQL 12+, the column is made NOT NULL through a validated check", async () => {
    const { text } = await rewrite('alter-field-not-null', 'Make it NOT NULL through a validated CHECK constraint (atomic = False)');
    assert.match(text, /\[\('UPDATE "shop_product" SET "quantity" = %s WHERE "quantity" IS NULL', \[0\]\)\]/);
    assert.match(text, /ADD CONSTRAINT "shop_product_quantity_not_null" CHECK \("quantity" IS NOT NULL\) NOT VALID/);
    assert.match(text, /ALTER COLUMN "quantity" SET NOT NULL',\n {20}'ALTER TABLE "shop_product" ALTER COLUMN "quantity" DROP NOT NULL'/);
    await client.change(uri, text);
    await client.diagnosticsWhen(
      uri,
      (items) => !items.some((d) => d.code === 'alter-field-not-null') && items.some((d) => d.code === 'add-foreign-key'),
    );
    await client.change(uri, CHANGES);
  });

  it('add-field-default-rewrite and an AlterField turning db_index on: the backfill and the concurrent index, in one edit each', async () => {
    const defaults = await client.open(path.join(root, 'shop/migrations/0003_defaults.py'), DEFAULTS);
    const rules = ['add-field-default-rewrite', 'add-index-non-concurrent'];
    const found = await client.diagnosticsWhen(defaults, (items) => rules.every((rule) => items.some((d) => d.code === rule)), 20_000);
    const action = async (rule: string) => {
      const diagnostic = found.find((d) => d.code === rule)!;
      const actions = ((await client.codeActions(defaults, diagnostic.range, [diagnostic])) ?? []) as CodeAction[];
      assert.equal(actions.length, 2, JSON.stringify(actions.map((a) => a.title)));
      return { title: actions[0].title, text: applyEdits(DEFAULTS, actions[0].edit!.changes![defaults]) };
    };
    const backfill = await action('add-field-default-rewrite');
    assert.equal(backfill.title, 'Add the column without the rewrite, then backfill it in batches (atomic = False)');
    assert.match(backfill.text, /\n\n\ndef backfill_product_token\(apps, schema_editor\):\n/);
    assert.match(backfill.text, /'ALTER TABLE "shop_product" ALTER COLUMN "token" SET DEFAULT gen_random_uuid\(\)'/);
    assert.match(backfill.text, /field=models\.UUIDField\(null=True\),/);
    const index = await action('add-index-non-concurrent');
    assert.equal(index.title, 'Build the index concurrently (atomic = False)');
    assert.match(index.text, /'CREATE INDEX CONCURRENTLY "shop_product_name_[0-9a-f]{8}" ON "shop_product" \("name"\)'/);
    assert.match(
      index.text,
      /'CREATE INDEX CONCURRENTLY "shop_product_name_[0-9a-f]{8}_like" ON "shop_product" \("name" varchar_pattern_ops\)'/,
    );
    await client.change(defaults, index.text);
    await client.diagnosticsWhen(
      defaults,
      (items) => !items.some((d) => d.code === 'add-index-non-concurrent') && items.some((d) => d.code === 'add-field-default-rewrite'),
    );
  });
});
