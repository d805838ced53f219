import * as assert from 'node:assert/strict';
import { DjangoHelperProcess } from '../../server/src/django/djangoHelperProcess';
import { resolvePythonEnvironment } from '../../server/src/django/pythonEnvironment';
import { managePy, projectFolder } from '../support/projectFolder';
import { djangoPython } from './djangoProject';

const LITERAL = 'literal-settings-secret';
const STORED = 'stored-in-secret-storage';

/** Settings that print their passwords while Django imports them: common in debug leftovers. */
const SETTINGS = `import sys
SECRET_KEY = 'x'
INSTALLED_APPS = []
DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3', 'PASSWORD': '${LITERAL}'}}
print('connecting with', DATABASES['default']['PASSWORD'])
print('stderr too:', DATABASES['default']['PASSWORD'], 'and', '${STORED}', file=sys.stderr)
`;

describe("the project's Django printing passwords the server knows", function () {
  this.timeout(120_000);

  it('hides them in every log line', async function () {
    const folder = projectFolder({ 'manage.py': managePy('site_settings'), 'site_settings.py': SETTINGS });
    const environment = resolvePythonEnvironment({ projectRoot: folder, pythonPath: djangoPython, settingsModule: 'site_settings' });
    const logs: string[] = [];
    const helper = new DjangoHelperProcess({
      trusted: true,
      environment,
      idleTimeoutMs: 0,
      log: (message) => logs.push(message),
      secrets: () => [LITERAL, STORED],
    });
    try {
      const answer = await helper.databases({ includePasswords: true });
      assert.equal(answer.databases.default.settings.PASSWORD, LITERAL);
    } finally {
      await helper.dispose();
    }
    const text = logs.join('\n');
    assert.match(text, /stderr too: \*{8} and \*{8}/);
    assert.ok(!text.includes(LITERAL) && !text.includes(STORED), text);
  });
});
