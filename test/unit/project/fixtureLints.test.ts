import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintMigration } from '../../../server/src/core/lints';
import { EMPTY_CONFIGURATION } from '../../../server/src/core/lints/lintConfiguration';
import { LintTarget } from '../../../server/src/core/lints/lintRule';
import { Workspace } from '../../../server/src/workspace/workspace';
import { readLintSource } from '../../../server/src/python/lintSourceReader';
import { loadPythonParser } from '../../../server/src/python/pythonParser';
import { lintProjects } from '../../../server/src/cli/lintProjects';
import { fixturesDirectory } from '../../support/repositoryPaths';

/**
 * The fixture projects' migrations were written by makemigrations. On their own backend
 * (SQLite) no rule warns; on PostgreSQL 15 only the migrations that really are unsafe there do,
 * with exactly these rules: NOT NULL columns (makemigrations' one-off defaults) and foreign keys
 * added to existing tables, indexes and a unique column built without CONCURRENTLY. Initial migrations, nullable columns, squashes that
 * create and alter a table together, RunPython and RunSQL warn nowhere.
 */
const UNSAFE_ON_POSTGRES: Readonly<Record<string, readonly string[]>> = {
  'app_labels/store/migrations/0002_product_weight.py': ['add-field-not-null'],
  'commands_project/catalog/migrations/0003_product_sku.py': ['add-unique-constraint'],
  'commands_project/orders/migrations/0004_order_status.py': ['add-field-not-null', 'add-index-non-concurrent'],
  'commands_project/reviews/migrations/0002_review_rating_index.py': ['add-index-non-concurrent'],
  'conflict/shop/migrations/0002_product_price.py': ['add-field-not-null'],
  'conflict/shop/migrations/0002_product_sku.py': ['add-field-not-null'],
  'cross_app_foreign_keys/catalog/migrations/0002_auto_20261121_1403.py': ['add-foreign-key'],
  'cross_app_foreign_keys/catalog/migrations/0003_product_featured_order.py': ['add-foreign-key'],
  'cross_app_foreign_keys/orders/migrations/0002_order_category.py': ['add-foreign-key'],
  'cycle/authors/migrations/0002_author_favourite_book.py': ['add-foreign-key'],
  'dependency_on_unknown_app/orders/migrations/0002_order_quantity.py': ['add-field-not-null'],
  'first_latest/catalog/migrations/0003_product_sku.py': ['add-field-not-null'],
  'first_latest/orders/migrations/0002_order_category.py': ['add-foreign-key'],
  'linear/shop/migrations/0002_product_price.py': ['add-field-not-null'],
  'migration_modules/db_migrations/legacy/0002_customer_email.py': ['add-field-not-null'],
  'missing_dependency/shop/migrations/0002_price.py': ['add-field-not-null'],
  'odd_file_names/warehouse/migrations/0002_bin_capacity.py': ['add-field-not-null'],
  'odd_file_names/warehouse/migrations/0003_add-cold-storage.py': ['add-field-not-null'],
  'run_before/inventory/migrations/0002_item_stock.py': ['add-field-not-null'],
  'squashed/shop/migrations/0002_product_price.py': ['add-field-not-null'],
  'squashed/shop/migrations/0003_product_sku.py': ['add-field-not-null'],
  'squashed/reports/migrations/0002_salesreport_title.py': ['add-field-not-null'],
  'swappable_custom_user/accounts/migrations/0002_user_display_name.py': ['add-field-not-null'],
  'models_changes/shop/migrations/0002_book_subtitle.py': ['add-field-not-null'],
  'newer_django_operations/library/migrations/0003_title_lower_index.py': ['add-index-non-concurrent'],
  // Written to exercise every state change: renames, drops, constraints and indexes on live tables.
  'model_changes/catalog/migrations/0002_product_title.py': [
    'add-check-constraint',
    'add-index-non-concurrent',
    'add-unique-constraint',
    'remove-index-non-concurrent',
    'rename-field',
  ],
  'model_changes/catalog/migrations/0003_link.py': ['delete-model', 'rename-model'],
  'state_operations/library/migrations/0002_changes.py': [
    'add-check-constraint',
    'add-field-not-null',
    'add-index-non-concurrent',
    'add-unique-constraint',
    'rename-field',
    'rename-field',
    'rename-model',
  ],
  'state_operations/library/migrations/0003_rename.py': ['delete-model', 'remove-index-non-concurrent', 'rename-model', 'rename-model'],
  'state_operations/reviews/migrations/0002_renames.py': ['rename-field', 'rename-model'],
};

const fixtures = fs.readdirSync(fixturesDirectory).filter((name) => fs.existsSync(path.join(fixturesDirectory, name, 'manage.py')));

describe('lint rules on the fixture projects', () => {
  for (const fixture of fixtures) {
    it(`${fixture}: no warning on its own database, and only the known unsafe migrations on PostgreSQL 15`, async () => {
      const root = path.join(fixturesDirectory, fixture);
      const workspace = await Workspace.forCommandLine(root, { trusted: false });
      const projects = [...workspace.projects()];
      const own = await lintProjects(workspace, projects, {}).finally(() => workspace.dispose());
      assert.deepEqual(
        own.filter((p) => p.severity === 'error' || p.severity === 'warning').map((p) => `${p.file}: ${p.code}`),
        [],
      );
      const parser = await loadPythonParser();
      const postgres: LintTarget = { alias: 'default', vendor: 'postgresql', version: [15, 4], versionSource: 'server' };
      for (const project of projects) {
        for (const migration of project.analyse().loaded.diskMigrations.values()) {
          const source = readLintSource(parser, fs.readFileSync(migration.path, 'utf8'));
          const found = lintMigration(
            { migration, targets: [postgres], functions: source.functions },
            { configuration: EMPTY_CONFIGURATION, comments: source.comments },
          )
            .filter((p) => p.severity === 'error' || p.severity === 'warning')
            .map((p) => p.code)
            .sort();
          const relative = path.relative(fixturesDirectory, migration.path).split(path.sep).join('/');
          assert.deepEqual(found, UNSAFE_ON_POSTGRES[relative] ?? [], relative);
        }
      }
    });
  }
});
