import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApplyWorkspaceEditParams,
  ApplyWorkspaceEditRequest,
  CodeAction,
  CodeActionKind,
  CodeActionRequest,
  Diagnostic,
  PrepareRenameRequest,
  Range,
  RenameRequest,
  ShowMessageRequest,
  ShowMessageRequestParams,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { FinishSquashReportRequest, MIGRATION_STATE_REQUEST, MigrationStateResult } from '../../protocol/index';
import { createTestDatabase, dropTestDatabase, testPostgresUrl } from '../db/postgresCluster';
import { DjangoProject } from '../django/djangoProject';
import { usePostgres } from '../django/usePostgres';
import { waitFor } from '../support/waitFor';
import { applyEdits, fileUri, LspClient } from './lspClient';
import { rangeOf } from './sourceRanges';

/** Writes a workspace edit to disk as an editor would once saved: text edits, renames, deletes. */
function writeEdit(edit: WorkspaceEdit): void {
  for (const change of edit.documentChanges ?? []) {
    if ('textDocument' in change) {
      const file = fileURLToPath(change.textDocument.uri);
      fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), change.edits));
    } else if (change.kind === 'rename') {
      fs.renameSync(fileURLToPath(change.oldUri), fileURLToPath(change.newUri));
    } else if (change.kind === 'delete') {
      fs.rmSync(fileURLToPath(change.uri));
    }
  }
}

/** The language server's refactorings (dist/server.js over its real protocol), on projects Django migrated. */
describe('server: migration refactorings', function () {
  this.timeout(180_000);
  const projects: Record<string, DjangoProject> = {};
  let client: LspClient;
  /** How the test answers the server's confirmation, and what the editor does with its edit. */
  let confirm: (params: ShowMessageRequestParams) => string | null = () => null;
  let applyAnswer = true;
  const confirmations: string[] = [];
  let postgresUrl: string | undefined;

  before(async () => {
    projects.squashed = await DjangoProject.fromFixture('squashed');
    await projects.squashed.manage('migrate');
    projects.partial = await DjangoProject.fromFixture('squash_replaced_deleted');
    await projects.partial.recordApplied([['shop', '0001_initial']]);
    projects.conflict = await DjangoProject.fromFixture('conflict');
    await projects.conflict.recordApplied([
      ['shop', '0001_initial'],
      ['shop', '0002_product_sku'],
    ]);
    projects.linear = await DjangoProject.fromFixture('linear');
    await projects.linear.manage('migrate');
    projects.postgres = await DjangoProject.fromFixture('linear');
    postgresUrl = await createTestDatabase(await testPostgresUrl(), 'rename');
    usePostgres(projects.postgres, postgresUrl);
    await projects.postgres.manage('migrate');
    // Trusted: a database server is contacted only in a trusted workspace.
    ({ client } = await LspClient.start({
      folders: Object.values(projects).map((project) => project.dir),
      initializationOptions: { trusted: true },
    }));
    client.connection.onRequest(ShowMessageRequest.type, (params) => {
      confirmations.push(params.message);
      const title = confirm(params);
      return title === null ? null : { title };
    });
    client.connection.onRequest(ApplyWorkspaceEditRequest.type, (params: ApplyWorkspaceEditParams) => {
      if (applyAnswer) writeEdit(params.edit);
      return { applied: applyAnswer };
    });
    await waitFor('every database is read', async () => {
      const state = await client.connection.sendRequest<MigrationStateResult>(MIGRATION_STATE_REQUEST, {});
      return state.projects.length === 5 && state.projects.every((p) => p.aliases.every((a) => a.status === 'ok')) ? true : undefined;
    });
  });

  after(async () => {
    await client?.shutdown().catch(() => client.kill());
    for (const project of Object.values(projects)) await project.remove();
    if (postgresUrl) await dropTestDatabase(postgresUrl);
  });

  const file = (project: string, relative: string) => path.join(projects[project].dir, relative);

  async function actionsAt(migration: string, range: Range, diagnostics: Diagnostic[] = []): Promise<CodeAction[]> {
    await client.open(migration, fs.readFileSync(migration, 'utf8'));
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: fileUri(migration) },
      range,
      context: { diagnostics },
    });
    return (actions ?? []) as CodeAction[];
  }

  it('finishes a squash every database applied as one workspace edit, after which Django has nothing to run', async () => {
    const squash = file('squashed', 'shop/migrations/0001_squashed_0003_product_sku.py');
    const text = fs.readFileSync(squash, 'utf8');
    const actions = await actionsAt(squash, rangeOf(text, 'replaces'));
    const finish = actions.find((action) => action.title.startsWith('Finish the squash'));
    assert.ok(finish, JSON.stringify(actions));
    assert.equal(finish.title, 'Finish the squash: delete 3 replaced migrations, point 2 references at it, remove replaces');
    assert.equal(finish.kind, CodeActionKind.RefactorRewrite);
    // What the command's confirmation shows of each database.
    assert.deepEqual(await client.connection.sendRequest(FinishSquashReportRequest, { file: squash }), {
      report: ['default: the squash is applied'],
    });
    const changes = finish.edit?.documentChanges ?? [];
    assert.deepEqual(
      changes
        .filter((change) => 'kind' in change && change.kind === 'delete')
        .map((change) => path.basename(fileURLToPath((change as { uri: string }).uri))),
      ['0001_initial.py', '0002_product_price.py', '0003_product_sku.py'],
    );
    await client.close(fileUri(squash));
    writeEdit(finish.edit!);
    assert.ok(!fs.readFileSync(squash, 'utf8').includes('replaces'));
    assert.match(
      fs.readFileSync(file('squashed', 'shop/migrations/0004_order.py'), 'utf8'),
      /\('shop', '0001_squashed_0003_product_sku'\)/,
    );
    assert.match((await projects.squashed.manage('migrate', '--plan')).stdout, /No planned migration operations/);
  });

  it('disables the quick fix of unfinished-squash while a database applied only part of the squash, saying why', async () => {
    const squash = file('partial', 'shop/migrations/0001_squashed_0003_product_sku.py');
    const uri = await client.open(squash, fs.readFileSync(squash, 'utf8'));
    const diagnostics = (await client.diagnostics(uri)).filter((d) => d.code === 'unfinished-squash');
    assert.equal(diagnostics.length, 1);
    const actions = await actionsAt(squash, diagnostics[0].range, diagnostics);
    assert.deepEqual(
      actions.map((action) => [action.title, action.kind, action.disabled?.reason, action.edit]),
      [
        [
          'Finish the squash',
          CodeActionKind.QuickFix,
          "database 'default' applied only 1 of the 3 migrations the squash replaces (shop.0001_initial): migrate it past the squash first",
          undefined,
        ],
      ],
    );
    assert.deepEqual(await client.connection.sendRequest(FinishSquashReportRequest, { file: squash }), {
      report: ['default: 1 of the 3 replaced migrations are applied'],
    });
    await client.close(uri);
  });

  it('disables rebasing a branch a database applied, and offers to rebase the other one', async () => {
    const price = file('conflict', 'shop/migrations/0002_product_price.py');
    const uri = await client.open(price, fs.readFileSync(price, 'utf8'));
    const diagnostics = (await client.diagnostics(uri)).filter((d) => d.code === 'conflicting-leaves');
    const actions = (await actionsAt(price, diagnostics[0].range, diagnostics)).filter((action) => action.title.startsWith('Rebase'));
    assert.deepEqual(
      actions.map((action) => [action.title, action.disabled?.reason]),
      [
        [
          'Rebase shop 0002_product_sku onto 0002_product_price',
          "database 'default' applied shop.0002_product_sku: renumbered, the migrations would not match its rows, " +
            "and Django's migrate cannot unapply them while the leaves conflict; rebase the other branch, or merge",
        ],
        ['Rebase shop 0002_product_price onto 0002_product_sku', undefined],
      ],
    );
    writeEdit(actions[1].edit!);
    await client.close(uri);
    assert.ok(fs.existsSync(file('conflict', 'shop/migrations/0003_product_price.py')));
    const plan = (await projects.conflict.manage('migrate', '--plan')).stdout;
    assert.match(plan, /shop\.0003_product_price/);
  });

  it('prepares a rename on the class Migration line and on a dependency string, offering the name after the number', async () => {
    const price = file('linear', 'shop/migrations/0002_product_price.py');
    const priceText = fs.readFileSync(price, 'utf8');
    const onClass = await client.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri: fileUri(price) },
      position: rangeOf(priceText, 'Migration(').start,
    });
    assert.deepEqual(onClass, { range: rangeOf(priceText, 'Migration'), placeholder: 'product_price' });
    const order = file('linear', 'shop/migrations/0003_order.py');
    const orderText = fs.readFileSync(order, 'utf8');
    const onDependency = await client.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri: fileUri(order) },
      position: rangeOf(orderText, "'0002_product_price'").start,
    });
    assert.deepEqual(onDependency, { range: rangeOf(orderText, "'0002_product_price'"), placeholder: 'product_price' });
  });

  it('refuses an invalid name with the reason', async () => {
    const price = file('linear', 'shop/migrations/0002_product_price.py');
    const position = rangeOf(fs.readFileSync(price, 'utf8'), 'Migration(').start;
    await assert.rejects(
      client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: fileUri(price) }, position, newName: 'product-price' }),
      /'0002_product-price' is not a Python module name/,
    );
  });

  it('renames the rows back and leaves the files when the editor does not apply the edit', async () => {
    const price = file('linear', 'shop/migrations/0002_product_price.py');
    const position = rangeOf(fs.readFileSync(price, 'utf8'), 'Migration(').start;
    confirm = (params) => params.actions?.[0].title ?? null;
    applyAnswer = false;
    await assert.rejects(
      client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: fileUri(price) }, position, newName: 'cost' }),
      /did not apply the rename; the rows were renamed back/,
    );
    applyAnswer = true;
    assert.ok(fs.existsSync(price));
    assert.match((await projects.linear.manage('showmigrations', 'shop')).stdout, /\[X\] 0002_product_price/);
  });

  it('renames an applied migration after confirming its rows: file, references and row, and Django agrees', async () => {
    const price = file('linear', 'shop/migrations/0002_product_price.py');
    const position = rangeOf(fs.readFileSync(price, 'utf8'), 'Migration(').start;
    confirmations.length = 0;
    confirm = (params) => params.actions?.[0].title ?? null;
    const answer = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: fileUri(price) },
      position,
      newName: 'product_cost',
    });
    assert.deepEqual(answer, { changes: {} });
    assert.deepEqual(confirmations, [
      "shop.0002_product_price is applied. Renaming it also renames its django_migrations rows: 'default': shop.0002_product_price → 0002_product_cost. " +
        'Undo puts the files back, then offers to rename the rows back.',
    ]);
    assert.ok(!fs.existsSync(price));
    assert.ok(fs.existsSync(file('linear', 'shop/migrations/0002_product_cost.py')));
    assert.match(fs.readFileSync(file('linear', 'shop/migrations/0003_order.py'), 'utf8'), /\('shop', '0002_product_cost'\)/);
    const shown = (await projects.linear.manage('showmigrations', 'shop')).stdout;
    assert.match(shown, /\[X\] 0002_product_cost/);
    assert.match((await projects.linear.manage('migrate', '--plan')).stdout, /No planned migration operations/);
  });

  it('renames an applied migration on PostgreSQL: its row in a transaction, and Django agrees', async () => {
    const order = file('postgres', 'shop/migrations/0003_order.py');
    const position = rangeOf(fs.readFileSync(order, 'utf8'), 'Migration(').start;
    confirmations.length = 0;
    confirm = (params) => params.actions?.[0].title ?? null;
    const answer = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: fileUri(order) },
      position,
      newName: 'orders',
    });
    assert.deepEqual(answer, { changes: {} });
    assert.match(confirmations[0], /'default': shop\.0003_order → 0003_orders/);
    assert.ok(fs.existsSync(file('postgres', 'shop/migrations/0003_orders.py')));
    const shown = (await projects.postgres.manage('showmigrations', 'shop')).stdout;
    assert.match(shown, /\[X\] 0003_orders/);
    assert.doesNotMatch(shown, /0003_order\n/);
    assert.match((await projects.postgres.manage('migrate', '--plan')).stdout, /No planned migration operations/);
    assert.match((await projects.postgres.manage('makemigrations', '--check', '--dry-run')).stdout, /No changes detected/);
  });

  it('renames nothing when the confirmation is cancelled', async () => {
    const order = file('linear', 'shop/migrations/0003_order.py');
    const position = rangeOf(fs.readFileSync(order, 'utf8'), 'Migration(').start;
    confirm = () => 'Cancel';
    const answer = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: fileUri(order) },
      position,
      newName: 'orders',
    });
    assert.equal(answer, null);
    assert.ok(fs.existsSync(order));
  });
});
