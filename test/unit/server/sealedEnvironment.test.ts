import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openSealedEnvironment } from '../../../client/src/commands/sealedEnvironment';
import { TASK_ENVIRONMENT_KEY_VARIABLE } from '../../../protocol/index';
import { addedVariables } from '../../../server/src/features/taskEnvironment';
import { sealEnvironment, takeSealingKey } from '../../../server/src/workspace/sealedEnvironment';

describe('task environments sealed for the client', () => {
  const key = randomBytes(32);
  const variables = { DATABASE_PASSWORD: 'hunter2-secret', DJANGO_SETTINGS_MODULE: 'site.settings', NOTE: 'café ✓' };

  it('opens with the key that sealed it, and shows none of its values', () => {
    const sealed = sealEnvironment(variables, key);
    for (const value of Object.values(variables)) assert.ok(!sealed.includes(value));
    assert.ok(!Buffer.from(sealed, 'base64').toString('latin1').includes('hunter2'));
    assert.deepEqual(openSealedEnvironment(sealed, key), variables);
    // A fresh IV each time: the same variables never seal to the same text.
    assert.notEqual(sealEnvironment(variables, key), sealed);
  });

  it('refuses another key and an altered text', () => {
    const sealed = sealEnvironment(variables, key);
    assert.throws(() => openSealedEnvironment(sealed, randomBytes(32)));
    const bytes = Buffer.from(sealed, 'base64');
    bytes[bytes.length - 1] ^= 1;
    assert.throws(() => openSealedEnvironment(bytes.toString('base64'), key));
  });

  it('takes the key from the environment once, and only a 32-byte one', () => {
    const environment: Record<string, string | undefined> = { [TASK_ENVIRONMENT_KEY_VARIABLE]: key.toString('base64'), PATH: '/bin' };
    assert.deepEqual(takeSealingKey(environment), key);
    assert.deepEqual(environment, { PATH: '/bin' });
    assert.equal(takeSealingKey(environment), undefined);
    assert.equal(takeSealingKey({ [TASK_ENVIRONMENT_KEY_VARIABLE]: randomBytes(16).toString('base64') }), undefined);
  });

  it('sends only what the task adds to VS Code environment', () => {
    assert.deepEqual(addedVariables({ PATH: '/venv/bin:/bin', HOME: '/home/me', SECRET_KEY: 'abc' }, { PATH: '/bin', HOME: '/home/me' }), {
      PATH: '/venv/bin:/bin',
      SECRET_KEY: 'abc',
    });
  });
});
