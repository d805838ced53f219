import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createTestDatabase, dropTestDatabase, testPostgresUrl } from '../db/postgresCluster';
import { shellOutput } from '../support/testDjango';
import { DjangoProject, repositoryRoot, runProcess } from './djangoProject';
import { usePostgres } from './usePostgres';

const cli = path.join(repositoryRoot, 'dist', 'cli.js');

function refactor(project: DjangoProject, ...args: string[]) {
  return runProcess(process.execPath, [cli, ...args, '--dir', project.dir], repositoryRoot);
}

/** What Django itself makes of the project afterwards: its loader's graph, plan and consistency check. */
interface DjangoVerdict {
  nodes: string[];
  leaves: string[];
  replacements: string[];
  applied: string[];
  plan: string[];
  consistent: string | null;
}

const VERDICT = `
import json
from django.db import connection
from django.db.migrations.exceptions import InconsistentMigrationHistory
from django.db.migrations.executor import MigrationExecutor
executor = MigrationExecutor(connection)
loader = executor.loader
try:
    loader.check_consistent_history(connection)
    consistent = None
except InconsistentMigrationHistory as error:
    consistent = str(error)
targets = executor.loader.graph.leaf_nodes()
print(json.dumps({
    'nodes': sorted('%s.%s' % key for key in loader.graph.nodes),
    'leaves': sorted('%s.%s' % key for key in targets),
    'replacements': sorted('%s.%s' % key for key in loader.replacements),
    'applied': sorted('%s.%s' % key for key in loader.applied_migrations),
    'plan': ['%s.%s' % (m.app_label, m.name) for m, backwards in executor.migration_plan(targets)],
    'consistent': consistent,
}))
`;

async function djangoVerdict(project: DjangoProject): Promise<DjangoVerdict> {
  const result = await project.manage('shell', '-c', VERDICT);
  return JSON.parse(shellOutput(result.stdout)) as DjangoVerdict;
}

const migrationsOf = (project: DjangoProject, app: string) => path.join(project.dir, app, 'migrations');

for (const vendor of ['sqlite', 'postgresql'] as const) {
  describe(`migration refactorings from the CLI, checked by Django (${vendor})`, function () {
    this.timeout(180_000);
    const projects: DjangoProject[] = [];
    const databases: string[] = [];
    after(async () => {
      for (const project of projects) await project.remove();
      for (const url of databases) await dropTestDatabase(url);
    });

    async function fixture(name: string): Promise<DjangoProject> {
      const project = await DjangoProject.fromFixture(name);
      projects.push(project);
      if (vendor === 'postgresql') {
        const url = await createTestDatabase(await testPostgresUrl(), 'refactor');
        databases.push(url);
        usePostgres(project, url);
      }
      return project;
    }

    it('finishes a squash every database applied: Django sees an ordinary migration, nothing to run, a consistent history', async () => {
      const project = await fixture('squashed');
      await project.manage('migrate');
      const before = await djangoVerdict(project);
      const dryRun = await refactor(project, 'finish-squash', 'shop', '0001_squashed_0003_product_sku');
      assert.equal(dryRun.code, 0, dryRun.stdout + dryRun.stderr);
      assert.match(dryRun.stdout, /default: the squash is applied/);
      assert.ok(existsSync(path.join(migrationsOf(project, 'shop'), '0001_initial.py')), 'the dry run changed nothing');

      const applied = await refactor(project, 'finish-squash', 'shop', '0001_squashed_0003_product_sku', '--apply');
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);
      for (const name of ['0001_initial', '0002_product_price', '0003_product_sku'])
        assert.ok(!existsSync(path.join(migrationsOf(project, 'shop'), `${name}.py`)), name);
      const squash = readFileSync(path.join(migrationsOf(project, 'shop'), '0001_squashed_0003_product_sku.py'), 'utf8');
      assert.ok(!squash.includes('replaces'));
      assert.match(
        readFileSync(path.join(migrationsOf(project, 'reports'), '0001_initial.py'), 'utf8'),
        /\('shop', '0001_squashed_0003_product_sku'\)/,
      );

      const after = await djangoVerdict(project);
      assert.deepEqual(after.replacements, []);
      assert.deepEqual(after.nodes, before.nodes);
      assert.deepEqual(after.leaves, before.leaves);
      assert.deepEqual(after.plan, []);
      assert.equal(after.consistent, null);
      assert.match((await project.manage('migrate', '--plan')).stdout, /No planned migration operations/);
      assert.match((await project.manage('showmigrations', 'shop')).stdout, /\[X\] 0001_squashed_0003_product_sku\n/);
      assert.match((await project.manage('makemigrations', '--check', '--dry-run')).stdout, /No changes detected/);
    });

    it('refuses to finish a squash a database applied only in part, and changes nothing', async () => {
      const project = await fixture('squashed');
      await project.recordApplied([['shop', '0001_initial']]);
      const refused = await refactor(project, 'finish-squash', 'shop', '0001_squashed_0003_product_sku', '--apply');
      assert.equal(refused.code, 1, refused.stdout);
      assert.match(refused.stdout, /applied only 1 of the 3 migrations the squash replaces \(shop\.0001_initial\)/);
      assert.ok(existsSync(path.join(migrationsOf(project, 'shop'), '0001_initial.py')));
      assert.match(readFileSync(path.join(migrationsOf(project, 'shop'), '0001_squashed_0003_product_sku.py'), 'utf8'), /replaces = /);
    });

    it('refuses to finish a squash whose replaced migrations are applied but whose own row Django has not recorded yet', async () => {
      const project = await fixture('squashed');
      await project.recordApplied([
        ['shop', '0001_initial'],
        ['shop', '0002_product_price'],
        ['shop', '0003_product_sku'],
      ]);
      const refused = await refactor(project, 'finish-squash', 'shop', '0001_squashed');
      assert.equal(refused.code, 1, refused.stdout);
      assert.match(refused.stdout, /run migrate on 'default' first/);
    });

    it('renames an applied migration that others depend on: file, references and its row; Django agrees', async () => {
      const project = await fixture('linear');
      await project.manage('migrate');
      const before = await djangoVerdict(project);
      const plan = await refactor(project, 'rename', 'shop', '0002', '0002_product_cost');
      assert.equal(plan.code, 0, plan.stdout + plan.stderr);
      assert.match(plan.stdout, /shop\.0002_product_price -> shop\.0002_product_cost/);
      const done = await refactor(project, 'rename', 'shop', '0002_product_price', '0002_product_cost', '--apply');
      assert.equal(done.code, 0, done.stdout + done.stderr);
      assert.ok(existsSync(path.join(migrationsOf(project, 'shop'), '0002_product_cost.py')));
      assert.ok(!existsSync(path.join(migrationsOf(project, 'shop'), '0002_product_price.py')));
      assert.match(readFileSync(path.join(migrationsOf(project, 'shop'), '0003_order.py'), 'utf8'), /\('shop', '0002_product_cost'\)/);

      const after = await djangoVerdict(project);
      const renamed = (keys: string[]) => keys.map((key) => key.replace('shop.0002_product_price', 'shop.0002_product_cost')).sort();
      assert.deepEqual(after.nodes, renamed(before.nodes));
      assert.deepEqual(after.applied, renamed(before.applied));
      assert.deepEqual(after.plan, []);
      assert.equal(after.consistent, null);
      assert.match((await project.manage('showmigrations', 'shop')).stdout, /\[X\] 0002_product_cost/);
      assert.match((await project.manage('makemigrations', '--check', '--dry-run')).stdout, /No changes detected/);
      assert.match((await project.manage('migrate', '--plan')).stdout, /No planned migration operations/);
    });

    it('renames an unapplied migration without touching the database', async () => {
      const project = await fixture('linear');
      await project.manage('migrate', 'shop', '0001');
      const done = await refactor(project, 'rename', 'shop', '0003_order', '0003_orders', '--apply');
      assert.equal(done.code, 0, done.stdout + done.stderr);
      assert.doesNotMatch(done.stdout, /Rows of/);
      const after = await djangoVerdict(project);
      assert.deepEqual(after.plan, ['shop.0002_product_price', 'shop.0003_orders']);
      assert.equal(after.consistent, null);
    });

    it('rebases a branch of two migrations onto the other leaf: renumbered, repointed, and Django migrates it in a line', async () => {
      const project = await fixture('conflict');
      writeFileSync(
        path.join(migrationsOf(project, 'shop'), '0003_sku_checked.py'),
        'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n\n' +
          '    dependencies = [\n        ("shop", "0002_product_sku"),\n    ]\n\n' +
          "    operations = [\n        migrations.RunSQL('SELECT 1', 'SELECT 1'),\n    ]\n",
      );
      const refused = await refactor(project, 'rebase', 'shop');
      assert.equal(refused.code, 1);
      assert.match(refused.stdout, /git does not tell which .* say which to follow with --onto LEAF/);

      const done = await refactor(project, 'rebase', 'shop', '--onto', '0002_product_price', '--apply');
      assert.equal(done.code, 0, done.stdout + done.stderr);
      assert.match(done.stdout, /Rebase shop 0002_product_sku, 0003_sku_checked onto 0002_product_price/);
      const files = ['0003_product_sku.py', '0004_sku_checked.py'].map((name) => path.join(migrationsOf(project, 'shop'), name));
      assert.ok(files.every((file) => existsSync(file)));
      assert.match(readFileSync(files[0], 'utf8'), /\('shop', '0002_product_price'\)/);
      // The double quotes of the hand-written file are kept.
      assert.match(readFileSync(files[1], 'utf8'), /\("shop", "0003_product_sku"\)/);
      const after = await djangoVerdict(project);
      assert.deepEqual(after.leaves, ['shop.0004_sku_checked']);
      assert.deepEqual(after.plan, ['shop.0001_initial', 'shop.0002_product_price', 'shop.0003_product_sku', 'shop.0004_sku_checked']);
      assert.equal(after.consistent, null);
      assert.match((await project.manage('makemigrations', '--check', '--dry-run')).stdout, /No changes detected/);
      await project.manage('migrate');
      assert.deepEqual((await djangoVerdict(project)).plan, []);
    });

    it('takes the leaf already on the upstream branch as the one to follow', async () => {
      const project = await fixture('conflict');
      const git = (...args: string[]) => runProcess('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], project.dir);
      await git('init', '-q', '-b', 'main');
      const sku = path.join(migrationsOf(project, 'shop'), '0002_product_sku.py');
      const skuText = readFileSync(sku, 'utf8');
      rmSync(sku);
      await git('add', '.');
      await git('commit', '-qm', 'upstream');
      await git('branch', 'upstream-main');
      await git('branch', '-u', 'upstream-main');
      writeFileSync(sku, skuText);
      const plan = await refactor(project, 'rebase', 'shop');
      assert.equal(plan.code, 0, plan.stdout + plan.stderr);
      assert.match(plan.stdout, /Rebase shop 0002_product_sku onto 0002_product_price/);
    });

    it('refuses to rebase a branch a database applied, naming the rows, since Django cannot unapply them while the leaves conflict', async () => {
      const project = await fixture('conflict');
      await project.recordApplied([
        ['shop', '0001_initial'],
        ['shop', '0002_product_sku'],
      ]);
      const refused = await refactor(project, 'rebase', 'shop', '--onto', '0002_product_price', '--apply');
      assert.equal(refused.code, 1, refused.stdout);
      assert.match(
        refused.stdout,
        /database 'default' applied shop\.0002_product_sku: .*Django's migrate cannot unapply them while the leaves conflict; rebase the other branch, or merge/,
      );
      assert.ok(existsSync(path.join(migrationsOf(project, 'shop'), '0002_product_sku.py')));
      // What the message says of Django.
      const migrateBack = await project.python(['manage.py', 'migrate', 'shop', '0001_initial']);
      assert.notEqual(migrateBack.code, 0);
      assert.match(migrateBack.stderr, /Conflicting migrations detected/);
      // The other branch, which it has not applied, moves; Django then runs it after the applied one.
      const other = await refactor(project, 'rebase', 'shop', '--onto', '0002_product_sku', '--apply');
      assert.equal(other.code, 0, other.stdout + other.stderr);
      const after = await djangoVerdict(project);
      assert.deepEqual(after.plan, ['shop.0003_product_price']);
      assert.equal(after.consistent, null);
      assert.match((await project.manage('makemigrations', '--check', '--dry-run')).stdout, /No changes detected/);
    });

    it('refuses invalid names, clashes and names in the replaces of an applied squash, saying why', async () => {
      const project = await fixture('squashed');
      await project.manage('migrate');
      const cases: [string[], RegExp][] = [
        [['shop', '0004_order', '0005_order'], /keep the number prefix '0004_'/],
        [['shop', '0004_order', '0004_new-order'], /not a Python module name/],
        [['shop', '0004_order', '0004_order'], /the current name/],
        [['shop', '0002_product_price', '0002_cost'], /replaced by shop\.0001_squashed_0003_product_sku, which database 'default' applied/],
      ];
      for (const [args, reason] of cases) {
        const refused = await refactor(project, 'rename', ...args, '--apply');
        assert.equal(refused.code, 1, `${args.join(' ')}: ${refused.stdout}`);
        assert.match(refused.stdout, reason);
      }
      const clash = await fixture('conflict');
      const taken = await refactor(clash, 'rename', 'shop', '0002_product_price', '0002_product_sku', '--apply');
      assert.equal(taken.code, 1, taken.stdout);
      assert.match(taken.stdout, /shop\.0002_product_sku already exists/);
      assert.deepEqual((await djangoVerdict(project)).plan, []);
    });
  });
}
