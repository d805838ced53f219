import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { scanWorkspace } from '../../../server/src/project/workspaceScan';
import { projectFolder } from '../../support/projectFolder';

describe('scanWorkspace', function () {
  const root = projectFolder({
    'site/manage.py': '',
    'site/shop/migrations/__init__.py': '',
    'site/shop/migrations/0001_initial.py': '',
    'site/backup/manage.py': '',
    'site/backup/shop/migrations/__init__.py': '',
    'manage.py': '',
    'libs/notes/migrations/__init__.py': '',
    'libs/notes/migrations/sub/migrations/__init__.py': '',
    'libs/namespace/migrations/0001_initial.py': '',
    'node_modules/pkg/migrations/__init__.py': '',
    '.venv/lib/django/contrib/auth/migrations/__init__.py': '',
    'venv/lib/django/contrib/auth/migrations/__init__.py': '',
    '.hidden/app/migrations/__init__.py': '',
    'site/shop/__pycache__/migrations/__init__.py': '',
  });
  const at = (relative: string) => path.join(root, ...relative.split('/'));

  it('finds every manage.py, shallowest first', async function () {
    const scan = await scanWorkspace(nodeFileSystem, root);
    assert.deepEqual(scan.managePyFiles, [at('manage.py'), at('site/manage.py'), at('site/backup/manage.py')]);
  });

  it('finds regular migrations packages, not namespace folders, environments, hidden folders or packages inside migrations', async function () {
    const scan = await scanWorkspace(nodeFileSystem, root);
    assert.deepEqual(scan.migrationPackages, [at('libs/notes/migrations'), at('site/backup/shop/migrations'), at('site/shop/migrations')]);
  });

  it('finds nothing in a folder that is not there', async function () {
    assert.deepEqual(await scanWorkspace(nodeFileSystem, at('nowhere')), { managePyFiles: [], migrationPackages: [], limitReached: false });
  });
});
