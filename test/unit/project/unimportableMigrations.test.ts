import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Problem } from '../../../server/src/core/problem';
import { checkMigrationBytes, readAndCheckMigration } from '../../../server/src/project/parsedMigrationFile';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { loadPythonParser } from '../../../server/src/python/pythonParser';
import { managePy, projectFolder } from '../../support/projectFolder';

const djangoPython = '/usr/bin/python3';
const INITIAL = 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    operations = []\n';

/** A project with the apps `shop` and `blog`, each with an initial migration. */
function project(settings: string, files: Record<string, string> = {}): string {
  return projectFolder({
    'manage.py': managePy('config.settings'),
    'config/__init__.py': '',
    'config/settings.py': `SECRET_KEY = 'x'\nINSTALLED_APPS = ['shop', 'blog']\n${settings}`,
    'shop/__init__.py': '',
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': INITIAL,
    'blog/__init__.py': '',
    'blog/migrations/__init__.py': '',
    'blog/migrations/0001_initial.py': INITIAL,
    ...files,
  });
}

/** What Django 3.2's MigrationLoader (as migrate and showmigrations build it) says: '' when it loads. */
function djangoLoaderError(root: string): string {
  const script = [
    'import django, os, sys',
    "sys.path.insert(0, '.')",
    "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'",
    'django.setup()',
    'from django.db.migrations.loader import MigrationLoader',
    'try:',
    '    MigrationLoader(None)',
    'except Exception as e:',
    "    print(type(e).__name__ + ': ' + str(e))",
  ].join('\n');
  return execFileSync(djangoPython, ['-c', script], { cwd: root, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } })
    .toString()
    .trim();
}

async function problemsOf(root: string): Promise<Problem[]> {
  const [loaded] = await loadProjects(root, { trusted: false });
  return [...loaded.analyse().problems];
}

describe('migrations Django cannot import, named as such', function () {
  this.timeout(60_000);

  it('a folder and a FIFO named like migrations: Django fails to import them, and each is reported', async function () {
    const root = project('');
    mkdirSync(path.join(root, 'shop/migrations/0002_folder.py'));
    spawnSync('mkfifo', [path.join(root, 'blog/migrations/0002_fifo.py')]);
    assert.match(
      djangoLoaderError(root),
      /^ModuleNotFoundError: No module named '(shop\.migrations\.0002_folder|blog\.migrations\.0002_fifo)'/,
    );
    const problems = await problemsOf(root);
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, path.relative(root, p.file), /^(\S+)\.py .* not a file/.exec(p.message)?.[1]]),
      [
        ['unimportable-migration', 'error', path.join('shop', 'migrations', '__init__.py'), '0002_folder'],
        ['unimportable-migration', 'error', path.join('blog', 'migrations', '__init__.py'), '0002_fifo'],
      ],
    );
  });

  it('MIGRATION_MODULES naming a module that does not exist: the error Django raises, at the setting', async function () {
    const root = project("MIGRATION_MODULES = {\n    'shop': 'shop.migrations_old',\n    'blog': None,\n}\n");
    assert.equal(djangoLoaderError(root), "ModuleNotFoundError: No module named 'shop.migrations_old'");
    const problems = await problemsOf(root);
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, path.relative(root, p.file), p.range.start.line]),
      [['project-configuration', 'error', path.join('config', 'settings.py'), 2]],
    );
    assert.match(problems[0].message, /No module named 'shop\.migrations_old'/);
  });

  it('MIGRATION_MODULES naming modules that exist: nothing to say, as Django loads it', async function () {
    const root = project("MIGRATION_MODULES = {'shop': 'shop.legacy_migrations'}\n", {
      'shop/legacy_migrations/__init__.py': '',
      'shop/legacy_migrations/0001_initial.py': INITIAL,
    });
    assert.equal(djangoLoaderError(root), '');
    assert.deepEqual(await problemsOf(root), []);
  });

  it('Migration rebound after the class: TypeError for None, BadMigrationError for del, as Django raises them', async function () {
    for (const [after, django] of [
      ['Migration = None', "TypeError: 'NoneType' object is not callable"],
      ['del Migration', 'BadMigrationError: Migration 0002_rebound in app shop has no Migration class'],
    ]) {
      const second = INITIAL.replace('initial = True', "dependencies = [('shop', '0001_initial')]");
      const root = project('', { 'shop/migrations/0002_rebound.py': `${second}\n\n${after}\n` });
      assert.equal(djangoLoaderError(root), django);
      const problems = await problemsOf(root);
      assert.deepEqual(
        problems.map((p) => [p.code, p.severity, path.basename(p.file), p.range.start.line]),
        [['missing-migration-class', 'error', '0002_rebound.py', 8]],
        after,
      );
    }
  });

  it('an unreadable file is named by its error, never "no Migration class"', async function () {
    const parser = await loadPythonParser();
    const module = { path: '/project/shop/migrations/0002_locked.py', name: '0002_locked', app: 'shop' };
    const locked = checkMigrationBytes(module, undefined, parser, 'EACCES');
    assert.deepEqual(
      locked.problems.map((p) => [p.code, p.severity, p.message.split(':')[0]]),
      [['unimportable-migration', 'error', 'PermissionError']],
    );
    assert.match(locked.problems[0].message, /Permission denied/);
    // A real read error, through the same path the parse uses.
    const folder = projectFolder({ 'shop/migrations/0003_dir.py/__init__.py': '' });
    const read = readAndCheckMigration({ path: path.join(folder, 'shop/migrations/0003_dir.py'), name: '0003_dir', app: 'shop' }, parser);
    assert.deepEqual(
      read.problems.map((p) => [p.code, p.message.split(':')[0]]),
      [['unimportable-migration', 'IsADirectoryError']],
    );
  });
});
