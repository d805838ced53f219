import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturesDirectory } from '../django/djangoProject';
import { managePy } from '../support/projectFolder';

/** Source files of a small project, by path relative to the project folder. */
export type ProjectFiles = Record<string, string | Uint8Array>;

/**
 * A temporary folder holding the projects of one test file: copies of test/fixtures/ scenarios
 * and small projects written inline. Each project becomes one workspace folder.
 */
export class TemporaryWorkspace {
  private constructor(readonly root: string) {}

  static async create(): Promise<TemporaryWorkspace> {
    return new TemporaryWorkspace(await fs.mkdtemp(path.join(os.tmpdir(), 'django-migrations-server-')));
  }

  /** Copies test/fixtures/<scenario> (without databases or bytecode) to `name`; returns the copy's folder. */
  async copyFixture(scenario: string, name = scenario): Promise<string> {
    const dir = path.join(this.root, name);
    await fs.cp(path.join(fixturesDirectory, scenario), dir, {
      recursive: true,
      filter: (file) => !['db.sqlite3', '__pycache__'].includes(path.basename(file)),
    });
    return dir;
  }

  /** Writes a project from its files; returns its folder. */
  async writeProject(name: string, files: ProjectFiles): Promise<string> {
    const dir = path.join(this.root, name);
    for (const [relative, content] of Object.entries(files)) {
      const file = path.join(dir, relative);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
    }
    return dir;
  }

  async dispose(): Promise<void> {
    await fs.rm(this.root, { recursive: true, force: true });
  }
}

/**
 * A minimal Django project as `startproject` + `startapp` lay it out, with the given apps
 * installed and the given migrations (`app/migrations/<name>.py`) and other files added.
 */
export function djangoProject(apps: readonly string[], files: ProjectFiles): ProjectFiles {
  const project: ProjectFiles = {
    'manage.py': managePy('config.settings'),
    'config/__init__.py': '',
    'config/settings.py': [
      "SECRET_KEY = 'test-only'",
      'INSTALLED_APPS = [',
      ...apps.map((app) => `    '${app}',`),
      ']',
      "DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'",
      '',
    ].join('\n'),
  };
  for (const app of apps) {
    const config = `${app[0].toUpperCase()}${app.slice(1)}Config`;
    project[`${app}/__init__.py`] = '';
    project[`${app}/apps.py`] = `from django.apps import AppConfig\n\n\nclass ${config}(AppConfig):\n    name = '${app}'\n`;
    project[`${app}/models.py`] = 'from django.db import models\n';
    project[`${app}/migrations/__init__.py`] = '';
  }
  return { ...project, ...files };
}
