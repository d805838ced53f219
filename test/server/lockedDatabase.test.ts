import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { AliasMigrationState, MIGRATION_STATE_REQUEST, MigrationStateResult } from '../../protocol/index';
import { createMigrationsDatabase, holdExclusiveLock, SPILLING_WRITE } from '../db/sqliteFiles';
import { appFiles, managePy, migrationPy, projectFolder, settingsPy } from '../support/projectFolder';
import { waitFor } from '../support/waitFor';
import { LspClient } from './lspClient';

/**
 * A long `migrate` in another process holds the project's SQLite file: the server keeps
 * answering (each answer within the client's time-out), shows the database's state as a status,
 * and reads it once the writer is done.
 */
describe('server: a SQLite database locked by a writer', function () {
  this.timeout(180_000);

  it('answers every request while another process holds the database, then reads its rows', async function () {
    const root = projectFolder({
      'manage.py': managePy('site_settings'),
      'site_settings.py': settingsPy(['shop'], "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}"),
      ...appFiles('shop', { '0001_initial': migrationPy(), '0002_next': migrationPy([['shop', '0001_initial']]) }),
    });
    const database = createMigrationsDatabase(path.join(root, 'db.sqlite3'), [['shop', '0001_initial', '2024-05-01 10:00:00']]);
    const lock = await holdExclusiveLock(database, SPILLING_WRITE);
    let released = false;
    const { client } = await LspClient.start({ folders: [root] });
    try {
      const state = async (): Promise<AliasMigrationState | undefined> =>
        (await client.connection.sendRequest<MigrationStateResult>(MIGRATION_STATE_REQUEST, {})).projects[0]?.aliases[0];
      const second = path.join(root, 'shop', 'migrations', '0002_next.py');
      // Asked again and again while the writer holds the file: every answer comes within the
      // client's time-out, and the state is a status, never rows read half-written.
      const held = await waitFor('a status for the locked database', async () => {
        assert.deepEqual(await client.diagnostics(second), []);
        assert.ok(await client.hover(second, { line: 5, character: 24 }));
        const alias = await state();
        return alias && alias.status !== 'pending' ? alias : undefined;
      });
      assert.ok(['locked', 'error'].includes(held.status), JSON.stringify(held));
      for (let round = 0; round < 5; round++) assert.deepEqual(await client.diagnostics(second), []);

      await lock.release();
      released = true;
      const read = await waitFor('the rows once the writer is gone', async () => {
        const alias = await state();
        return alias?.status === 'ok' ? alias : undefined;
      });
      assert.equal(read.unapplied, 1);
      assert.deepEqual(client.featureFailures, []);
    } finally {
      if (!released) await lock.release();
      await client.shutdown();
    }
  });
});
