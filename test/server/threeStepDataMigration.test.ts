import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { fileUri, LspClient } from './lspClient';
import { TemporaryWorkspace } from './temporaryWorkspace';

describe('server: the three-step data migration quick fix', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let models: string;
  let migrations: string;

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    const project = await workspace.copyFixture('models_changes');
    models = path.join(project, 'shop', 'models.py');
    migrations = path.join(project, 'shop', 'migrations');
    // Writing files runs no Python: offered in an untrusted workspace too.
    ({ client } = await LspClient.start({ folders: [project], initializationOptions: { trusted: false } }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  it('creates the three migrations as one workspace edit, never over an existing file', async function () {
    const anchor = '    pages = models.PositiveIntegerField(null=True)\n';
    const uri = await client.open(models, readFileSync(models, 'utf8').replace(anchor, `${anchor}    stock = models.IntegerField()\n`));
    const items = await client.diagnosticsWhen(uri, (found) => found.some((d) => d.code === 'non-nullable-field-without-default'));
    const flagged = items.find((d) => d.code === 'non-nullable-field-without-default')!;
    const actions = (await client.codeActions(uri, flagged.range, [flagged])) ?? [];
    const action = actions.find((a): a is CodeAction => 'kind' in a && a.title.startsWith('Add stock in three migrations'));
    assert.ok(action, actions.map((a) => a.title).join('\n'));
    assert.equal(action.command, undefined);
    const changes = action.edit?.documentChanges ?? [];
    const names = ['0004_book_stock.py', '0005_fill_book_stock.py', '0006_alter_book_stock.py'];
    assert.deepEqual(
      changes.filter((c): c is CreateFile => 'kind' in c && c.kind === 'create'),
      names.map((name) => ({
        kind: 'create',
        uri: fileUri(path.join(migrations, name)),
        options: { overwrite: false, ignoreIfExists: false },
      })),
    );
    const texts = changes.filter((c): c is TextDocumentEdit => 'textDocument' in c).map((c) => c.edits[0].newText);
    assert.match(
      texts[0],
      /migrations\.AddField\(\n {12}model_name='book',\n {12}name='stock',\n {12}field=models\.IntegerField\(null=True\),/,
    );
    assert.match(texts[0], /\('shop', '0003_coupon'\)/);
    assert.match(texts[1], /Book = apps\.get_model\('shop', 'Book'\)/);
    assert.match(texts[1], /\('shop', '0004_book_stock'\)/);
    assert.match(texts[2], /migrations\.AlterField\([^]*field=models\.IntegerField\(\),/);
    await client.close(uri);
  });
});
