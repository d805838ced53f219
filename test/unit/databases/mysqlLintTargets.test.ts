import * as assert from 'node:assert/strict';
import { EMPTY_CONFIGURATION } from '../../../server/src/core/lints/lintConfiguration';
import { targetLabel } from '../../../server/src/core/lints/lintTarget';
import { ConfiguredDatabase } from '../../../server/src/databases/configuredDatabases';
import { lintTargets } from '../../../server/src/databases/lintTargets';

const mysql: ConfiguredDatabase = {
  alias: 'default',
  source: 'settings',
  settings: { engine: 'other', djangoEngine: 'django.db.backends.mysql', name: 'shop', options: {} },
};

/** MySQL-family versions: the server's VERSION(), else the setting, else the oldest the project's Django supports. */
describe('lint targets of MySQL and MariaDB aliases', () => {
  const labels = async (reported: string | undefined, setting?: string, djangoVersion?: readonly [number, number]) =>
    (
      await lintTargets({
        databases: [mysql],
        serverVersion: async () => reported,
        versionSetting: setting,
        configuration: EMPTY_CONFIGURATION,
        djangoVersion,
      })
    ).map(targetLabel);

  it("names MariaDB by the server's own report, and MySQL by its version", async () => {
    assert.deepEqual(await labels('10.11.6-MariaDB-0+deb12u1'), ['MariaDB 10.11']);
    assert.deepEqual(await labels('8.0.36'), ['MySQL 8.0']);
  });

  it('a configured version may say MariaDB; without one, the oldest MySQL the Django release supports is assumed', async () => {
    assert.match((await labels(undefined, '10.6-mariadb'))[0], /^MariaDB 10\.6 \(configured server version\)$/);
    assert.match((await labels(undefined))[0], /^MySQL 5\.7 \(assumed/);
    assert.match((await labels(undefined, undefined, [4, 2]))[0], /^MySQL 8\.0 \(assumed/);
  });
});
