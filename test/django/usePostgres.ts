import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DjangoProject } from './djangoProject';

/** The settings' DATABASES made to name a PostgreSQL database, as a literal the CLI reads statically. */
export function usePostgres(project: DjangoProject, url: string): void {
  const parsed = new URL(url);
  const settings = path.join(project.dir, 'config', 'settings.py');
  const text = readFileSync(settings, 'utf8');
  const start = text.indexOf('DATABASES = {');
  const end = text.indexOf('\n}\n', start) + 3;
  const databases =
    `DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n` +
    `        'NAME': ${JSON.stringify(decodeURIComponent(parsed.pathname.slice(1)))},\n` +
    `        'USER': ${JSON.stringify(decodeURIComponent(parsed.username))},\n` +
    `        'PASSWORD': ${JSON.stringify(decodeURIComponent(parsed.password))},\n` +
    `        'HOST': ${JSON.stringify(parsed.hostname)},\n        'PORT': ${JSON.stringify(parsed.port)},\n    }\n}\n`;
  writeFileSync(settings, text.slice(0, start) + databases + text.slice(end));
}
