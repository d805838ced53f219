import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodeAction, CodeActionRequest, Diagnostic, RenameRequest, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { MIGRATION_STATE_REQUEST, MigrationStateResult } from '../../protocol/index';
import { copyFixture, temporaryFolder } from '../support/projectFolder';
import { waitFor } from '../support/waitFor';
import { fileUri, LspClient } from './lspClient';
import { rangeOf } from './sourceRanges';

/** The max_migration.txt files a workspace edit creates, with the text inserted in each. */
function createdGuards(edit: WorkspaceEdit | null | undefined): Record<string, string> {
  const changes = edit?.documentChanges ?? [];
  const created = changes.filter((change) => 'kind' in change && change.kind === 'create').map((change) => (change as { uri: string }).uri);
  const guards: Record<string, string> = {};
  for (const uri of created) {
    const text = changes.find((change) => 'textDocument' in change && change.textDocument.uri === uri);
    const edits = text && 'edits' in text ? text.edits : [];
    guards[path.relative(path.dirname(path.dirname(path.dirname(fileURLToPath(uri)))), fileURLToPath(uri))] = edits
      .map((edit) => edit.newText)
      .join('');
  }
  return guards;
}

/** `djangoMigrations.maxMigrationFile.enabled`: the refactorings create the guard where an app has none. */
describe('server: refactorings create max_migration.txt where the setting is on', function () {
  this.timeout(120_000);
  let client: LspClient;
  const root = temporaryFolder('max-migration');
  const folder = (scenario: string, name = scenario) => copyFixture(scenario, path.join(root, name));
  const linear = folder('linear');
  const squashed = folder('squashed');
  const conflict = folder('conflict');
  const off = folder('linear', 'off');

  before(async () => {
    ({ client } = await LspClient.start({
      folders: [linear, squashed, conflict, off],
      initializationOptions: { trusted: true, maxMigrationFileFolders: [linear, squashed, conflict] },
    }));
    await waitFor('every database is read', async () => {
      const state = await client.connection.sendRequest<MigrationStateResult>(MIGRATION_STATE_REQUEST, {});
      return state.projects.length === 4 && state.projects.every((p) => p.aliases.every((a) => a.status !== 'pending')) ? state : undefined;
    });
  });

  after(async () => {
    await client?.shutdown().catch(() => client.kill());
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function renameLatest(project: string): Promise<WorkspaceEdit | null> {
    const order = path.join(project, 'shop/migrations/0003_order.py');
    const text = fs.readFileSync(order, 'utf8');
    await client.open(order, text);
    return client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: fileUri(order) },
      position: rangeOf(text, 'Migration(').start,
      newName: 'orders',
    });
  }

  async function actionsAt(file: string, diagnostics: (all: Diagnostic[]) => Diagnostic[], at: string): Promise<CodeAction[]> {
    const text = fs.readFileSync(file, 'utf8');
    const uri = await client.open(file, text);
    const found = diagnostics(await client.diagnostics(uri));
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: found[0]?.range ?? rangeOf(text, at),
      context: { diagnostics: found },
    });
    return (actions ?? []) as CodeAction[];
  }

  it('a rename of the latest migration creates its app guard naming the new name', async () => {
    assert.deepEqual(createdGuards(await renameLatest(linear)), { 'shop/migrations/max_migration.txt': '0003_orders\n' });
  });

  it('a rename where the setting is off creates nothing', async () => {
    const edit = await renameLatest(off);
    assert.ok(edit?.documentChanges?.length, 'the rename itself is planned');
    assert.deepEqual(createdGuards(edit), {});
  });

  it('a rename keeps an existing guard in step instead of creating one', async () => {
    fs.writeFileSync(path.join(off, 'shop/migrations/max_migration.txt'), '0003_order\n');
    const edit = await renameLatest(off);
    assert.deepEqual(createdGuards(edit), {});
    const guardUri = fileUri(path.join(off, 'shop/migrations/max_migration.txt'));
    const guardEdit = edit?.documentChanges?.find((change) => 'textDocument' in change && change.textDocument.uri === guardUri);
    assert.ok(guardEdit && 'edits' in guardEdit && guardEdit.edits[0].newText === '0003_orders\n', JSON.stringify(edit));
  });

  it('finishing a squash creates the guard of each app it touches, naming its latest migration', async () => {
    const squash = path.join(squashed, 'shop/migrations/0001_squashed_0003_product_sku.py');
    const actions = await actionsAt(squash, () => [], 'replaces');
    const finish = actions.find((action) => action.title.startsWith('Finish the squash'));
    assert.ok(finish?.edit, JSON.stringify(actions));
    assert.deepEqual(createdGuards(finish.edit), {
      'reports/migrations/max_migration.txt': '0002_salesreport_title\n',
      'shop/migrations/max_migration.txt': '0004_order\n',
    });
  });

  it('a rebase creates the guard naming the rebased leaf', async () => {
    const price = path.join(conflict, 'shop/migrations/0002_product_price.py');
    const actions = await actionsAt(price, (all) => all.filter((d) => d.code === 'conflicting-leaves'), 'Migration(');
    const rebase = actions.find((action) => action.title === 'Rebase shop 0002_product_price onto 0002_product_sku');
    assert.ok(rebase?.edit, JSON.stringify(actions.map((action) => [action.title, action.disabled])));
    assert.deepEqual(createdGuards(rebase.edit), { 'shop/migrations/max_migration.txt': '0003_product_price\n' });
  });
});
