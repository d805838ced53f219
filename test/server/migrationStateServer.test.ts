import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeLens, CodeLensRequest, InitializedNotification, InitializeRequest } from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import {
  AliasMigrationState,
  MIGRATION_STATE_CHANGED_NOTIFICATION,
  MIGRATION_STATE_REQUEST,
  MigrationStateResult,
  REFRESH_MIGRATION_STATE_REQUEST,
} from '../../protocol/index';

import { DjangoProject, djangoPython, repositoryRoot } from '../django/djangoProject';
import { fileUri, LspClient } from './lspClient';
import { waitFor, waitUntil } from '../support/waitFor';
import { temporaryFolder } from '../support/projectFolder';

/** The language server as bundled (dist/server.js), over its real protocol. */
describe('the migration state in the language server', function () {
  this.timeout(120_000);
  let django: DjangoProject;
  let client: LspClient;
  let changes = 0;
  let latest: MigrationStateResult | undefined;

  async function state(): Promise<MigrationStateResult> {
    latest = await client.connection.sendRequest<MigrationStateResult>(MIGRATION_STATE_REQUEST, {});
    return latest;
  }

  async function alias(): Promise<AliasMigrationState> {
    return (await state()).projects[0].aliases[0];
  }

  function until(condition: (alias: AliasMigrationState) => boolean, what: string): Promise<AliasMigrationState> {
    return waitFor(what, async () => {
      const found = await alias();
      return condition(found) ? found : undefined;
    });
  }

  function lensTitles(lenses: CodeLens[] | null): string[] {
    return (lenses ?? []).map((lens) => lens.command?.title ?? '');
  }

  before(async () => {
    django = await DjangoProject.fromFixture('linear');
    await django.manage('migrate', 'shop', '0002');
    ({ client } = await LspClient.start({
      folders: [django.dir],
      initializationOptions: { storagePath: temporaryFolder('server-storage') },
    }));
    client.connection.onNotification(MIGRATION_STATE_CHANGED_NOTIFICATION, () => changes++);
  });

  after(async () => {
    await client?.shutdown();
    await django?.remove();
  });

  it('answers the state of every alias, app and migration', async () => {
    const found = await until((entry) => entry.status === 'ok', 'the database is read');
    assert.equal(found.alias, 'default');
    assert.equal(found.database, `SQLite database ${django.databasePath}`);
    assert.equal(found.unapplied, 1);
    assert.deepEqual(
      found.apps.map((app) => [app.app, app.applied, app.unapplied]),
      [['shop', 2, 1]],
    );
    assert.equal(latest?.projects[0].root, django.dir);
    assert.equal(latest?.projects[0].primaryAlias, 'default');
  });

  it('notifies the client when a migrate changes the database, and answers the new state', async () => {
    const before = changes;
    await django.manage('migrate');
    await waitUntil('a migrationStateChanged notification', () => changes > before);
    await until((entry) => entry.unapplied === 0, 'the migrate is seen');
  });

  it('refreshes on request', async () => {
    const result = await client.connection.sendRequest<MigrationStateResult>(REFRESH_MIGRATION_STATE_REQUEST, { projectRoot: django.dir });
    assert.equal(result.projects[0].aliases[0].status, 'ok');
  });

  it('puts the applied state and the dependents above class Migration', async () => {
    const file = path.join(django.dir, 'shop', 'migrations', '0001_initial.py');
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: fileUri(file) } });
    const titles = lensTitles(lenses);
    assert.ok(
      titles.some((title) => title.startsWith('$(check) applied on default')),
      titles.join(' | '),
    );
    assert.ok(titles.includes('1 dependent'), titles.join(' | '));
    const dependents = lenses!.find((lens) => lens.command?.title === '1 dependent')!.command!;
    assert.equal(dependents.command, 'djangoMigrations.showDependents');
    const [uri, , locations] = dependents.arguments as [string, unknown, { uri: string }[]];
    assert.equal(uri, fileUri(file));
    assert.deepEqual(
      locations.map((location) => location.uri),
      [fileUri(path.join(django.dir, 'shop', 'migrations', '0002_product_price.py'))],
    );
    const reveal = lenses!.find((lens) => lens.command?.title.startsWith('$(check)'))!.command!;
    assert.equal(reveal.command, 'djangoMigrations.revealMigration');
    assert.deepEqual(reveal.arguments?.[0], { projectRoot: django.dir, alias: 'default', app: 'shop', name: '0001_initial', file });
  });

  it('warns while an applied migration is edited', async () => {
    const file = path.join(django.dir, 'shop', 'migrations', '0003_order.py');
    const text = fs.readFileSync(file, 'utf8');
    const uri = await client.open(file, text);
    const stale = async () => (await client.diagnostics(uri)).filter((diagnostic) => diagnostic.code === 'stale-applied-migration');
    assert.deepEqual(await stale(), []);
    await client.change(uri, text.replace("name='Order'", "name='Purchase'"));
    // The hashes of what was applied are remembered in the background after a read.
    let found = await stale();
    for (let attempt = 0; attempt < 100 && found.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      found = await stale();
    }
    assert.equal(found.length, 1, 'one warning');
    assert.equal(found[0].source, 'django-migrations');
    await client.change(uri, text);
    assert.deepEqual(await stale(), []);
    await client.close(uri);
  });
});

describe("DATABASES built at import time, read from the project's Django", function () {
  this.timeout(120_000);

  it('asks the Django helper in a trusted workspace, and reads nothing it cannot know when untrusted', async () => {
    const django = await DjangoProject.fromFixture('linear');
    const settings = path.join(django.dir, 'config', 'settings.py');
    // A call only Python can evaluate: the static reader cannot know NAME.
    fs.appendFileSync(
      settings,
      "\n\ndef database_name():\n    return str(BASE_DIR / 'computed.sqlite3')\n\n\nDATABASES['default']['NAME'] = database_name()\n",
    );
    await django.manage('migrate', 'shop', '0001');
    const clients: LspClient[] = [];
    try {
      const start = async (trusted: boolean) => {
        const { client } = await LspClient.start({ folders: [django.dir], initializationOptions: { trusted, pythonPath: djangoPython } });
        clients.push(client);
        let found: AliasMigrationState | undefined;
        for (let attempt = 0; attempt < 200 && (!found || found.status === 'pending'); attempt++) {
          found = (await client.connection.sendRequest<MigrationStateResult>(MIGRATION_STATE_REQUEST, {})).projects[0]?.aliases[0];
          if (!found || found.status === 'pending') await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return found!;
      };
      const trusted = await start(true);
      assert.equal(trusted.source, 'django');
      assert.equal(trusted.database, `SQLite database ${path.join(django.dir, 'computed.sqlite3')}`);
      assert.equal(trusted.status, 'ok');
      assert.equal(trusted.unapplied, 2);
      const untrusted = await start(false);
      assert.equal(untrusted.source, 'settings');
      assert.notEqual(untrusted.database, trusted.database, 'no Python ran: the literal NAME is all that is known');
    } finally {
      for (const client of clients) await client.shutdown();
      await django.remove();
    }
  });
});

/**
 * The packaged extension ships dist/ without node_modules: no better-sqlite3, so the server reads
 * SQLite through sql.js and dist/sql-wasm.wasm. Run the bundle from a folder where nothing else
 * can be found.
 */
describe('the packaged server reads SQLite without a native driver', function () {
  this.timeout(120_000);

  it('answers the migration state from a copy of dist/ alone', async () => {
    const dist = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'django-migrations-packaged-')), 'extension', 'dist');
    fs.mkdirSync(dist, { recursive: true });
    for (const name of fs.readdirSync(path.join(repositoryRoot, 'dist'))) {
      if (/\.(js|wasm|py)$/.test(name)) fs.copyFileSync(path.join(repositoryRoot, 'dist', name), path.join(dist, name));
    }
    assert.throws(() => require.resolve('better-sqlite3', { paths: [dist] }), 'no native driver can be found from there');
    const django = await DjangoProject.fromFixture('squashed');
    const child = spawn(process.execPath, [path.join(dist, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    try {
      await django.manage('migrate', 'reports', '0001');
      await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: fileUri(django.dir),
        workspaceFolders: [{ uri: fileUri(django.dir), name: 'squashed' }],
        capabilities: {},
        initializationOptions: { trusted: false },
      });
      await connection.sendNotification(InitializedNotification.type, {});
      const found = await waitFor(
        'the database is read',
        async () => {
          const result = await connection.sendRequest<MigrationStateResult>(MIGRATION_STATE_REQUEST, {});
          const alias = result.projects[0]?.aliases[0];
          return alias?.status === 'ok' ? alias : undefined;
        },
        20_000,
      );
      assert.equal(found?.status, 'ok', JSON.stringify(found));
      assert.deepEqual(
        found!.apps.map((app) => [app.app, app.applied, app.unapplied]),
        [
          ['reports', 1, 1],
          ['shop', 1, 1],
        ],
      );
    } finally {
      connection.dispose();
      child.kill();
      await django.remove();
      fs.rmSync(path.dirname(path.dirname(dist)), { recursive: true, force: true });
    }
  });
});
