import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { fileUri, LspClient } from './lspClient';
import { classNameRange, rangeInFile } from './sourceRanges';
import { djangoProject, TemporaryWorkspace } from './temporaryWorkspace';

const SOURCE = 'django-migrations';

const DATA_MIGRATION = `from django.db import migrations

from shop.models import Order


def backfill_totals(apps, schema_editor):
    for order in Order.objects.all():
        order.save()


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(backfill_totals, migrations.RunPython.noop),
    ]
`;

const SHOP_INITIAL = `from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='Order',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('total', models.IntegerField(default=0)),
            ],
        ),
    ]
`;

/** Imports Django's field module, not a models module: not a model import. */
const FIELD_IMPORT = `from django.db import migrations
from django.db.models import F


def double_totals(apps, schema_editor):
    apps.get_model('shop', 'Order').objects.update(total=F('total') * 2)


class Migration(migrations.Migration):

    dependencies = [
        ('shop', '0002_backfill_totals'),
    ]

    operations = [
        migrations.RunPython(double_totals, migrations.RunPython.noop),
    ]
`;

const DYNAMIC_OPERATIONS = `from django.db import migrations, models


def make_ops():
    return [migrations.CreateModel(name='Tag', fields=[('id', models.AutoField(primary_key=True))])]


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = make_ops()
`;

/** A migration whose operations list is never closed. */
const BROKEN = `from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0003_balance_index'),
    ]

    operations = [
        migrations.RunSQL('SELECT 1', reverse_sql='SELECT 1'
`;

describe('server: diagnostics over textDocument/diagnostic', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  const dirs: Record<string, string> = {};

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    for (const scenario of ['conflict', 'missing_dependency', 'cycle', 'run_python_run_sql', 'squash_replaced_deleted', 'squashed']) {
      dirs[scenario] = await workspace.copyFixture(scenario);
    }
    dirs.data_migration = await workspace.writeProject(
      'data_migration',
      djangoProject(['shop'], {
        'shop/models.py': 'from django.db import models\n\n\nclass Order(models.Model):\n    total = models.IntegerField(default=0)\n',
        'shop/migrations/0001_initial.py': SHOP_INITIAL,
        'shop/migrations/0002_backfill_totals.py': DATA_MIGRATION,
        'shop/migrations/0003_double_totals.py': FIELD_IMPORT,
      }),
    );
    dirs.dynamic = await workspace.writeProject(
      'dynamic',
      djangoProject(['tags'], { 'tags/migrations/0001_initial.py': DYNAMIC_OPERATIONS }),
    );
    dirs.broken = await workspace.copyFixture('run_python_run_sql', 'broken');
    await workspace.writeProject('broken', { 'ledger/migrations/0004_broken.py': BROKEN });
    ({ client } = await LspClient.start({ folders: Object.values(dirs) }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  const file = (project: string, relative: string) => path.join(dirs[project], relative);

  it('reports conflicting leaves on each leaf, each pointing at the other', async function () {
    const price = file('conflict', 'shop/migrations/0002_product_price.py');
    const sku = file('conflict', 'shop/migrations/0002_product_sku.py');
    for (const [leaf, other, otherName] of [
      [price, sku, '0002_product_sku'],
      [sku, price, '0002_product_price'],
    ]) {
      const diagnostics = await client.diagnostics(leaf);
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
      const [conflict] = diagnostics;
      assert.equal(conflict.code, 'conflicting-leaves');
      assert.equal(conflict.source, SOURCE);
      assert.equal(conflict.severity, DiagnosticSeverity.Error);
      assert.deepEqual(conflict.range, classNameRange(readFileSync(leaf, 'utf8')));
      assert.match(conflict.message, /Conflicting migrations in shop: 0002_product_price, 0002_product_sku/);
      assert.match(conflict.message, /makemigrations --merge/);
      assert.deepEqual(conflict.relatedInformation, [
        {
          location: { uri: fileUri(other), range: classNameRange(readFileSync(other, 'utf8')) },
          message: `Also a leaf of shop: ${otherName}`,
        },
      ]);
    }
    assert.deepEqual(await client.diagnostics(file('conflict', 'shop/migrations/0001_initial.py')), []);
  });

  it('reports a missing dependency on the exact dependency tuple, with the renamed sibling', async function () {
    const order = file('missing_dependency', 'shop/migrations/0003_order.py');
    const [missing, ...others] = ofCode(await client.diagnostics(order), 'missing-dependency');
    assert.equal(others.length, 0);
    assert.equal(missing.source, SOURCE);
    assert.equal(missing.severity, DiagnosticSeverity.Error);
    assert.deepEqual(missing.range, rangeInFile(order, "('shop', '0002_product_price')"));
    assert.equal(
      missing.message,
      "Migration shop.0003_order dependencies reference nonexistent parent node ('shop', '0002_product_price'). Did you mean '0002_price'?",
    );
    const renamed = file('missing_dependency', 'shop/migrations/0002_price.py');
    assert.deepEqual(
      missing.relatedInformation?.map((r) => r.location),
      [{ uri: fileUri(renamed), range: classNameRange(readFileSync(renamed, 'utf8')) }],
    );
  });

  it('reports a circular dependency on the dependency of each migration in the cycle', async function () {
    const books = file('cycle', 'books/migrations/0001_initial.py');
    const authors = file('cycle', 'authors/migrations/0002_author_favourite_book.py');
    for (const [migration, tuple, other] of [
      [books, "('authors', '0002_author_favourite_book')", authors],
      [authors, "('books', '0001_initial')", books],
    ]) {
      const diagnostics = await client.diagnostics(migration);
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.source, d.severity]),
        [['circular-dependency', SOURCE, DiagnosticSeverity.Error]],
      );
      assert.deepEqual(diagnostics[0].range, rangeInFile(migration, tuple));
      assert.match(diagnostics[0].message, /cycle authors\.0002_author_favourite_book, books\.0001_initial/);
      assert.deepEqual(
        diagnostics[0].relatedInformation?.map((r) => r.location),
        [{ uri: fileUri(other), range: classNameRange(readFileSync(other, 'utf8')) }],
      );
    }
    assert.deepEqual(await client.diagnostics(file('cycle', 'authors/migrations/0001_initial.py')), []);
  });

  it('reports RunPython without reverse_code and RunSQL without reverse_sql, and nothing for those with a reverse', async function () {
    const seed = file('run_python_run_sql', 'ledger/migrations/0002_seed_accounts.py');
    const runPython = await client.diagnostics(seed);
    assert.deepEqual(
      runPython.map((d) => [d.code, d.source, d.severity, d.range]),
      // Only RunPython(report_totals) lacks a reverse (the 4th `migrations.RunPython`, after one `.noop`).
      [['irreversible-operation', SOURCE, DiagnosticSeverity.Warning, rangeInFile(seed, 'migrations.RunPython', 3)]],
    );
    assert.equal(
      runPython[0].message,
      'RunPython has no reverse_code: migrating ledger back past 0002_seed_accounts will fail with IrreversibleError.',
    );

    const index = file('run_python_run_sql', 'ledger/migrations/0003_balance_index.py');
    const runSql = await client.diagnostics(index);
    assert.deepEqual(
      runSql.map((d) => [d.code, d.source, d.severity, d.range]),
      [['irreversible-operation', SOURCE, DiagnosticSeverity.Warning, rangeInFile(index, 'migrations.RunSQL', 3)]],
    );
    assert.match(runSql[0].message, /^RunSQL has no reverse_sql: migrating ledger back past 0003_balance_index/);
    assert.deepEqual(await client.diagnostics(file('run_python_run_sql', 'ledger/migrations/0001_initial.py')), []);
  });

  it('reports a model imported into a data migration, and not Django’s own models module', async function () {
    const backfill = file('data_migration', 'shop/migrations/0002_backfill_totals.py');
    const diagnostics = await client.diagnostics(backfill);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.source, d.severity, d.range]),
      [['model-import-in-data-migration', SOURCE, DiagnosticSeverity.Warning, rangeInFile(backfill, 'from shop.models import Order')]],
    );
    assert.match(diagnostics[0].message, /uses the model Order imported from shop\.models/);
    assert.match(diagnostics[0].message, /apps\.get_model\('shop', 'Order'\)/);
    assert.deepEqual(await client.diagnostics(file('data_migration', 'shop/migrations/0003_double_totals.py')), []);
    assert.deepEqual(await client.diagnostics(file('data_migration', 'shop/migrations/0001_initial.py')), []);
  });

  it('reports operations built by a function call as dynamic (information)', async function () {
    const migration = file('dynamic', 'tags/migrations/0001_initial.py');
    const diagnostics = await client.diagnostics(migration);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.source, d.severity]),
      [['dynamic-migration', SOURCE, DiagnosticSeverity.Information]],
    );
    const { range } = diagnostics[0];
    const call = rangeInFile(migration, 'make_ops()', 1);
    assert.equal(range.start.line, call.start.line, `on the operations line: ${JSON.stringify(range)}`);
    assert.ok(range.start.character <= call.start.character && range.end.character >= call.end.character, JSON.stringify(range));
    assert.match(diagnostics[0].message, /only known when Python runs it/);
  });

  it('reports a syntax error in a broken file while the rest of the project keeps its diagnostics', async function () {
    const broken = file('broken', 'ledger/migrations/0004_broken.py');
    const diagnostics = await client.diagnostics(broken);
    assert.ok(diagnostics.length > 0);
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.code, 'syntax-error');
      assert.equal(diagnostic.source, SOURCE);
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
      assert.equal(diagnostic.message, 'Syntax error: Django cannot import this migration as written.');
      // The error is where the unclosed call and list are, not somewhere above them.
      assert.ok(diagnostic.range.start.line >= rangeInFile(broken, 'operations = [').start.line, JSON.stringify(diagnostic.range));
    }
    const seed = file('broken', 'ledger/migrations/0002_seed_accounts.py');
    const index = file('broken', 'ledger/migrations/0003_balance_index.py');
    assert.deepEqual(
      (await client.diagnostics(seed)).map((d) => [d.code, d.range]),
      [['irreversible-operation', rangeInFile(seed, 'migrations.RunPython', 3)]],
    );
    assert.deepEqual(
      (await client.diagnostics(index)).map((d) => [d.code, d.range]),
      [['irreversible-operation', rangeInFile(index, 'migrations.RunSQL', 3)]],
    );
  });

  it('reports an unfinished squash on its replaces attribute', async function () {
    const squash = file('squash_replaced_deleted', 'shop/migrations/0001_squashed_0003_product_sku.py');
    const diagnostics = await client.diagnostics(squash);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.source, d.severity, d.range]),
      [
        [
          'unfinished-squash',
          SOURCE,
          DiagnosticSeverity.Information,
          rangeInFile(squash, "replaces = [('shop', '0001_initial'), ('shop', '0002_product_price'), ('shop', '0003_product_sku')]"),
        ],
      ],
    );
    assert.match(diagnostics[0].message, /All 3 migrations this squash replaces are gone/);
  });

  it('warns about a dependency on a migration that a squash replaces', async function () {
    const report = file('squashed', 'reports/migrations/0001_initial.py');
    const diagnostics = await client.diagnostics(report);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.source, d.severity, d.range]),
      [['dependency-on-replaced-migration', SOURCE, DiagnosticSeverity.Warning, rangeInFile(report, "('shop', '0002_product_price')")]],
    );
    assert.match(
      diagnostics[0].message,
      /shop\.0002_product_price is replaced by the squashed migration shop\.0001_squashed_0003_product_sku/,
    );
    const squash = file('squashed', 'shop/migrations/0001_squashed_0003_product_sku.py');
    assert.deepEqual(
      diagnostics[0].relatedInformation?.map((r) => r.location),
      [
        {
          uri: fileUri(squash),
          range: rangeInFile(squash, "replaces = [('shop', '0001_initial'), ('shop', '0002_product_price'), ('shop', '0003_product_sku')]"),
        },
      ],
    );
    // Depending on the squash itself is what Django's docs ask for.
    assert.deepEqual(await client.diagnostics(file('squashed', 'reports/migrations/0002_salesreport_title.py')), []);
  });

  it('warns about a dependency on a replaced migration whose file is already deleted', async function () {
    // Django's docs: before removing `replaces`, update every migration that depends on the
    // deleted migrations to depend on the squash; otherwise finishing the squash breaks it.
    const order = file('squash_replaced_deleted', 'shop/migrations/0004_order.py');
    const diagnostics = await client.diagnostics(order);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range]),
      [['dependency-on-replaced-migration', rangeInFile(order, "('shop', '0003_product_sku')")]],
      'once `replaces` is removed (the unfinished-squash fix), Django raises NodeNotFoundError for this dependency',
    );
  });

  it('does not warn about the dependencies between the migrations a squash replaces', async function () {
    // They are deleted together with their dependencies when the squash is finished.
    for (const replaced of ['shop/migrations/0002_product_price.py', 'shop/migrations/0003_product_sku.py']) {
      assert.deepEqual(
        (await client.diagnostics(file('squashed', replaced))).map((d) => d.code),
        [],
        replaced,
      );
    }
  });

  it('gives every diagnostic the source django-migrations', async function () {
    let count = 0;
    for (const dir of Object.values(dirs)) {
      for (const migration of migrationFiles(dir)) {
        for (const diagnostic of await client.diagnostics(migration)) {
          count++;
          assert.equal(diagnostic.source, SOURCE, `${migration}: ${JSON.stringify(diagnostic)}`);
          assert.equal(typeof diagnostic.code, 'string');
        }
      }
    }
    assert.ok(count >= 15, `${count} diagnostics`);
    assert.deepEqual(client.featureFailures, []);
  });
});

function ofCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

function migrationFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (/\/migrations\/\d{4}_[^/]*\.py$/.test(`/${entry}`)) found.push(path.join(dir, entry));
  }
  return found.sort();
}
