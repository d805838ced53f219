import * as assert from 'node:assert/strict';
import { helperInvalidation } from '../../../server/src/workspace/helperInvalidation';
import { DjangoProject } from '../../../server/src/project/djangoProject';

const project: DjangoProject = {
  root: '/site',
  managePy: '/site/manage.py',
  settingsModule: 'config.settings.dev',
  settingsFile: '/site/config/settings/dev.py',
  apps: [
    {
      label: 'shop',
      name: 'shop',
      directory: '/site/shop',
      migrationsModule: 'shop.migrations',
      migrationsDirectory: '/site/shop/migrations',
      external: false,
    },
    {
      label: 'legacy',
      name: 'legacy',
      directory: '/site/legacy',
      migrationsModule: 'db.legacy',
      migrationsDirectory: '/site/db/legacy',
      external: false,
    },
  ],
  externalApps: new Set(),
  swappableSettings: new Map(),
  problems: [],
};

describe('what a file change means for the Django helper', () => {
  const cases: Array<[string, 'reload' | 'restart' | undefined]> = [
    ['/site/shop/migrations/0002_order.py', 'reload'],
    ['/site/db/legacy/0001_initial.py', 'reload'],
    ['/site/shop/models.py', 'restart'],
    ['/site/shop/models/order.py', 'restart'],
    ['/site/config/settings/dev.py', 'restart'],
    ['/site/config/settings/base.py', 'restart'],
    ['/site/.env', 'restart'],
    ['/site/shop/apps.py', 'restart'],
    ['/site/manage.py', 'restart'],
    ['/site/shop/views.py', undefined],
    ['/site/shop/migrations/README.md', undefined],
    ['/elsewhere/shop/models.py', undefined],
  ];
  for (const [file, expected] of cases) {
    it(`${file}: ${expected ?? 'nothing'}`, () => assert.equal(helperInvalidation(file, project), expected));
  }
});
