import * as assert from 'node:assert/strict';
import { redactSecrets, secretsOfEnvironment } from '../../server/src/django/secretRedaction';

describe('secret redaction', () => {
  it('hides URL passwords, PASSWORD entries and conninfo passwords it was never told about', () => {
    assert.equal(redactSecrets('connect postgres://app:s3cr%40t@db:5432/x failed'), 'connect postgres://app:********@db:5432/x failed');
    assert.equal(redactSecrets("{'NAME': 'x', 'PASSWORD': 'hunter2'}"), "{'NAME': 'x', 'PASSWORD': '********'}");
    assert.equal(redactSecrets('{"PASSWORD": "hunter2", "USER": "u"}'), '{"PASSWORD": "********", "USER": "u"}');
    assert.equal(redactSecrets('host=db password=hunter2 user=u'), 'host=db password=******** user=u');
    assert.equal(redactSecrets("{'PASSWORD': ''}"), "{'PASSWORD': ''}");
  });

  it('hides known secrets wherever they appear', () => {
    assert.equal(redactSecrets('login as admin with topsecret failed', ['topsecret']), 'login as admin with ******** failed');
  });

  it('finds the secrets of an environment', () => {
    const secrets = secretsOfEnvironment({
      DATABASE_URL: 'postgres://app:p%40ss@db/x',
      DB_PASSWORD: 'hunter22',
      SECRET_KEY: 'django-insecure-key',
      HOME: '/root',
      PATH: '/usr/bin',
    });
    assert.deepEqual(secrets.sort(), ['django-insecure-key', 'hunter22', 'p%40ss', 'p@ss'].sort());
  });
});
