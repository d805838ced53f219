import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { djangoPython, shellOutput } from '../support/testDjango';

const execFileAsync = promisify(execFile);

/** Debian's python3-django is installed for this interpreter, not for the `python3` on PATH. */

/** One entry of Django's DATABASES, with JSON-compatible values. */
export type DjangoDatabaseConfig = Readonly<Record<string, string | number>>;

/** Django's DATABASES entry for a `postgresql://user:password@host:port/name` URL. */
export function djangoPostgresDatabase(url: string): DjangoDatabaseConfig {
  const parsed = new URL(url);
  return {
    ENGINE: 'django.db.backends.postgresql',
    NAME: decodeURIComponent(parsed.pathname.slice(1)),
    USER: decodeURIComponent(parsed.username),
    PASSWORD: decodeURIComponent(parsed.password),
    HOST: parsed.hostname,
    PORT: parsed.port,
  };
}

/** What Django's MigrationRecorder reads back, `applied` formatted for comparison. */
export type RecordedMigration = readonly [app: string, name: string, applied: string];

/**
 * A minimal Django project (contenttypes and auth) in `directory`, migrated by the real
 * `manage.py migrate` into `database`.
 */
export async function migrateDjangoProject(directory: string, database: DjangoDatabaseConfig): Promise<void> {
  fs.mkdirSync(path.join(directory, 'site_settings'), { recursive: true });
  fs.writeFileSync(path.join(directory, 'site_settings', '__init__.py'), '');
  fs.writeFileSync(
    path.join(directory, 'site_settings', 'settings.py'),
    [
      'import json',
      "SECRET_KEY = 'only-for-tests'",
      "INSTALLED_APPS = ['django.contrib.contenttypes', 'django.contrib.auth']",
      'USE_TZ = True',
      `DATABASES = {'default': json.loads(${JSON.stringify(JSON.stringify(database))})}`,
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(directory, 'manage.py'),
    [
      'import os, sys',
      "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_settings.settings')",
      'from django.core.management import execute_from_command_line',
      'execute_from_command_line(sys.argv)',
      '',
    ].join('\n'),
  );
  await execFileAsync(djangoPython, ['manage.py', 'migrate', '--no-input', '-v', '0'], { cwd: directory });
}

/**
 * The applied migrations as Django's MigrationRecorder reads them, in the order applied.
 * `appliedFormat` is a strftime format applied to the UTC time.
 */
export async function recordedMigrations(directory: string, appliedFormat: string): Promise<RecordedMigration[]> {
  const code = [
    'import json',
    'from datetime import timezone',
    'from django.db import connection',
    'from django.db.migrations.recorder import MigrationRecorder',
    'rows = MigrationRecorder(connection).migration_qs.order_by("id")',
    `print(json.dumps([[m.app, m.name, m.applied.astimezone(timezone.utc).strftime(${JSON.stringify(appliedFormat)})] for m in rows]))`,
  ].join('\n');
  const { stdout } = await execFileAsync(djangoPython, ['manage.py', 'shell', '-c', code], { cwd: directory });
  return JSON.parse(shellOutput(stdout)) as RecordedMigration[];
}
