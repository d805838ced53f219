import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Diagnostic } from 'vscode-languageserver-protocol';
import { fileUri, LspClient } from './lspClient';
import { rangeOf } from './sourceRanges';
import { TemporaryWorkspace } from './temporaryWorkspace';

const signature = (items: Diagnostic[]) => items.filter((d) => d.code === 'custom-field-signature');

describe('server: custom-field-signature as the field class is edited', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let fields: string;
  let initial: string;

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    const project = await workspace.copyFixture('model_changes');
    fields = path.join(project, 'catalog', 'fields.py');
    initial = path.join(project, 'catalog', 'migrations', '0001_initial.py');
    ({ client } = await LspClient.start({ folders: [project] }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  it('reports on __init__ once it no longer takes unique=, pointing at the migration call, while **kwargs takes it', async function () {
    const text = readFileSync(fields, 'utf8');
    assert.deepEqual(signature(await client.diagnosticsWhen(fields, () => true)), []);
    const uri = await client.open(fields, text);
    const parameters = rangeOf(text, 'self, *args, **kwargs');
    let refreshed = client.nextRefresh();
    const wide = 'self, max_length=20, **options';
    await client.edit(uri, parameters, wide);
    await refreshed;
    assert.deepEqual(signature(await client.diagnostics(uri)), []);

    refreshed = client.nextRefresh();
    await client.edit(
      uri,
      { start: parameters.start, end: { line: parameters.start.line, character: parameters.start.character + wide.length } },
      'self, max_length=20',
    );
    await refreshed;
    const [found, ...more] = signature(await client.diagnosticsWhen(uri, (items) => signature(items).length > 0));
    assert.equal(more.length, 0);
    assert.equal(found.severity, 1);
    assert.match(
      found.message,
      /TypeError: UpperCaseField\.__init__\(\) got an unexpected keyword argument 'unique' \(catalog\.0001_initial\)$/,
    );
    assert.deepEqual(found.range, rangeOf(text, '__init__'));
    const call = 'catalog.fields.UpperCaseField(max_length=20, unique=True)';
    assert.deepEqual(
      found.relatedInformation?.map((r) => [r.location.uri, r.location.range]),
      [[fileUri(initial), rangeOf(readFileSync(initial, 'utf8'), call)]],
    );
  });
});
