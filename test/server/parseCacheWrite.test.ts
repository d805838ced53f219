import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol';
import { copyFixture, temporaryFolder } from '../support/projectFolder';
import { LspClient } from './lspClient';

/** The codes of the workspace's diagnostics, file by file. */
async function workspaceCodes(client: LspClient): Promise<string[]> {
  const report = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
  return report.items
    .flatMap((item) => (item.kind === 'full' ? item.items.map((diagnostic) => `${item.uri.split('/').pop()} ${diagnostic.code}`) : []))
    .sort();
}

/**
 * The server writes its parse cache after the first diagnostics (encoding the parsed migrations
 * holds its thread): a session that ends sooner writes it as it shuts down.
 */
describe('the language server: its parse cache', function () {
  this.timeout(120_000);

  it('is kept by a session that shuts down right after its first index, and the next session answers the same from it', async () => {
    const folder = copyFixture('missing_dependency');
    const storagePath = temporaryFolder('server-storage');
    const options = { folders: [folder], initializationOptions: { trusted: false, storagePath } };

    const { client: first } = await LspClient.start(options);
    const codes = await workspaceCodes(first);
    assert.ok(
      codes.some((code) => code.endsWith('missing-dependency')),
      codes.join('\n'),
    );
    await first.shutdown();
    const written = readdirSync(storagePath);
    assert.ok(
      written.some((name) => name.startsWith('parsed-migrations-') && name.endsWith('.cache')),
      written.join(', '),
    );
    assert.ok(!written.some((name) => name.endsWith('.tmp')), written.join(', '));

    const { client: second } = await LspClient.start(options);
    try {
      assert.deepEqual(await workspaceCodes(second), codes);
    } finally {
      await second.shutdown();
    }
  });
});
