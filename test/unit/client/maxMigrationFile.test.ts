import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CommandApp, CommandProject } from '../../../protocol/index';
import { maxMigrationFilesOf, updateMaxMigrationFiles } from '../../../client/src/commands/maxMigrationFile';

describe('client: max_migration.txt after makemigrations from the editor', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'max-migration-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const folder = (app: string, guard?: string): string => {
    const migrations = path.join(root, app, 'migrations');
    mkdirSync(migrations, { recursive: true });
    if (guard !== undefined) writeFileSync(path.join(migrations, 'max_migration.txt'), guard);
    return migrations;
  };

  it("names the migration written in each folder that has the guard, and leaves other folders' alone", () => {
    const shop = folder('shop', '0002_product_price\n');
    const orders = folder('orders');
    const written = updateMaxMigrationFiles([path.join(shop, '0003_product_sku.py'), path.join(orders, '0002_order_total.py')]);
    assert.deepEqual(written, [path.join(shop, 'max_migration.txt')]);
    assert.equal(readFileSync(path.join(shop, 'max_migration.txt'), 'utf8'), '0003_product_sku\n');
    assert.ok(!existsSync(path.join(orders, 'max_migration.txt')), 'no guard is created where the app has none');
  });

  it('takes the later of two files written in one folder (a merge after a migration)', () => {
    const shop = folder('shop', '0002_a\n');
    updateMaxMigrationFiles([path.join(shop, '0004_merge_20260101_1200.py'), path.join(shop, '0003_b.py')]);
    assert.equal(readFileSync(path.join(shop, 'max_migration.txt'), 'utf8'), '0004_merge_20260101_1200\n');
  });

  it('writes nothing when nothing was written', () => {
    const shop = folder('shop', '0002_a\n');
    assert.deepEqual(updateMaxMigrationFiles([]), []);
    assert.equal(readFileSync(path.join(shop, 'max_migration.txt'), 'utf8'), '0002_a\n');
  });

  it('with the setting on, creates the guard in each folder written to, naming the latest migration there', () => {
    const shop = folder('shop', '0002_a\n');
    const orders = folder('orders');
    const written = updateMaxMigrationFiles([path.join(shop, '0003_b.py'), path.join(orders, '0002_order_total.py')], true);
    assert.deepEqual(written, [path.join(shop, 'max_migration.txt'), path.join(orders, 'max_migration.txt')]);
    assert.equal(readFileSync(path.join(shop, 'max_migration.txt'), 'utf8'), '0003_b\n');
    assert.equal(readFileSync(path.join(orders, 'max_migration.txt'), 'utf8'), '0002_order_total\n');
  });
});

describe('client: the max_migration.txt files "Create max_migration.txt Files" writes', () => {
  const app = (label: string, migrationsDirectory: string | undefined, leafNodes: string[], external = false): CommandApp => ({
    label,
    external,
    migrationsDirectory,
    models: [],
    leafNodes,
    migrations: [],
  });
  const workspace = path.join(tmpdir(), 'workspace');
  const project = (apps: CommandApp[]): CommandProject => ({ root: workspace, apps });

  it("names each workspace app's one latest migration, in its migrations folder", () => {
    const shop = path.join(workspace, 'shop', 'migrations');
    const orders = path.join(workspace, 'orders', 'migrations');
    assert.deepEqual(
      maxMigrationFilesOf(project([app('shop', shop, ['0003_order']), app('orders', orders, ['0001_initial'])]), [workspace]),
      [
        { file: path.join(shop, 'max_migration.txt'), text: '0003_order\n' },
        { file: path.join(orders, 'max_migration.txt'), text: '0001_initial\n' },
      ],
    );
  });

  it('writes none for installed packages, apps outside the workspace folders, or apps without one latest migration', () => {
    const apps = [
      app('auth', '/usr/lib/python3/dist-packages/django/contrib/auth/migrations', ['0012_alter_user_first_name_max_length'], true),
      // A virtual environment inside the workspace: an installed package, even if not flagged.
      app('vendored', path.join(workspace, '.venv', 'lib', 'python3.11', 'site-packages', 'vendored', 'migrations'), ['0001_initial']),
      app('elsewhere', path.join(tmpdir(), 'elsewhere', 'migrations'), ['0001_initial']),
      app('conflicted', path.join(workspace, 'conflicted', 'migrations'), ['0002_a', '0002_b']),
      app('empty', path.join(workspace, 'empty', 'migrations'), []),
      app('nomigrations', undefined, []),
    ];
    assert.deepEqual(maxMigrationFilesOf(project(apps), [workspace]), []);
  });
});
