import * as assert from 'node:assert/strict';
import { EMPTY_CONFIGURATION } from '../../server/src/core/lints/lintConfiguration';
import { LintTarget } from '../../server/src/core/lints/lintRule';
import { lintTargets } from '../../server/src/databases/lintTargets';
import { parseDatabaseUrl } from '../../server/src/db/databaseSettings';
import { readServerVersion } from '../../server/src/db/serverVersion';
import { migrationKey } from '../../server/src/core/migration';
import { lintStateOracle } from '../../server/src/project/lintStateOracle';
import { loadProjects } from '../../server/src/project/projectLoader';
import { testMariadbUrl } from '../db/mariadbServer';
import { shellOutput } from '../support/testDjango';
import { applyFix } from '../unit/core/lints/applyFix';
import { codes, lintText } from '../unit/core/lints/lintText';
import { shopMigration } from './lintFidelityProject';
import { MysqlProject } from './mysqlProject';

const INITIAL = shopMigration(
  '__first__',
  `        migrations.CreateModel(name='Product', fields=[('id', models.AutoField(primary_key=True)), ('name', models.CharField(max_length=100))]),
        migrations.RunSQL("INSERT INTO shop_product (name) VALUES ('lamp'), ('lamp'), ('desk')", migrations.RunSQL.noop),`,
).replace("        ('shop', '__first__'),\n", '');

/** shop.0001 for the deploy rules: two tables with rows, as in production. */
const DEPLOY_INITIAL = shopMigration(
  '__first__',
  `        migrations.CreateModel(name='Category', fields=[
            ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('title', models.CharField(max_length=100)),
        ]),
        migrations.CreateModel(name='Product', fields=[
            ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('name', models.CharField(max_length=100)),
            ('quantity', models.IntegerField(null=True)),
        ]),
        migrations.RunSQL(
            "INSERT INTO shop_category (title) VALUES ('lamps'); INSERT INTO shop_product (name, quantity) VALUES ('lamp', 1), ('desk', 2)",
            migrations.RunSQL.noop,
        ),`,
).replace("        ('shop', '__first__'),\n", '');

/** The MySQL error code a statement fails with, or undefined when it runs. */
async function failure(project: MysqlProject, statement: string): Promise<string | undefined> {
  return project.query(statement).then(
    () => undefined,
    (error: { code?: string }) => error.code ?? 'unknown',
  );
}

/**
 * The MySQL rules against the real thing: migrations applied by the real Django's MySQL backend
 * to a real MariaDB, linted at the version the server reports (read through the db layer).
 */
describe('lint rules on a real MariaDB', function () {
  this.timeout(180_000);
  let serverUrl: string;
  let target: LintTarget;
  const projects: MysqlProject[] = [];

  before(async () => {
    serverUrl = await testMariadbUrl();
    const parsed = parseDatabaseUrl(serverUrl);
    assert.ok(parsed.ok);
    [target] = await lintTargets({
      databases: [{ alias: 'default', source: 'settings', settings: parsed.settings }],
      serverVersion: (database) => readServerVersion(database.settings!),
      configuration: EMPTY_CONFIGURATION,
    });
    assert.equal(target.versionSource, 'server');
  });
  afterEach(async () => {
    await Promise.all(projects.splice(0).map((project) => project.dispose()));
  });

  async function project(): Promise<MysqlProject> {
    const created = await MysqlProject.create(serverUrl);
    projects.push(created);
    created.writeMigration('0001_initial', INITIAL);
    const initial = await created.migrate('0001_initial');
    assert.equal(initial.code, 0, initial.output);
    return created;
  }
  const lint = (text: string, name: string) => lintText(text, { targets: [target], name });

  it('mysql-multiple-schema-changes: a failure in the second change leaves the first applied and the migration unrecorded; one change per migration does not', async () => {
    const addPrice = "        migrations.AddField(model_name='product', name='price', field=models.IntegerField(null=True)),";
    // Fails on the rows: two products are named 'lamp'.
    const uniqueName =
      "        migrations.AlterField(model_name='product', name='name', field=models.CharField(max_length=100, unique=True)),";
    const both = shopMigration('0001_initial', `${addPrice}\n${uniqueName}`);
    const findings = await lint(both, '0002_change');
    assert.deepEqual(codes(findings), ['mysql-multiple-schema-changes']);
    assert.match(findings[0].message, /2 schema changes in one migration \(MariaDB \d+\.\d+\)/);

    const halfApplied = await project();
    halfApplied.writeMigration('0002_change', both);
    const failed = await halfApplied.migrate('0002_change');
    assert.notEqual(failed.code, 0);
    assert.match(failed.output, /Duplicate entry 'lamp'/);
    // The first change stayed, though Django does not record the migration...
    assert.deepEqual(await halfApplied.columns('shop_product'), ['id', 'name', 'price']);
    assert.deepEqual(await halfApplied.recorded(), ['0001_initial']);
    // ...so once the data is fixed, migrating again fails on it: it must be undone by hand.
    await halfApplied.query("UPDATE shop_product SET name = 'lamp 2' WHERE id = 2");
    const again = await halfApplied.migrate('0002_change');
    assert.notEqual(again.code, 0);
    assert.match(again.output, /Duplicate column name 'price'/);

    // The rewrite the message asks for: one schema change per migration.
    const first = shopMigration('0001_initial', addPrice);
    const second = shopMigration('0002_price', uniqueName);
    assert.deepEqual(codes([...(await lint(first, '0002_price')), ...(await lint(second, '0003_unique_name'))]), []);
    const split = await project();
    split.writeMigration('0002_price', first);
    split.writeMigration('0003_unique_name', second);
    const stopped = await split.migrate('0003_unique_name');
    assert.match(stopped.output, /Duplicate entry 'lamp'/);
    // What was applied is recorded: fixing the data is enough to go on.
    assert.deepEqual(await split.recorded(), ['0001_initial', '0002_price']);
    await split.query("UPDATE shop_product SET name = 'lamp 2' WHERE id = 2");
    const resumed = await split.migrate('0003_unique_name');
    assert.equal(resumed.code, 0, resumed.output);
    assert.deepEqual(await split.recorded(), ['0001_initial', '0002_price', '0003_unique_name']);
  });

  it("mysql-identifier-too-long: the rule's names are those Django's sqlmigrate writes verbatim, and MariaDB refuses them; the names Django makes up are shortened", async () => {
    const longModel = `Product${'x'.repeat(70)}`;
    const longField = `price_${'y'.repeat(62)}`;
    const fkField = `category_${'z'.repeat(54)}`;
    const madeUp = shopMigration(
      '0001_initial',
      `        migrations.CreateModel(name='${longModel}', fields=[('id', models.AutoField(primary_key=True)), ` +
        `('product', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='shop.product'))]),`,
    );
    const spelledOut = shopMigration(
      '0002_made_up',
      `        migrations.AddField(model_name='product', name='${longField}', field=models.IntegerField(null=True)),\n` +
        `        migrations.AddField(model_name='${longModel.toLowerCase()}', name='${fkField}', field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='shop.product')),`,
    );
    const ruleNames = async (text: string, name: string) =>
      (await lint(text, name))
        .filter((p) => p.code === 'mysql-identifier-too-long')
        .map((p) => /name '([^']+)'/.exec(p.message)![1])
        .sort();

    const mysql = await project();
    mysql.writeMigration('0002_made_up', madeUp);
    mysql.writeMigration('0003_spelled_out', spelledOut);
    // Django shortens the table and foreign key names it makes up: nothing to report, and MariaDB takes them.
    assert.deepEqual(await ruleNames(madeUp, '0002_made_up'), []);
    const madeUpSql = await mysql.manage('sqlmigrate', 'shop', '0002_made_up');
    assert.equal(madeUpSql.code, 0, madeUpSql.output);
    const identifiers = [...madeUpSql.stdout.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    assert.ok(
      identifiers.some((name) => name.startsWith('shop_product') && name.length === 64),
      `a table name shortened to 64: ${identifiers}`,
    );
    assert.ok(
      identifiers.every((name) => name.length <= 64),
      identifiers.join('\n'),
    );
    const created = await mysql.migrate('0002_made_up');
    assert.equal(created.code, 0, created.output);

    // The names a migration spells out are written as they are...
    const named = await ruleNames(spelledOut, '0003_spelled_out');
    assert.deepEqual(named, [longField, `${fkField}_id`].sort());
    const spelledSql = await mysql.manage('sqlmigrate', 'shop', '0003_spelled_out');
    assert.equal(spelledSql.code, 0, spelledSql.output);
    const longest = [...spelledSql.stdout.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((name) => name.length > 64);
    assert.deepEqual([...new Set(longest)].sort(), named);
    // ...and the server refuses them at migrate time.
    const refused = await mysql.migrate('0003_spelled_out');
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, new RegExp(`Identifier name '${longField}' is too long`));
  });

  it('alter-field-type: the changes it reports are those MariaDB cannot make in place while writes go on (ALGORITHM=INPLACE, LOCK=NONE refused)', async () => {
    const initial = shopMigration(
      '__first__',
      `        migrations.CreateModel(name='Product', fields=[
            ('id', models.AutoField(primary_key=True)),
            ('quantity', models.IntegerField(null=True)),
            ('name', models.CharField(max_length=20)),
            ('title', models.CharField(max_length=60)),
            ('code', models.CharField(max_length=100)),
            ('price', models.DecimalField(max_digits=5, decimal_places=2, null=True)),
            ('note', models.CharField(max_length=100)),
        ]),`,
    ).replace("        ('shop', '__first__'),\n", '');
    const cases: Record<string, string> = {
      int_to_bigint: "'quantity', models.BigIntegerField(null=True)",
      longer_short_varchar: "'name', models.CharField(max_length=60)",
      longer_past_255_bytes: "'title', models.CharField(max_length=100)",
      shorter_varchar: "'code', models.CharField(max_length=50)",
      more_digits: "'price', models.DecimalField(max_digits=7, decimal_places=2, null=True)",
      varchar_to_text: "'note', models.TextField()",
    };
    const mysql = await MysqlProject.create(serverUrl);
    projects.push(mysql);
    mysql.writeMigration('0001_initial', initial);
    const texts = Object.fromEntries(
      Object.entries(cases).map(([name, field]) => [
        name,
        shopMigration(
          '0001_initial',
          `        migrations.AlterField('product', ${field.replace(', ', ', field=').replace(/^/, 'name=')}),`,
        ),
      ]),
    );
    const migrated = await mysql.migrate('0001_initial');
    assert.equal(migrated.code, 0, migrated.output);
    // Sibling leaves of 0001 (migrate would refuse them; sqlmigrate reads each alone).
    for (const [name, text] of Object.entries(texts)) mysql.writeMigration(`0002_${name}`, text);
    const [loaded] = await loadProjects(mysql.root, { trusted: false });

    const script =
      'import json\nfrom django.core.management import call_command\nfrom io import StringIO\nout = {}\n' +
      `for name in ${JSON.stringify(Object.keys(cases))}:\n` +
      "    buffer = StringIO()\n    call_command('sqlmigrate', 'shop', '0002_' + name, stdout=buffer)\n    out[name] = buffer.getvalue()\n" +
      'print(json.dumps(out))\n';
    const sqlmigrate = await mysql.manage('shell', '-c', script);
    assert.equal(sqlmigrate.code, 0, sqlmigrate.output);
    const sql = JSON.parse(shellOutput(sqlmigrate.stdout)) as Record<string, string>;

    const reported: Record<string, boolean> = {};
    const refused: Record<string, boolean> = {};
    for (const [name, text] of Object.entries(texts)) {
      const state = lintStateOracle(loaded, migrationKey('shop', `0002_${name}`));
      reported[name] = codes(await lintText(text, { name: `0002_${name}`, targets: [target], state })).includes('alter-field-type');
      const statements = sql[name].split('\n').filter((line) => line.startsWith('ALTER TABLE'));
      assert.ok(statements.length > 0, sql[name]);
      refused[name] = false;
      for (const statement of statements) {
        const probe = await mysql.query(`${statement.replace(/;$/, '')}, ALGORITHM=INPLACE, LOCK=NONE`).then(
          () => undefined,
          (error: Error) => error.message,
        );
        if (probe !== undefined) {
          assert.match(probe, /ALGORITHM=INPLACE is not supported/);
          refused[name] = true;
        }
      }
    }
    assert.deepEqual(reported, refused, JSON.stringify(sql, null, 1));
    assert.deepEqual(
      Object.keys(reported).filter((name) => !reported[name]),
      ['longer_short_varchar'],
    );
  });

  const oldRelease = 'SELECT id, name, quantity FROM shop_product LIMIT 1';
  for (const { rule, operation, statement, error, fix } of [
    {
      rule: 'add-field-not-null',
      operation: "migrations.AddField(model_name='product', name='price', field=models.IntegerField(default=0))",
      statement: "INSERT INTO shop_product (name, quantity) VALUES ('from the previous release', 1)",
      error: 'ER_NO_DEFAULT_FOR_FIELD',
      fix: /null=True/,
    },
    {
      rule: 'remove-field',
      operation: "migrations.RemoveField(model_name='product', name='quantity')",
      statement: oldRelease,
      error: 'ER_BAD_FIELD_ERROR',
    },
    {
      rule: 'delete-model',
      operation: "migrations.DeleteModel(name='Category')",
      statement: 'SELECT id, title FROM shop_category',
      error: 'ER_NO_SUCH_TABLE',
    },
    {
      rule: 'rename-field',
      operation: "migrations.RenameField(model_name='product', old_name='quantity', new_name='stock')",
      statement: oldRelease,
      error: 'ER_BAD_FIELD_ERROR',
    },
    {
      rule: 'rename-model',
      operation: "migrations.RenameModel(old_name='Category', new_name='Group')",
      statement: 'SELECT id, title FROM shop_category',
      error: 'ER_NO_SUCH_TABLE',
    },
  ]) {
    it(`${rule} on MariaDB: the previous release's statement fails after it; its quick fix keeps it working`, async () => {
      const text = shopMigration('0001_initial', `        ${operation},`);
      const deployed = await MysqlProject.create(serverUrl);
      projects.push(deployed);
      deployed.writeMigration('0001_initial', DEPLOY_INITIAL);
      deployed.writeMigration('0002_change', text);
      // The migration state before it, as the project on disk has it: the fixes copy field and table names from it.
      const [loaded] = await loadProjects(deployed.root, { trusted: false });
      const state = lintStateOracle(loaded, migrationKey('shop', '0002_change'));
      const problems = await lintText(text, { targets: [target], name: '0002_change', state });
      assert.deepEqual(codes(problems), [rule]);
      assert.match(problems[0].message, /MariaDB \d+\.\d+/);
      const migrated = await deployed.migrate('0002_change');
      assert.equal(migrated.code, 0, migrated.output);
      assert.equal(await failure(deployed, statement), error);

      const rewrite = applyFix(text, problems[0], fix ?? /state only/);
      assert.deepEqual(codes(await lintText(rewrite, { targets: [target], name: '0002_change', state })), []);
      const safe = await MysqlProject.create(serverUrl);
      projects.push(safe);
      safe.writeMigration('0001_initial', DEPLOY_INITIAL);
      safe.writeMigration('0002_change', rewrite);
      const applied = await safe.migrate('0002_change');
      assert.equal(applied.code, 0, applied.output);
      assert.equal(await failure(safe, statement), undefined);
    });
  }
});
