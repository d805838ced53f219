import * as assert from 'node:assert/strict';
import { EMPTY_CONFIGURATION } from '../../../../server/src/core/lints/lintConfiguration';
import { ServerVersion } from '../../../../server/src/core/lints/lintRule';
import { codes, lintText, migrationText, SQLITE } from './lintText';

const configuration = { ...EMPTY_CONFIGURATION, select: ['sqlite-table-rebuild'] };
const reported = async (operation: string, djangoVersion: ServerVersion) =>
  codes(await lintText(migrationText(`        ${operation},`), { targets: [SQLITE], configuration, djangoVersion })).length > 0;

/** Which operations each release's SQLite schema editor rebuilds the table for (test/django compares with sqlmigrate). */
describe('sqlite-table-rebuild by Django release', () => {
  const cases: [operation: string, on32: boolean, from40: boolean][] = [
    ["migrations.AlterField('product', 'name', models.CharField(max_length=200))", true, true],
    ["migrations.AddField('product', 'price', models.IntegerField(null=True))", true, false],
    ["migrations.AddField('product', 'price', models.IntegerField(default=0))", true, true],
    ["migrations.AddField('product', 'price', models.IntegerField(null=True, default=None))", true, false],
    ["migrations.AddField('product', 'code', models.CharField(max_length=10, null=True, unique=True))", true, true],
    ["migrations.AddField('product', 'seen', models.DateTimeField(null=True, auto_now=True))", true, true],
    ["migrations.AddField('product', 'tags', models.ManyToManyField(to='shop.tag'))", false, false],
    ["migrations.AddField('product', 'price', models.IntegerField(null=flag))", true, false],
    ["migrations.AddConstraint('product', models.CheckConstraint(check=models.Q(price__gte=0), name='p'))", true, true],
    ["migrations.AddConstraint('product', models.UniqueConstraint(fields=['name'], name='u'))", true, true],
    [
      "migrations.AddConstraint('product', models.UniqueConstraint(fields=['name'], name='u', condition=models.Q(price__gt=0)))",
      false,
      false,
    ],
    [
      "migrations.AddConstraint('product', models.UniqueConstraint(fields=['name'], name='u', deferrable=models.Deferrable.DEFERRED))",
      true,
      false,
    ],
    // Without the migration state nothing says what the removed field was: from 4.0 only some columns rebuild.
    ["migrations.RemoveField('product', 'quantity')", true, false],
  ];
  for (const [operation, on32, from40] of cases) {
    it(operation, async () => {
      assert.equal(await reported(operation, [3, 2]), on32, 'Django 3.2');
      assert.equal(await reported(operation, [4, 2]), from40, 'Django 4.2');
      assert.equal(await reported(operation, [5, 2]), from40, 'Django 5.2');
    });
  }

  it('a RemoveField from 4.0 on: rebuilt for a foreign key, as the field written before it says; a plain column is dropped in place', async () => {
    const text = migrationText(
      "        migrations.AddField('product', 'category', models.ForeignKey(null=True, on_delete=models.CASCADE, to='shop.category')),\n" +
        "        migrations.AddField('product', 'note', models.TextField(null=True)),\n" +
        "        migrations.RemoveField('product', 'category'),\n" +
        "        migrations.RemoveField('product', 'note'),",
    );
    const lines = async (djangoVersion: ServerVersion) =>
      (await lintText(text, { targets: [SQLITE], configuration, djangoVersion })).map((p) => p.range.start.line);
    const category = text.split('\n').findIndex((l) => l.includes("RemoveField('product', 'category')"));
    assert.deepEqual(await lines([4, 2]), [category]);
    assert.equal((await lines([3, 2])).length, 4);
  });

  it('an AlterField that changes only what the schema does not hold (help_text; choices from 4.1), or only renames the column, is not reported', async () => {
    const text = (change: string) =>
      migrationText(
        "        migrations.AddField('product', 'note', models.CharField(max_length=10, null=True)),\n" +
          `        migrations.AlterField('product', 'note', models.CharField(max_length=10, null=True, ${change})),`,
      );
    const alterReported = async (change: string, djangoVersion: ServerVersion) =>
      (await lintText(text(change), { targets: [SQLITE], configuration, djangoVersion })).some((p) => p.message.includes('for AlterField'));
    assert.equal(await alterReported("help_text='Shown in forms'", [3, 2]), false);
    assert.equal(await alterReported("help_text='Shown in forms'", [4, 2]), false);
    assert.equal(await alterReported("choices=[('a', 'A')]", [3, 2]), true);
    assert.equal(await alterReported("choices=[('a', 'A')]", [4, 2]), false);
    assert.equal(await alterReported('unique=True', [4, 2]), true);
    // A new column name alone is RENAME COLUMN.
    assert.equal(await alterReported("db_column='memo'", [4, 2]), false);
  });
});
