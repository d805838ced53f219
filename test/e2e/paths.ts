import { join } from 'node:path';

/** Where the end-to-end tier finds the repository's pieces (compiled to out/test/e2e/). */
export const repoRoot = join(__dirname, '..', '..', '..');
export const cacheDir = process.env.DJANGO_MIGRATIONS_CACHE ?? join(repoRoot, '.cache');
export const vsixPath = join(repoRoot, 'dist', 'django-migrations.vsix');
export const sampleProject = join(repoRoot, 'sample');
export const screenshotsDir = join(repoRoot, 'test', 'e2e', 'screenshots');
/** The extension-host suites, compiled: one folder per kind of workspace. */
export const extensionSuitesDir = join(repoRoot, 'out', 'test', 'e2e', 'extension');
export const extensionId = 'django-migrations.django-migrations';
