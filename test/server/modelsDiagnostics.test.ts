import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Diagnostic, DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { fileUri, LspClient } from './lspClient';
import { rangeOf } from './sourceRanges';
import { TemporaryWorkspace } from './temporaryWorkspace';

const missing = (items: Diagnostic[]) => items.filter((d) => d.code === 'missing-migration');

describe('server: models diagnostics follow every keystroke in models.py', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let models: string;
  let text: string;

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    const project = await workspace.copyFixture('models_changes');
    models = path.join(project, 'shop', 'models.py');
    text = readFileSync(models, 'utf8');
    ({ client } = await LspClient.start({ folders: [project], initializationOptions: { trusted: true } }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  it('reports nothing on models that match their migrations', async function () {
    assert.deepEqual(await client.diagnosticsWhen(models, (items) => items.length === 0), []);
  });

  it('reports a field as it is typed, on its line, with the migration name and quick fixes', async function () {
    const uri = await client.open(models, text);
    const pages = rangeOf(text, '    pages = models.PositiveIntegerField(null=True)\n');
    const at = { line: pages.end.line, character: 0 };
    const typed = "    isbn = models.CharField(max_length=13, default='')\n";
    // A half-typed field never reports a migration; the complete one does.
    const half = typed.slice(0, 30);
    let refreshed = client.nextRefresh();
    await client.edit(uri, { start: at, end: at }, half);
    await refreshed;
    assert.deepEqual(missing(await client.diagnostics(uri)), []);

    refreshed = client.nextRefresh();
    await client.edit(uri, { start: at, end: { line: at.line, character: half.length } }, typed.trimEnd() + '\n');
    await refreshed;
    const found = missing(await client.diagnosticsWhen(uri, (items) => missing(items).length > 0));
    assert.equal(found.length, 1);
    assert.match(found[0].message, /Add field isbn to book, in 0004_book_isbn/);
    assert.equal(found[0].range.start.line, at.line);
    const actions = (await client.codeActions(uri, found[0].range, found)) ?? [];
    const commands = actions.map((action) =>
      'command' in action && typeof action.command === 'object' ? action.command?.arguments?.[0] : undefined,
    );
    assert.ok(commands.some((a) => a?.name === 'book_isbn' && a?.mode === 'write' && a?.app === 'shop'));
    assert.ok(commands.some((a) => a?.mode === 'preview'));

    refreshed = client.nextRefresh();
    await client.change(uri, text);
    await refreshed;
    assert.deepEqual(missing(await client.diagnosticsWhen(uri, (items) => missing(items).length === 0)), []);
    await client.close(uri);
  });

  it('flags a new non-null field without a default, with null=True and default= fixes', async function () {
    const uri = await client.open(
      models,
      text.replace(
        '    pages = models.PositiveIntegerField(null=True)\n',
        '    pages = models.PositiveIntegerField(null=True)\n    stock = models.IntegerField()\n',
      ),
    );
    const items = await client.diagnosticsWhen(uri, (found) => found.some((d) => d.code === 'non-nullable-field-without-default'));
    const flagged = items.find((d) => d.code === 'non-nullable-field-without-default')!;
    const actions = (await client.codeActions(uri, flagged.range, [flagged])) ?? [];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.some((t) => t.includes('null=True')));
    assert.ok(titles.some((t) => t.includes('default')));
    await client.close(uri);
  });

  it('survives a syntax error and a model built by a factory without a false missing migration', async function () {
    const broken = `${text}\n\nclass Broken(models.Model:\n    name = models.CharField(\n\nDynamic = type('Dynamic', (models.Model,), {'__module__': 'shop.models'})\n`;
    const uri = await client.open(models, broken);
    const items = await client.diagnostics(uri);
    assert.deepEqual(missing(items), []);
    assert.ok(
      items.every((d) => d.severity !== 1),
      'no error',
    );
    await client.close(uri);
  });
});

describe("server: after a save, the project's Django confirms what the static reading could not see", function () {
  this.timeout(120_000);
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let models: string;

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    const project = await workspace.copyFixture('models_changes');
    models = path.join(project, 'shop', 'models.py');
    ({ client } = await LspClient.start({ folders: [project], initializationOptions: { trusted: true, pythonPath: '/usr/bin/python3' } }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  it('reports a field added by add_to_class as found by Django', async function () {
    const text = readFileSync(models, 'utf8');
    // A field added by code after the class statement: only running Python shows it.
    writeFileSync(models, `${text}\n\nTag.add_to_class('note', models.CharField(max_length=12, default=''))\n`);
    client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: fileUri(models), type: FileChangeType.Changed }],
    });
    // Django starts and imports the project first: wait through several refresh windows.
    let items = await client.diagnosticsWhen(models, (found) => missing(found).length > 0, 90_000);
    for (let attempt = 0; attempt < 8 && missing(items).length === 0; attempt++) {
      items = await client.diagnosticsWhen(models, (found) => missing(found).length > 0, 90_000);
    }
    const confirmed = missing(items);
    assert.equal(confirmed.length, 1, client.logs.map((log) => log.message).join('\n'));
    assert.match(
      confirmed[0].message,
      /Add field note to tag, in 0004_tag_note\. `makemigrations shop` would write it \(found by the project's Django\)/,
    );
  });
});
