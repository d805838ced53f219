import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturesDirectory, repositoryRoot } from './repositoryPaths';

export { fixturesDirectory, repositoryRoot };

const temporaryFolders: string[] = [];
process.once('exit', () => {
  for (const folder of temporaryFolders) rmSync(folder, { recursive: true, force: true });
});

/** A new temporary folder, removed when the process exits. */
export function temporaryFolder(prefix = 'project'): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), `django-migrations-${prefix}-`));
  temporaryFolders.push(folder);
  return folder;
}

/** Writes `files` (path relative to `folder`, with `/` separators, to text) below `folder`. */
export function writeFiles(folder: string, files: Readonly<Record<string, string>>): string {
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(folder, ...relative.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return folder;
}

/** A temporary folder holding `files`. */
export function projectFolder(files: Readonly<Record<string, string>>): string {
  return writeFiles(temporaryFolder(), files);
}

/** A throw-away copy of test/fixtures/<scenario>, without databases or bytecode, at `<temp>/<scenario>`. */
export function copyFixture(scenario: string, into = temporaryFolder('fixture')): string {
  const target = path.join(into, scenario);
  cpSync(path.join(fixturesDirectory, scenario), target, {
    recursive: true,
    filter: (file) => !['db.sqlite3', '__pycache__'].includes(path.basename(file)),
  });
  return target;
}

/** `manage.py` as `startproject` writes it, naming `settingsModule`. */
export function managePy(settingsModule: string): string {
  return [
    'import os',
    'import sys',
    '',
    '',
    'def main():',
    `    os.environ.setdefault('DJANGO_SETTINGS_MODULE', '${settingsModule}')`,
    '    from django.core.management import execute_from_command_line',
    '    execute_from_command_line(sys.argv)',
    '',
    '',
    "if __name__ == '__main__':",
    '    main()',
    '',
  ].join('\n');
}

/** A settings module with a literal INSTALLED_APPS and any further lines. */
export function settingsPy(installedApps: readonly string[], ...more: string[]): string {
  return [`INSTALLED_APPS = [${installedApps.map((app) => `'${app}'`).join(', ')}]`, ...more, ''].join('\n');
}

/** An `apps.py` with one AppConfig subclass. */
export function appsPy(className: string, name: string, label?: string): string {
  const lines = ['from django.apps import AppConfig', '', '', `class ${className}(AppConfig):`, `    name = '${name}'`];
  if (label) lines.push(`    label = '${label}'`);
  return `${lines.join('\n')}\n`;
}

/** A migration module with `dependencies` given as `[app, name]` pairs and no operations. */
export function migrationPy(dependencies: readonly (readonly [string, string])[] = [], ...attributes: string[]): string {
  return [
    'from django.db import migrations',
    '',
    '',
    'class Migration(migrations.Migration):',
    '',
    ...attributes.map((line) => `    ${line}`),
    `    dependencies = [${dependencies.map(([app, name]) => `('${app}', '${name}')`).join(', ')}]`,
    '',
    '    operations = []',
    '',
  ].join('\n');
}

/** The files of an app package `dottedName` with one migration per entry of `migrations`. */
export function appFiles(dottedName: string, migrations: Readonly<Record<string, string>>, apps?: string): Record<string, string> {
  const folder = dottedName.split('.').join('/');
  const files: Record<string, string> = { [`${folder}/__init__.py`]: '', [`${folder}/migrations/__init__.py`]: '' };
  // Parent packages of a nested app.
  const parts = dottedName.split('.');
  for (let i = 1; i < parts.length; i++) files[`${parts.slice(0, i).join('/')}/__init__.py`] = '';
  if (apps !== undefined) files[`${folder}/apps.py`] = apps;
  for (const [name, text] of Object.entries(migrations)) files[`${folder}/migrations/${name}.py`] = text;
  return files;
}
