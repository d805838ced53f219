import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot } from './repositoryPaths';

/**
 * The real Django every tier that runs Django compares with, chosen by one environment variable:
 * DJANGO_MIGRATIONS_TEST_DJANGO=3.2 (Debian's python3-django for /usr/bin/python3, the default),
 * 4.2 or 5.2 (the virtualenvs scripts/django-versions.sh makes in the cache folder).
 */
export type TestDjangoSeries = '3.2' | '4.2' | '5.2';

export const testDjangoSeries: TestDjangoSeries = seriesFromEnvironment(process.env.DJANGO_MIGRATIONS_TEST_DJANGO);

/** The interpreter whose `import django` is the selected version. */
export const djangoPython: string = interpreterOf(testDjangoSeries);

/** Where the selected Django's own source lives (models Django itself defines, such as AbstractUser). */
export const djangoLibrary: string = libraryOf(testDjangoSeries);

let installed: string | undefined;

/** `django.get_version()` of the selected interpreter, such as `3.2.25` or `5.2.18`. */
export function installedDjangoVersion(): string {
  installed ??= execFileSync(djangoPython, ['-c', 'import django; print(django.get_version())'], { encoding: 'utf8' }).trim();
  return installed;
}

/** True when the selected Django is at least `major.minor`. */
export function djangoAtLeast(major: number, minor: number): boolean {
  const [selectedMajor, selectedMinor] = testDjangoSeries.split('.').map(Number);
  return selectedMajor > major || (selectedMajor === major && selectedMinor >= minor);
}

/**
 * What `manage.py shell -c CODE` printed: from 5.2 the shell first says how many objects it
 * imported automatically (`6 objects imported automatically (use -v 2 for details).`).
 */
export function shellOutput(stdout: string): string {
  return stdout.replace(/^\d+ objects? imported automatically[^\n]*\n(\n)?/, '');
}

function seriesFromEnvironment(value: string | undefined): TestDjangoSeries {
  const series = value?.trim() || '3.2';
  if (series === '3.2' || series === '4.2' || series === '5.2') return series;
  throw new Error(`DJANGO_MIGRATIONS_TEST_DJANGO must be 3.2, 4.2 or 5.2, not ${JSON.stringify(value)}`);
}

function libraryOf(series: TestDjangoSeries): string {
  if (series === '3.2') return '/usr/lib/python3/dist-packages';
  const cache = process.env.DJANGO_MIGRATIONS_CACHE || path.join(repositoryRoot, '.cache');
  return path.join(cache, 'django', series, 'root', 'usr', 'lib', 'python3', 'dist-packages');
}

function interpreterOf(series: TestDjangoSeries): string {
  if (series === '3.2') return '/usr/bin/python3';
  const cache = process.env.DJANGO_MIGRATIONS_CACHE || path.join(repositoryRoot, '.cache');
  const python = path.join(cache, 'django', series, 'venv', 'bin', 'python');
  if (!existsSync(python)) throw new Error(`no Django ${series} at ${python}: run \`bash scripts/django-versions.sh\``);
  return python;
}
