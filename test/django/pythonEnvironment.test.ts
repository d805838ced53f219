import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pythonEnvironmentKey, resolvePythonEnvironment } from '../../server/src/django/pythonEnvironment';
import { scratchDirectory } from './commandsProject';
import { djangoPython } from '../support/testDjango';

describe('Python environment', () => {
  let scratch: ReturnType<typeof scratchDirectory>;
  beforeEach(() => {
    scratch = scratchDirectory('python-environment');
  });
  afterEach(() => scratch.cleanup());

  const touch = (...parts: string[]): string => {
    const file = path.join(scratch.dir, ...parts);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
    return file;
  };

  it('prefers an explicit interpreter, then .venv, then venv, then python3 from PATH', () => {
    const base = { PATH: '/usr/bin' };
    assert.deepEqual(
      [resolvePythonEnvironment({ projectRoot: scratch.dir, baseEnv: base })].map((e) => [e.python, e.pythonSource]),
      [['python3', 'path']],
    );
    const venv = touch('venv', 'bin', 'python');
    assert.equal(resolvePythonEnvironment({ projectRoot: scratch.dir, baseEnv: base }).python, venv);
    const dotVenv = touch('.venv', 'bin', 'python');
    const chosen = resolvePythonEnvironment({ projectRoot: scratch.dir, baseEnv: base });
    assert.equal(chosen.python, dotVenv);
    assert.equal(chosen.pythonSource, 'virtualEnvironment');
    assert.equal(chosen.env.PATH, `${path.join(scratch.dir, '.venv', 'bin')}:/usr/bin`);
    const explicit = resolvePythonEnvironment({ projectRoot: scratch.dir, pythonPath: 'env/bin/python', baseEnv: base });
    assert.deepEqual([explicit.python, explicit.pythonSource], [path.join(scratch.dir, 'env', 'bin', 'python'), 'explicit']);
    assert.equal(resolvePythonEnvironment({ projectRoot: scratch.dir, pythonPath: 'python3.11', baseEnv: base }).python, 'python3.11');
    assert.equal(resolvePythonEnvironment({ projectRoot: scratch.dir, baseEnv: base, platform: 'win32' }).python, 'python');
  });

  it('takes the settings module from the setting, then the environment, then manage.py', () => {
    const resolve = (settingsModule?: string, env: Record<string, string> = {}) =>
      resolvePythonEnvironment({ projectRoot: scratch.dir, settingsModule, manageSettingsModule: 'site.settings', baseEnv: env });
    assert.deepEqual(
      [resolve('a.settings', { DJANGO_SETTINGS_MODULE: 'b.settings' })].map((e) => [
        e.settingsModule,
        e.settingsSource,
        e.env.DJANGO_SETTINGS_MODULE,
      ]),
      [['a.settings', 'explicit', 'a.settings']],
    );
    assert.equal(resolve(undefined, { DJANGO_SETTINGS_MODULE: 'b.settings' }).settingsSource, 'environment');
    assert.deepEqual(
      [resolve('  ')].map((e) => [e.settingsModule, e.settingsSource]),
      [['site.settings', 'manage.py']],
    );
    const none = resolvePythonEnvironment({ projectRoot: scratch.dir, baseEnv: {} });
    assert.equal(none.settingsModule, undefined);
    assert.equal(none.env.DJANGO_SETTINGS_MODULE, undefined);
  });

  it("loads the project's .env without overriding the environment, and lists its secrets", () => {
    writeFileSync(
      path.join(scratch.dir, '.env'),
      'export DATABASE_URL="postgres://app:pa55word@db/app"\nDEBUG=1\nDJANGO_SETTINGS_MODULE=env.settings\nbroken line\n',
    );
    const environment = resolvePythonEnvironment({ projectRoot: scratch.dir, baseEnv: { DEBUG: '0' } });
    assert.equal(environment.env.DATABASE_URL, 'postgres://app:pa55word@db/app');
    assert.equal(environment.env.DEBUG, '0');
    assert.equal(environment.settingsModule, 'env.settings');
    assert.equal(environment.settingsSource, 'environment');
    assert.deepEqual(environment.dotEnvFiles, [path.join(scratch.dir, '.env')]);
    assert.ok(environment.secrets.includes('pa55word'));
    assert.deepEqual(environment.problems, [
      { file: path.join(scratch.dir, '.env'), line: 3, message: 'Expected KEY=VALUE, found: broken line' },
    ]);
  });

  it('keys helpers by project root, interpreter and settings', () => {
    const a = resolvePythonEnvironment({ projectRoot: scratch.dir, pythonPath: djangoPython, settingsModule: 'a.settings', baseEnv: {} });
    const b = resolvePythonEnvironment({
      projectRoot: `${scratch.dir}/`,
      pythonPath: djangoPython,
      settingsModule: 'a.settings',
      baseEnv: { X: '1' },
    });
    const c = resolvePythonEnvironment({ projectRoot: scratch.dir, pythonPath: djangoPython, settingsModule: 'b.settings', baseEnv: {} });
    assert.equal(pythonEnvironmentKey(a), pythonEnvironmentKey(b));
    assert.notEqual(pythonEnvironmentKey(a), pythonEnvironmentKey(c));
  });
});
