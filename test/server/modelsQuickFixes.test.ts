import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeAction, Command, Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';
import { rangeOf } from './sourceRanges';
import { djangoProject, TemporaryWorkspace } from './temporaryWorkspace';

const withCode = (code: string) => (items: Diagnostic[]) => items.filter((d) => d.code === code);
const missing = withCode('missing-migration');

/** The makemigrations arguments of each quick fix that runs the command. */
function makeMigrationsArguments(actions: readonly (Command | CodeAction)[]): Record<string, unknown>[] {
  return actions.flatMap((action) => {
    const command = 'command' in action && typeof action.command === 'object' ? action.command : undefined;
    return command?.command === 'djangoMigrations.makeMigrations' ? [command.arguments?.[0] as Record<string, unknown>] : [];
  });
}

describe('server: missing-migration on a Meta option and on a suspected rename, with their quick fixes', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let project: string;
  let models: string;
  let text: string;

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    project = await workspace.copyFixture('models_changes');
    models = path.join(project, 'shop', 'models.py');
    text = readFileSync(models, 'utf8');
    ({ client } = await LspClient.start({ folders: [project], initializationOptions: { trusted: true } }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  it('reports a changed db_table on its Meta line, with the migration Django would name', async function () {
    const edited = text.replace("db_table = 'shop_books'", "db_table = 'shop_book_list'");
    const uri = await client.open(models, edited);
    const found = missing(await client.diagnosticsWhen(uri, (items) => missing(items).length > 0));
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^No migration yet: Rename table for book to shop_book_list, in 0004_alter_book_table\./);
    assert.equal(found[0].range.start.line, rangeOf(edited, "db_table = 'shop_book_list'").start.line);
    const fixes = makeMigrationsArguments((await client.codeActions(uri, found[0].range, found)) ?? []);
    assert.deepEqual(
      fixes.map((fix) => [fix.mode, fix.app, fix.name]),
      [
        ['write', 'shop', 'alter_book_table'],
        ['preview', 'shop', 'alter_book_table'],
      ],
    );
    await client.close(uri);
  });

  it('says which rename Django will ask about, and offers to make it as a rename', async function () {
    const edited = text.replace(
      '    code = models.CharField(max_length=12, unique=True)',
      '    voucher = models.CharField(max_length=12, unique=True)',
    );
    const uri = await client.open(models, edited);
    const found = missing(await client.diagnosticsWhen(uri, (items) => missing(items).length > 1));
    const added = found.find((d) => /Add field voucher to coupon/.test(d.message));
    assert.ok(added, found.map((d) => d.message).join('\n'));
    assert.match(added.message, /Django will ask whether field code was renamed to voucher\./);
    assert.equal(added.range.start.line, rangeOf(edited, '    voucher = ').start.line);
    // Without the rename, the new unique field has no default: makemigrations --noinput stops (exit 3).
    const items = await client.diagnostics(uri);
    assert.ok(withCode('non-nullable-field-without-default')(items).some((d) => d.range.start.line === added.range.start.line));
    const fixes = makeMigrationsArguments((await client.codeActions(uri, added.range, [added])) ?? []);
    assert.deepEqual(
      fixes.find((fix) => fix.mode === 'rename'),
      { projectRoot: project, app: 'shop', name: '', mode: 'rename' },
    );
    await client.close(uri);
  });

  it('offers no makemigrations fix in an untrusted workspace', async function () {
    const untrusted = (await LspClient.start({ folders: [project], initializationOptions: { trusted: false } })).client;
    try {
      const edited = text.replace("db_table = 'shop_books'", "db_table = 'shop_book_list'");
      const uri = await untrusted.open(models, edited);
      const found = missing(await untrusted.diagnosticsWhen(uri, (items) => missing(items).length > 0));
      assert.equal(found.length, 1);
      assert.deepEqual(makeMigrationsArguments((await untrusted.codeActions(uri, found[0].range, found)) ?? []), []);
    } finally {
      await untrusted.shutdown().catch(() => untrusted.kill());
    }
  });
});

describe('server: an app without migrations', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let models: string;
  let project: string;

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    const files = djangoProject(['shop', 'library'], {
      'shop/models.py': 'from django.db import models\n\n\nclass Book(models.Model):\n    title = models.CharField(max_length=100)\n',
      'shop/migrations/0001_initial.py': [
        'from django.db import migrations, models',
        '',
        '',
        'class Migration(migrations.Migration):',
        '    initial = True',
        '    dependencies = []',
        '    operations = [',
        '        migrations.CreateModel(',
        "            name='Book',",
        '            fields=[',
        "                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),",
        "                ('title', models.CharField(max_length=100)),",
        '            ],',
        '        ),',
        '    ]',
        '',
      ].join('\n'),
      'library/models.py': [
        'from django.db import models',
        '',
        '',
        'class Loan(models.Model):',
        "    book = models.ForeignKey('shop.Book', on_delete=models.CASCADE)",
        '    days = models.PositiveIntegerField(default=14)',
        '',
      ].join('\n'),
    });
    delete files['library/migrations/__init__.py'];
    project = await workspace.writeProject('lending', files);
    models = path.join(project, 'library', 'models.py');
    ({ client } = await LspClient.start({ folders: [project], initializationOptions: { trusted: true } }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  it('reports its models as missing their first migration, made by makemigrations APP', async function () {
    const items = await client.diagnosticsWhen(models, (found) => missing(found).length > 0);
    const found = missing(items);
    assert.equal(found.length, 1, items.map((d) => d.message).join('\n'));
    assert.match(found[0].message, /^No migration yet: Create model Loan, in 0001_initial\. `makemigrations library` would write it/);
    const text = readFileSync(models, 'utf8');
    assert.deepEqual(found[0].range, rangeOf(text, 'Loan'));
    const fixes = makeMigrationsArguments((await client.codeActions(models, found[0].range, found)) ?? []);
    assert.deepEqual(
      fixes.map((fix) => [fix.mode, fix.app, fix.name]),
      [
        ['write', 'library', 'initial'],
        ['preview', 'library', 'initial'],
      ],
    );
  });

  it('reports a relation from it to an app with migrations, on the field', async function () {
    const items = await client.diagnosticsWhen(
      models,
      (found) => withCode('relation-to-migrated-app-from-unmigrated-app')(found).length > 0,
    );
    const [relation, ...others] = withCode('relation-to-migrated-app-from-unmigrated-app')(items);
    assert.ok(relation, items.map((d) => d.message).join('\n'));
    assert.equal(others.length, 0);
    assert.equal(relation.severity, 2 /* Warning */);
    assert.match(relation.message, /^library has no migrations but Loan\.book points at shop\.Book, in an app with migrations/);
    assert.equal(relation.range.start.line, rangeOf(readFileSync(models, 'utf8'), '    book = ').start.line);
  });

  it('stops reporting the relation once the app has a migrations package', async function () {
    // A workspace where library has migrations: its relation to shop is what Django supports.
    const migrated = await workspace.writeProject('lending-migrated', {
      ...djangoProject(['shop', 'library'], {}),
      'shop/models.py': readFileSync(path.join(project, 'shop', 'models.py'), 'utf8'),
      'shop/migrations/0001_initial.py': readFileSync(path.join(project, 'shop', 'migrations', '0001_initial.py'), 'utf8'),
      'library/models.py': readFileSync(models, 'utf8'),
    });
    const other = (await LspClient.start({ folders: [migrated], initializationOptions: { trusted: true } })).client;
    try {
      const file = path.join(migrated, 'library', 'models.py');
      const items = await other.diagnosticsWhen(file, (found) => missing(found).length > 0);
      assert.match(missing(items)[0]?.message ?? '', /Create model Loan, in 0001_initial/);
      assert.deepEqual(withCode('relation-to-migrated-app-from-unmigrated-app')(items), []);
    } finally {
      await other.shutdown().catch(() => other.kill());
    }
  });
});
