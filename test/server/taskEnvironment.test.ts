import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openSealedEnvironment } from '../../client/src/commands/sealedEnvironment';
import { DjangoAnswer, TASK_ENVIRONMENT_KEY_VARIABLE, TaskEnvironmentAnswer, TaskEnvironmentRequest } from '../../protocol/index';
import { appFiles, managePy, migrationPy, projectFolder, settingsPy } from '../support/projectFolder';
import { LspClient } from './lspClient';

/** The environment a task runs `manage.py` in, asked of the server as the client asks it. */
describe('djangoMigrations/taskEnvironment', function () {
  this.timeout(120_000);
  const key = randomBytes(32);
  let folder: string;

  before(() => {
    folder = projectFolder({
      'manage.py': managePy('site_settings'),
      'site_settings.py': settingsPy(['shop']),
      '.env': 'DATABASE_PASSWORD=hunter2-secret\nAPP_GREETING=hello-from-dotenv\n',
      ...appFiles('shop', { '0001_initial': migrationPy() }),
    });
  });

  it("answers the helper's interpreter and the project's .env, never in clear", async () => {
    const { client } = await LspClient.start({
      folders: [folder],
      initializationOptions: { trusted: true, pythonPath: '/usr/bin/python3' },
      env: { [TASK_ENVIRONMENT_KEY_VARIABLE]: key.toString('base64') },
    });
    try {
      const answer = (await client.connection.sendRequest(TaskEnvironmentRequest, {
        projectRoot: folder,
        checkDjango: true,
      })) as DjangoAnswer<TaskEnvironmentAnswer>;
      assert.ok(answer.ok, JSON.stringify(answer));
      assert.equal(answer.python, '/usr/bin/python3');
      // What a trace of the answer would print.
      const traced = JSON.stringify(answer);
      assert.ok(!traced.includes('hunter2-secret'));
      assert.ok(!traced.includes('hello-from-dotenv'));
      const env = openSealedEnvironment(answer.sealedEnv, key);
      assert.equal(env.DATABASE_PASSWORD, 'hunter2-secret');
      assert.equal(env.APP_GREETING, 'hello-from-dotenv');
      assert.equal(env.DJANGO_SETTINGS_MODULE, 'site_settings');
      assert.equal(env[TASK_ENVIRONMENT_KEY_VARIABLE], undefined);

      const missing = await client.connection.sendRequest(TaskEnvironmentRequest, { projectRoot: `${folder}-elsewhere` });
      assert.equal(missing.ok ? undefined : missing.reason, 'noProject');
    } finally {
      await client.shutdown();
    }
  });

  it('refuses to start Python in Restricted Mode', async () => {
    const { client } = await LspClient.start({ folders: [folder], env: { [TASK_ENVIRONMENT_KEY_VARIABLE]: key.toString('base64') } });
    try {
      const answer = await client.connection.sendRequest(TaskEnvironmentRequest, { projectRoot: folder, checkDjango: true });
      assert.equal(answer.ok ? undefined : answer.reason, 'untrusted');
    } finally {
      await client.shutdown();
    }
  });
});
