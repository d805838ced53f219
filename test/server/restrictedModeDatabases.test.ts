import * as assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AliasMigrationState, DATABASE_PASSWORDS_VARIABLE, MIGRATION_STATE_REQUEST, MigrationStateResult } from '../../protocol/index';
import { FakePostgresServer } from '../support/fakePostgresServer';
import { appFiles, managePy, migrationPy, projectFolder, settingsPy, temporaryFolder } from '../support/projectFolder';
import { waitFor } from '../support/waitFor';
import { LspClient } from './lspClient';

/**
 * A cloned repository whose settings name a host and no password, opened by a user who keeps
 * PostgreSQL credentials in the environment, in ~/.pgpass and in VS Code's secret storage.
 */
describe('database servers in Restricted Mode', function () {
  this.timeout(120_000);
  let fake: FakePostgresServer;
  let folder: string;
  let env: Record<string, string>;

  before(async () => {
    fake = await FakePostgresServer.start();
    const databases = `{'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'USER': 'alice', 'HOST': '127.0.0.1', 'PORT': ${fake.port}}}`;
    folder = projectFolder({
      'manage.py': managePy('site_settings'),
      'site_settings.py': settingsPy(['shop'], `DATABASES = ${databases}`),
      ...appFiles('shop', { '0001_initial': migrationPy() }),
    });
    const pgpass = path.join(temporaryFolder('pgpass'), 'pgpass');
    writeFileSync(pgpass, `127.0.0.1:${fake.port}:shop:alice:from-pgpass\n*:*:*:*:from-pgpass-wildcard\n`);
    chmodSync(pgpass, 0o600);
    env = {
      PGPASSWORD: 'from-environment',
      PGPASSFILE: pgpass,
      [DATABASE_PASSWORDS_VARIABLE]: JSON.stringify([{ projectRoot: folder, alias: 'default', password: 'stored-in-vscode' }]),
    };
  });

  after(async () => {
    await fake?.stop();
  });

  async function aliasState(
    client: LspClient,
    wanted: (alias: AliasMigrationState) => boolean,
    what: string,
  ): Promise<AliasMigrationState> {
    return waitFor(what, async () => {
      const state = await client.connection.sendRequest<MigrationStateResult>(MIGRATION_STATE_REQUEST, {});
      const alias = state.projects[0]?.aliases[0];
      return alias && wanted(alias) ? alias : undefined;
    });
  }

  it('contacts no server chosen by an untrusted workspace, and says it was not read', async function () {
    const { client } = await LspClient.start({ folders: [folder], env });
    try {
      const alias = await aliasState(client, (entry) => entry.status !== 'pending', 'the alias has a status');
      assert.equal(alias.status, 'restricted');
      assert.match(alias.message ?? '', /not read in Restricted Mode/);
      await client.connection.sendRequest(MIGRATION_STATE_REQUEST, {});
    } finally {
      await client.shutdown();
    }
    assert.deepEqual(fake.connections, []);
  });

  it('does connect once the workspace is trusted (the fake server sees what a client sends)', async function () {
    const { client } = await LspClient.start({ folders: [folder], env, initializationOptions: { trusted: true } });
    try {
      const alias = await aliasState(client, (entry) => entry.status === 'authentication-failed', 'the login is refused');
      assert.equal(alias.status, 'authentication-failed');
    } finally {
      await client.shutdown();
    }
    // Trusted, the user's credentials go where the settings say, as they would with Django.
    assert.ok(fake.connections.every((connection) => connection.parameters.user === 'alice'));
    assert.ok(fake.connections.some((connection) => connection.password === 'stored-in-vscode'));
  });
});
