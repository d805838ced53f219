import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { makemigrationsCommand, mergeCommand, migrateCommand, squashmigrationsCommand } from '../../client/src/commands/managePyCommand';
import { reviewUnapply } from '../../client/src/commands/unapplyPlan';
import { withReverseLosses } from '../../server/src/features/plannedOperations';
import { DjangoHelperProcess } from '../../server/src/django/djangoHelperProcess';
import { commandTargets } from '../../server/src/features/commandTargets';
import { dataMigrationScaffold } from '../../server/src/features/dataMigrationScaffold';
import { loadProjects } from '../../server/src/project/projectLoader';
import { Workspace } from '../../server/src/workspace/workspace';
import { CommandMigration } from '../../protocol/index';
import { parseMigration } from '../../server/src/python/migrationParser';
import { loadPythonParser } from '../../server/src/python/pythonParser';
import { ProjectCopy, ProjectPair, Vendor } from './projectPair';

/** A second leaf in catalog, beside 0003_product_sku: the conflict `makemigrations --merge` resolves. */
const CONFLICTING_MIGRATION = `from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_seed_categories'),
    ]

    operations = [
        migrations.AddField(
            model_name='category',
            name='slug',
            field=models.SlugField(null=True),
        ),
    ]
`;

/** A migration of `project` as the commands see it (index plus applied state from its database). */
async function target(project: ProjectCopy, app: string, name: string): Promise<CommandMigration> {
  const workspace = await Workspace.forCommandLine(project.root, { trusted: false, databaseUrl: project.databaseUrl });
  const projects = [...workspace.projects()];
  for (const indexed of projects) await workspace.readApplied(indexed);
  await workspace.dispose();
  const found = commandTargets(projects)
    .projects[0]?.apps.find((candidate) => candidate.label === app)
    ?.migrations.find((migration) => migration.name === name);
  assert.ok(found, `${app}.${name} is not a command target`);
  return found;
}

function newFiles(directory: string, before: readonly string[]): string[] {
  return readdirSync(directory).filter((name) => name.endsWith('.py') && !before.includes(name));
}

for (const vendor of ['sqlite', 'postgresql'] as Vendor[]) {
  describe(`commands change the database and files as manage.py does (${vendor})`, function () {
    this.timeout(120_000);
    let pair: ProjectPair;
    let ours: ProjectCopy;
    let reference: ProjectCopy;
    let helper: DjangoHelperProcess;

    before(async function () {
      this.timeout(300_000);
      pair = await ProjectPair.create(vendor);
      ({ ours, reference } = pair);
      helper = new DjangoHelperProcess({ trusted: true, environment: ours.environment, idleTimeoutMs: 0 });
    });

    after(async () => {
      await helper?.dispose();
      await pair?.dispose();
    });

    it('migrate (all apps)', async () => {
      await ours.run(migrateCommand({ interactive: false }));
      await reference.manage('migrate', '--noinput');
      await pair.assertSameDatabase();
      const migration = await target(ours, 'orders', '0004_order_status');
      assert.equal(migration.applied, true);
    });

    it('unapply: migrate back to the parent, after a review naming what is lost', async () => {
      assert.equal((await target(ours, 'catalog', '0003_product_sku')).applied, true);
      await helper.reload();
      const planned = await helper.plan({ unapply: ['catalog', '0003_product_sku'] });
      const [app, parent] = ['catalog', planned.target];
      assert.equal(parent, '0002_seed_categories');
      const review = reviewUnapply(withReverseLosses(planned));
      assert.deepEqual(review.unapplied, ['catalog.0003_product_sku']);
      assert.equal(review.blocked, false);
      assert.deepEqual(review.dataLoss, [
        'catalog.0003_product_sku: Add field sku to product (undoing it drops the column and its values)',
      ]);

      await ours.run(migrateCommand({ app, target: parent, interactive: false }));
      await reference.manage('migrate', 'catalog', '0002_seed_categories', '--noinput');
      await pair.assertSameDatabase();
      assert.equal((await target(ours, 'catalog', '0003_product_sku')).applied, false);
    });

    it('migrate to a chosen migration with --fake records it without running it', async () => {
      await ours.run(migrateCommand({ app: 'catalog', target: '0003_product_sku', fake: true, interactive: false }));
      await reference.manage('migrate', 'catalog', '0003_product_sku', '--fake', '--noinput');
      await pair.assertSameDatabase();
      assert.equal((await target(ours, 'catalog', '0003_product_sku')).applied, true);
    });

    it('migrate to zero with --fake, then --fake-initial, then --fake to the latest', async () => {
      await ours.run(migrateCommand({ app: 'reviews', target: 'zero', fake: true, interactive: false }));
      await reference.manage('migrate', 'reviews', 'zero', '--fake', '--noinput');
      await pair.assertSameDatabase();
      await ours.run(migrateCommand({ app: 'reviews', target: '0001_initial', fakeInitial: true, interactive: false }));
      await reference.manage('migrate', 'reviews', '0001_initial', '--fake-initial', '--noinput');
      await pair.assertSameDatabase();
      await ours.run(migrateCommand({ app: 'reviews', fake: true, interactive: false }));
      await reference.manage('migrate', 'reviews', '--fake', '--noinput');
      await pair.assertSameDatabase();
    });

    it('makemigrations with --name after a model change, then migrate', async () => {
      for (const copy of [ours, reference]) {
        const models = copy.file('orders/models.py');
        writeFileSync(
          models,
          readFileSync(models, 'utf8').replace(
            "    status = models.CharField(max_length=20, default='new', db_index=True)\n",
            "    status = models.CharField(max_length=20, default='new', db_index=True)\n    note = models.TextField(blank=True, default='')\n",
          ),
        );
      }
      await ours.run(makemigrationsCommand({ apps: ['orders'], name: 'order_note', interactive: false }));
      await reference.manage('makemigrations', 'orders', '--name', 'order_note', '--noinput');
      pair.assertSameFiles();
      assert.ok(ours.files()['orders/migrations/0005_order_note.py']?.includes("name='note'"));
      await ours.run(migrateCommand({ interactive: false }));
      await reference.manage('migrate', '--noinput');
      await pair.assertSameDatabase();
    });

    it('makemigrations --empty becomes a data migration that migrates both ways', async () => {
      const directory = 'catalog/migrations';
      const before = readdirSync(ours.file(directory));
      await ours.run(makemigrationsCommand({ apps: ['catalog'], empty: true, name: 'fill_skus', interactive: false }));
      await reference.manage('makemigrations', 'catalog', '--empty', '--name', 'fill_skus', '--noinput');
      pair.assertSameFiles();
      assert.deepEqual(newFiles(ours.file(directory), before), ['0004_fill_skus.py']);

      const parser = await loadPythonParser();
      for (const copy of [ours, reference]) {
        const file = copy.file(`${directory}/0004_fill_skus.py`);
        const text = readFileSync(file, 'utf8');
        const scaffold = dataMigrationScaffold(text, parseMigration(parser, text), { app: 'catalog', models: ['Category', 'Product'] });
        assert.ok(scaffold.ok);
        writeFileSync(file, scaffold.text);
      }
      const written = ours.files()[`${directory}/0004_fill_skus.py`];
      assert.match(written, /Category = apps\.get_model\('catalog', 'Category'\)/);
      assert.match(written, /migrations\.RunPython\(forwards, backwards\)/);

      await ours.run(migrateCommand({ interactive: false }));
      await reference.manage('migrate', '--noinput');
      await pair.assertSameDatabase();
      assert.equal((await target(ours, 'catalog', '0004_fill_skus')).applied, true);

      // It has a reverse: unapplying it goes through without IrreversibleError.
      await helper.reload();
      const planned = await helper.plan({ unapply: ['catalog', '0004_fill_skus'] });
      assert.equal(planned.target, '0003_product_sku');
      const review = reviewUnapply(withReverseLosses(planned));
      assert.deepEqual([review.unapplied, review.irreversible], [['catalog.0004_fill_skus'], []]);
      await ours.run(migrateCommand({ app: 'catalog', target: planned.target, interactive: false }));
      await reference.manage('migrate', 'catalog', '0003_product_sku', '--noinput');
      await pair.assertSameDatabase();
      assert.equal((await target(ours, 'catalog', '0004_fill_skus')).applied, false);
    });

    it('merge: makemigrations --merge joins two leaves, then migrate', async () => {
      for (const copy of [ours, reference]) writeFileSync(copy.file('catalog/migrations/0003_category_slug.py'), CONFLICTING_MIGRATION);
      const projects = await loadProjects(ours.root, { trusted: false });
      assert.deepEqual(commandTargets(projects).projects[0].apps.find((app) => app.label === 'catalog')?.leafNodes, [
        '0003_category_slug',
        '0004_fill_skus',
      ]);

      await ours.run(mergeCommand({ apps: ['catalog'], interactive: false }));
      await reference.manage('makemigrations', '--merge', 'catalog', '--noinput');
      pair.assertSameFiles();
      assert.ok(ours.files()['catalog/migrations/0005_merge_0003_category_slug_0004_fill_skus.py']);
      await ours.run(migrateCommand({ interactive: false }));
      await reference.manage('migrate', '--noinput');
      await pair.assertSameDatabase();
    });

    it('squashmigrations with a start, --squashed-name and --no-optimize, then migrate', async () => {
      await ours.run(
        squashmigrationsCommand({
          app: 'reviews',
          start: '0001_initial',
          end: '0003_default_review_text',
          squashedName: 'reviews_squashed',
          noOptimize: true,
          interactive: false,
        }),
      );
      await reference.manage(
        'squashmigrations',
        'reviews',
        '0001_initial',
        '0003_default_review_text',
        '--squashed-name',
        'reviews_squashed',
        '--no-optimize',
        '--noinput',
      );
      pair.assertSameFiles();
      const squashed = ours.files()['reviews/migrations/0001_reviews_squashed.py'];
      assert.match(
        squashed,
        /replaces = \[\('reviews', '0001_initial'\), \('reviews', '0002_review_rating_index'\), \('reviews', '0003_default_review_text'\)\]/,
      );
      await ours.run(migrateCommand({ interactive: false }));
      await reference.manage('migrate', '--noinput');
      await pair.assertSameDatabase();
      assert.deepEqual((await target(ours, 'reviews', '0001_reviews_squashed')).replaces, [
        '0001_initial',
        '0002_review_rating_index',
        '0003_default_review_text',
      ]);
    });
  });
}

describe('data migration scaffold on a file Django wrote', () => {
  it('keeps header and dependencies, adds a reversible RunPython, and avoids taken names', async () => {
    const parser = await loadPythonParser();
    const empty = [
      '# Generated by Django 3.2.25 on 2026-01-01 10:00',
      '',
      'from django.db import migrations',
      '',
      '',
      'def forwards():',
      '    pass',
      '',
      '',
      'class Migration(migrations.Migration):',
      '',
      '    dependencies = [',
      "        ('shop', '0003_order'),",
      '    ]',
      '',
      '    operations = [',
      '    ]',
      '',
    ].join('\r\n');
    const scaffold = dataMigrationScaffold(empty, parseMigration(parser, empty), { app: 'shop', models: [] });
    assert.ok(scaffold.ok);
    const lines = scaffold.text.split('\r\n');
    assert.equal(lines[0], '# Generated by Django 3.2.25 on 2026-01-01 10:00');
    assert.ok(lines.includes('def forwards_2(apps, schema_editor):'));
    assert.ok(lines.includes('def backwards(apps, schema_editor):'));
    assert.ok(lines.includes("    # Model = apps.get_model('shop', 'Model')"));
    assert.ok(lines.includes("        ('shop', '0003_order'),"));
    assert.deepEqual(lines.slice(-4), ['    operations = [', '        migrations.RunPython(forwards_2, backwards),', '    ]', '']);
    const reparsed = parseMigration(parser, scaffold.text);
    assert.deepEqual(
      reparsed.operations.map((operation) => operation.type),
      ['RunPython'],
    );
    assert.deepEqual(reparsed.syntaxErrors, []);
  });

  it('refuses a migration that already has operations', async () => {
    const parser = await loadPythonParser();
    const text = readFileSync(
      path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'commands_project', 'catalog', 'migrations', '0003_product_sku.py'),
      'utf8',
    );
    const scaffold = dataMigrationScaffold(text, parseMigration(parser, text), { app: 'catalog', models: ['Product'] });
    assert.equal(scaffold.ok, false);
  });
});
