import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PythonEnvironment, resolvePythonEnvironment } from '../../server/src/django/pythonEnvironment';
import { djangoPython } from '../support/testDjango';

/** The interpreter of the selected Django (test/support/testDjango.ts). */
export const DJANGO_PYTHON = djangoPython;
export const SETTINGS_MODULE = 'commands_project.settings';
export const FIXTURE_ROOT = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'commands_project');
export const FIXTURE_APPS = ['catalog', 'orders', 'reviews'];

/** Every migration of the fixture, as `[app, name]`, in file order. */
export function fixtureMigrations(root = FIXTURE_ROOT): Array<[string, string]> {
  return FIXTURE_APPS.flatMap((app) =>
    readdirSync(path.join(root, app, 'migrations'))
      .filter((file) => /^\d{4}_\w+\.py$/.test(file))
      .sort()
      .map((file): [string, string] => [app, file.slice(0, -3)]),
  );
}

/** A scratch folder removed by `cleanup`. */
export function scratchDirectory(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of the fixture a test may edit. */
export function copyFixture(target: string): string {
  cpSync(FIXTURE_ROOT, target, {
    recursive: true,
    filter: (source) => !source.includes('__pycache__') && !source.endsWith('.sqlite3'),
  });
  return target;
}

/** The fixture's environment with the selected Django's interpreter and the given DATABASE_URL. */
export function fixtureEnvironment(root: string, databaseUrl: string, pythonPath: string | undefined = DJANGO_PYTHON): PythonEnvironment {
  return resolvePythonEnvironment({
    projectRoot: root,
    pythonPath,
    settingsModule: SETTINGS_MODULE,
    baseEnv: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

/** A string with the memory addresses in Python reprs blanked, which differ between processes. */
export function withoutAddresses(text: string): string {
  return text.replace(/0x[0-9a-f]+/g, '0x…');
}
