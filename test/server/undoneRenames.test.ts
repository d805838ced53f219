import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApplyWorkspaceEditParams,
  ApplyWorkspaceEditRequest,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  FileEvent,
  PrepareRenameRequest,
  RenameRequest,
  ShowMessageRequest,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { MIGRATION_STATE_REQUEST, MigrationStateResult } from '../../protocol/index';
import { DjangoProject } from '../django/djangoProject';
import { waitFor } from '../support/waitFor';
import { applyEdits, fileUri, LspClient } from './lspClient';
import { rangeOf } from './sourceRanges';

const RENAME_BACK = 'Rename Rows Back';

/**
 * A server, on a project Django migrated, that renames 0002_product_price (file, reference and
 * row) and then sees its files undone the way the editor undoes a workspace edit: each file put
 * back, and the watcher's events.
 */
class RenamingServer {
  readonly offers: string[] = [];
  private constructor(
    readonly project: DjangoProject,
    readonly client: LspClient,
  ) {}

  static async start(trusted: boolean): Promise<RenamingServer> {
    const project = await DjangoProject.fromFixture('linear');
    await project.manage('migrate');
    const { client } = await LspClient.start({ folders: [project.dir], initializationOptions: { trusted } });
    const server = new RenamingServer(project, client);
    client.connection.onRequest(ShowMessageRequest.type, (params) => {
      if (!params.message.includes('was undone')) return params.actions?.[0] ?? null;
      server.offers.push(params.message);
      return { title: RENAME_BACK };
    });
    client.connection.onRequest(ApplyWorkspaceEditRequest.type, (params: ApplyWorkspaceEditParams) => {
      void server.write(params.edit);
      return { applied: true };
    });
    await waitFor('the database is read', async () => {
      const state = await client.connection.sendRequest<MigrationStateResult>(MIGRATION_STATE_REQUEST, {});
      return state.projects[0]?.aliases.every((alias) => alias.status === 'ok') ? true : undefined;
    });
    return server;
  }

  file(name: string): string {
    return path.join(this.project.dir, 'shop/migrations', `${name}.py`);
  }

  async rename(): Promise<void> {
    const price = this.file('0002_product_price');
    const position = rangeOf(fs.readFileSync(price, 'utf8'), 'Migration(').start;
    const answer = await this.client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: fileUri(price) },
      position,
      newName: 'product_cost',
    });
    assert.deepEqual(answer, { changes: {} });
  }

  /** Puts the files back as the editor's undo does: the old name, and its dependent's text. */
  async undo(orderText: string): Promise<void> {
    fs.renameSync(this.file('0002_product_cost'), this.file('0002_product_price'));
    fs.writeFileSync(this.file('0003_order'), orderText);
    await this.changed([
      { uri: fileUri(this.file('0002_product_cost')), type: FileChangeType.Deleted },
      { uri: fileUri(this.file('0002_product_price')), type: FileChangeType.Created },
      { uri: fileUri(this.file('0003_order')), type: FileChangeType.Changed },
    ]);
  }

  /** Resolves once the server's projects hold `name` (it reloaded after the files changed). */
  async reloadedWith(name: string): Promise<void> {
    const file = this.file(name);
    await waitFor(`the server to load ${name}`, () =>
      this.client.connection
        .sendRequest(PrepareRenameRequest.type, {
          textDocument: { uri: fileUri(file) },
          position: rangeOf(fs.readFileSync(file, 'utf8'), 'Migration(').start,
        })
        .then((answer) => answer ?? undefined),
    );
  }

  async showmigrations(): Promise<string> {
    return (await this.project.manage('showmigrations', 'shop')).stdout;
  }

  async stop(): Promise<void> {
    await this.client.shutdown().catch(() => this.client.kill());
    await this.project.remove();
  }

  /** Writes the rename's edit to disk as the editor does once saved, and reports it as its watcher would. */
  private async write(edit: WorkspaceEdit): Promise<void> {
    const events: FileEvent[] = [];
    for (const change of edit.documentChanges ?? []) {
      if ('textDocument' in change) {
        const file = fileURLToPath(change.textDocument.uri);
        fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), change.edits));
        events.push({ uri: change.textDocument.uri, type: FileChangeType.Changed });
      } else if (change.kind === 'rename') {
        fs.renameSync(fileURLToPath(change.oldUri), fileURLToPath(change.newUri));
        events.push({ uri: change.oldUri, type: FileChangeType.Deleted }, { uri: change.newUri, type: FileChangeType.Created });
      }
    }
    await this.changed(events);
  }

  private changed(changes: FileEvent[]): Promise<void> {
    return this.client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }
}

/** Undo of an applied migration's rename (dist/server.js over its real protocol): the rows follow only on a click. */
describe('server: an undone rename of an applied migration', function () {
  this.timeout(180_000);
  const servers: RenamingServer[] = [];

  after(async () => {
    for (const server of servers) await server.stop();
  });

  async function renameUndoAndRestore(trusted: boolean): Promise<RenamingServer> {
    const server = await RenamingServer.start(trusted);
    servers.push(server);
    const orderText = fs.readFileSync(server.file('0003_order'), 'utf8');
    await server.rename();
    assert.match(await server.showmigrations(), /\[X\] 0002_product_cost\n/);
    // The rename's own files reload the project: nothing is offered while they carry the new
    // name (the checks run in turn, so the one offer below is the undo's).
    await server.reloadedWith('0002_product_cost');

    await server.undo(orderText);
    await server.reloadedWith('0002_product_price');
    await waitFor('the offer', () => (server.offers.length > 0 ? true : undefined));
    assert.deepEqual(server.offers, [
      "The rename of shop.0002_product_cost was undone in the files; rename its django_migrations rows back to 0002_product_price on 'default'?",
    ]);
    await waitFor('the row renamed back', async () =>
      (await server.showmigrations()).includes('[X] 0002_product_price') ? true : undefined,
    );
    const shown = await server.showmigrations();
    assert.match(shown, /\[X\] 0001_initial\n \[X\] 0002_product_price\n \[X\] 0003_order\n/);
    assert.doesNotMatch(shown, /0002_product_cost/);
    assert.match((await server.project.manage('migrate', '--plan')).stdout, /No planned migration operations/);
    return server;
  }

  it('offers to rename the rows back once the files are put back, and Django agrees after the click', async () => {
    await renameUndoAndRestore(true);
  });

  it('offers it in Restricted Mode too, where the rename itself wrote the SQLite file', async () => {
    await renameUndoAndRestore(false);
  });
});
