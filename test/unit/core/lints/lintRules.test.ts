import * as assert from 'node:assert/strict';
import { LINT_RULE_ID_SET, LINT_RULES } from '../../../../server/src/core/lints';
import { readLintConfiguration } from '../../../../server/src/core/lints/lintConfiguration';
import { LINT_RULE_IDS } from '../../../../server/src/core/lints/ruleIds';
import { MigrationStateOracle } from '../../../../server/src/core/lints/lintRule';
import { PythonCall } from '../../../../server/src/core/pythonValue';
import { applyFix } from './applyFix';
import { codes, lintText, migrationText, MYSQL_8, POSTGRES_10, SQLITE } from './lintText';

const addField = (field: string, model = 'product', name = 'price') =>
  `        migrations.AddField(\n            model_name='${model}',\n            name='${name}',\n            field=${field},\n        ),`;
const createProduct = `        migrations.CreateModel(\n            name='Product',\n            fields=[('id', models.AutoField(primary_key=True))],\n        ),`;

describe('lint rules', () => {
  it('registers every rule id once, in the order of the id list', () => {
    assert.deepEqual(
      LINT_RULES.map((rule) => rule.id),
      [...LINT_RULE_IDS],
    );
  });

  const cases: { name: string; operations: string; expected: string[]; targets?: Parameters<typeof lintText>[1] }[] = [
    {
      name: 'NOT NULL AddField with a default on an existing table',
      operations: addField('models.IntegerField(default=0)'),
      expected: ['add-field-not-null'],
    },
    { name: 'nullable AddField', operations: addField('models.IntegerField(null=True)'), expected: [] },
    {
      name: 'AddField on a table created in the same migration',
      operations: `${createProduct}\n${addField('models.IntegerField(default=0)')}`,
      expected: [],
    },
    { name: 'ManyToManyField AddField (no column)', operations: addField("models.ManyToManyField(to='shop.Tag')"), expected: [] },
    { name: 'AddField whose field is not a call', operations: addField('make_field()'.replace('make_field()', 'FIELD')), expected: [] },
    { name: 'AddField with **kwargs', operations: addField('models.IntegerField(**options)'), expected: [] },
    { name: 'AddField with a db_default', operations: addField('models.IntegerField(db_default=0)'), expected: [] },
    {
      name: 'AddField of a GeneratedField (the database computes every row)',
      operations: addField(
        "models.GeneratedField(db_persist=True, expression=Lower('name'), output_field=models.CharField(max_length=200))",
      ),
      expected: [],
    },
    {
      name: 'any default before PostgreSQL 11',
      operations: addField('models.IntegerField(default=0, null=True)'),
      expected: ['add-field-default-rewrite'],
      targets: { targets: [POSTGRES_10] },
    },
    { name: 'a constant default on PostgreSQL 15', operations: addField('models.IntegerField(default=0, null=True)'), expected: [] },
    {
      name: 'a volatile db_default on PostgreSQL 15',
      operations: addField('models.UUIDField(db_default=RandomUUID())'),
      expected: ['add-field-default-rewrite'],
    },
    { name: 'RemoveField', operations: "        migrations.RemoveField(model_name='product', name='price'),", expected: ['remove-field'] },
    { name: 'DeleteModel', operations: "        migrations.DeleteModel(name='Product'),", expected: ['delete-model'] },
    {
      name: 'RenameField',
      operations: "        migrations.RenameField(model_name='product', old_name='price', new_name='cost'),",
      expected: ['rename-field'],
    },
    { name: 'RenameModel', operations: "        migrations.RenameModel(old_name='Product', new_name='Item'),", expected: ['rename-model'] },
    {
      name: 'AddIndex on an existing table',
      operations: "        migrations.AddIndex(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),",
      expected: ['add-index-non-concurrent'],
    },
    {
      name: 'AddIndex on a table created in the same migration',
      operations: `${createProduct}\n        migrations.AddIndex(model_name='product', index=models.Index(fields=['id'], name='product_id_idx')),`,
      expected: [],
    },
    {
      name: 'AddIndex on SQLite',
      operations: "        migrations.AddIndex(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),",
      expected: [],
      targets: { targets: [SQLITE] },
    },
    {
      name: 'RemoveIndex',
      operations: "        migrations.RemoveIndex(model_name='product', name='product_name_idx'),",
      expected: ['remove-index-non-concurrent'],
    },
    {
      name: 'AddIndexConcurrently in an atomic migration',
      operations: "        AddIndexConcurrently(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),",
      expected: ['concurrent-index-in-atomic-migration'],
    },
    {
      name: 'unique constraint',
      operations:
        "        migrations.AddConstraint(model_name='product', constraint=models.UniqueConstraint(fields=['sku'], name='unique_sku')),",
      expected: ['add-unique-constraint'],
    },
    {
      name: 'AddField with db_index=True',
      operations: addField('models.IntegerField(null=True, db_index=True)'),
      expected: ['add-index-non-concurrent'],
    },
    {
      name: 'AddField with unique=True',
      operations: addField('models.IntegerField(null=True, unique=True)'),
      expected: ['add-unique-constraint'],
    },
    {
      name: 'AlterField to unique=True after a non-unique definition',
      operations: `${addField('models.IntegerField(null=True)').replace('AddField', 'AlterField')}\n${addField('models.IntegerField(null=True, unique=True)').replace('AddField', 'AlterField')}`,
      expected: ['add-unique-constraint'],
    },
    {
      name: 'AlterField with unique=True without the previous definition',
      operations: addField('models.IntegerField(null=True, unique=True)').replace('AddField', 'AlterField'),
      expected: [],
    },
    {
      name: 'check constraint',
      operations:
        "        migrations.AddConstraint(model_name='product', constraint=models.CheckConstraint(check=models.Q(price__gte=0), name='price_gte_0')),",
      expected: ['add-check-constraint'],
    },
    {
      name: 'foreign key on an existing table',
      operations: addField(
        "models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='shop.category')",
        'product',
        'category',
      ),
      expected: ['add-foreign-key'],
    },
    {
      name: 'foreign key without a database constraint',
      operations: addField(
        "models.ForeignKey(null=True, db_constraint=False, on_delete=models.CASCADE, to='shop.category')",
        'product',
        'category',
      ),
      expected: [],
    },
    {
      name: 'two schema changes on MySQL',
      operations: `${addField('models.IntegerField(null=True)')}\n${addField('models.IntegerField(null=True)', 'product', 'stock')}`,
      expected: ['mysql-multiple-schema-changes'],
      targets: { targets: [MYSQL_8] },
    },
    {
      name: 'a column name over 64 characters on MySQL',
      operations: addField('models.IntegerField(null=True)', 'product', 'p'.repeat(65)),
      expected: ['mysql-identifier-too-long'],
      targets: { targets: [MYSQL_8] },
    },
    {
      name: 'a foreign key column of 64 characters with _id on MySQL',
      operations: addField(
        "models.ForeignKey(null=True, db_constraint=False, on_delete=models.CASCADE, to='shop.category')",
        'product',
        'c'.repeat(62),
      ),
      expected: ['mysql-identifier-too-long'],
      targets: { targets: [MYSQL_8] },
    },
    {
      name: 'AlterField on SQLite',
      operations: addField('models.IntegerField(null=True)').replace('AddField', 'AlterField'),
      expected: ['sqlite-table-rebuild'],
      targets: { targets: [SQLITE] },
    },
    {
      name: 'RunSQL with DDL',
      operations: "        migrations.RunSQL('CREATE INDEX x ON shop_product (name)', migrations.RunSQL.noop),",
      expected: ['run-sql-ddl'],
    },
    {
      name: 'RunSQL with DML',
      operations: "        migrations.RunSQL('UPDATE shop_product SET price = 0', migrations.RunSQL.noop),",
      expected: [],
    },
    {
      name: 'RunSQL with DDL and state_operations',
      operations: "        migrations.RunSQL('ALTER TABLE shop_product ADD COLUMN x int', migrations.RunSQL.noop, state_operations=[]),",
      expected: [],
    },
    {
      name: 'RunPython without elidable',
      operations: '        migrations.RunPython(forwards, migrations.RunPython.noop),',
      expected: ['run-python-not-elidable'],
    },
    {
      name: 'RunPython elidable',
      operations: '        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),',
      expected: [],
    },
    {
      name: 'the database operations of SeparateDatabaseAndState',
      operations:
        "        migrations.SeparateDatabaseAndState(\n            state_operations=[migrations.RemoveField('product', 'price')],\n" +
        "            database_operations=[migrations.AddIndex('product', models.Index(fields=['name'], name='n_idx'))],\n        ),",
      expected: ['add-index-non-concurrent'],
    },
  ];
  // Every rule, the informational opt-in ones included.
  const everyRule = readLintConfiguration({ select: [...LINT_RULE_IDS] }, LINT_RULE_ID_SET).configuration;
  for (const { name, operations, expected, targets } of cases) {
    it(name, async () => {
      assert.deepEqual(codes(await lintText(migrationText(operations), { configuration: everyRule, ...targets })), expected);
    });
  }

  it('leaves the informational rules off until the configuration selects them or gives them a severity', async () => {
    const text = migrationText('        migrations.RunPython(forwards, migrations.RunPython.noop),');
    assert.deepEqual(codes(await lintText(text)), []);
    const severity = readLintConfiguration({ severity: { 'run-python-not-elidable': 'hint' } }, LINT_RULE_ID_SET).configuration;
    assert.deepEqual(
      (await lintText(text, { configuration: severity })).map((p) => [p.code, p.severity]),
      [['run-python-not-elidable', 'hint']],
    );
    assert.deepEqual(codes(await lintText(text, { configuration: everyRule })), ['run-python-not-elidable']);
  });

  it('names the backend and version in the message, and the source of the version', async () => {
    const [assumed] = await lintText(migrationText(addField('models.IntegerField(default=0, null=True)')), {
      targets: [{ alias: 'default', vendor: 'postgresql', version: [9, 6], versionSource: 'oldest-supported' }],
    });
    assert.match(assumed.message, /PostgreSQL 9\.6 \(assumed: the oldest version the project's Django supports/);
    const [index] = await lintText(migrationText("        migrations.RemoveIndex(model_name='product', name='product_name_idx'),"));
    assert.match(index.message, /PostgreSQL 15\.4\)/);
  });

  it('compares AlterField with the field earlier in the migration or in the state, and stays silent without either', async () => {
    const alter = addField('models.IntegerField(default=0)').replace('AddField', 'AlterField');
    assert.deepEqual(codes(await lintText(migrationText(alter))), []);
    const before = addField('models.IntegerField(null=True)').replace('AddField', 'AlterField');
    assert.deepEqual(codes(await lintText(migrationText(`${before}\n${alter}`))), ['alter-field-not-null']);
    const state = {
      fieldBefore: () => ({ kind: 'call', callee: 'models.CharField', calleeRange: r0, args: [], kwargs: [], range: r0 }) as const,
    };
    assert.deepEqual(codes(await lintText(migrationText(alter), { state })), ['alter-field-type']);
    const longer = addField('models.CharField(max_length=200)').replace('AddField', 'AlterField');
    const shorter = addField('models.CharField(max_length=100)').replace('AddField', 'AlterField');
    assert.deepEqual(codes(await lintText(migrationText(`${shorter}\n${longer}`))), [], 'a longer varchar is free on PostgreSQL');
    assert.deepEqual(codes(await lintText(migrationText(`${longer}\n${shorter}`))), ['alter-field-type']);
  });

  it('uses the state oracle for tables created earlier in the same deploy', async () => {
    const operations = migrationText(addField('models.IntegerField(default=0)'));
    assert.deepEqual(codes(await lintText(operations, { state: { tableExistedBefore: () => false } })), []);
    assert.deepEqual(codes(await lintText(operations, { state: { tableExistedBefore: () => undefined } })), ['add-field-not-null']);
  });

  it('passes over a RenameField of a field with its own db_column: the column keeps its name', async () => {
    const rename = "        migrations.RenameField('product', 'quantity', 'stock'),";
    const withColumn = "        migrations.AlterField('product', 'quantity', models.IntegerField(null=True, db_column='qty')),";
    assert.deepEqual(codes(await lintText(migrationText(`${withColumn}\n${rename}`))), []);
    const state = (column: string): MigrationStateOracle => ({
      fieldBefore: (_app, _model, field): PythonCall | undefined =>
        field !== 'quantity'
          ? undefined
          : {
              kind: 'call',
              callee: 'models.IntegerField',
              calleeRange: r0,
              args: [],
              kwargs: column === '' ? [] : [{ name: 'db_column', nameRange: r0, value: { kind: 'str', value: column, range: r0 } }],
              range: r0,
            },
    });
    assert.deepEqual(codes(await lintText(migrationText(rename), { state: state('qty') })), []);
    assert.deepEqual(codes(await lintText(migrationText(rename), { state: state('') })), ['rename-field']);
    assert.deepEqual(codes(await lintText(migrationText(rename))), ['rename-field']);
  });

  it('lets a table created in the same deploy be dropped, renamed or lose a column: the previous release never used it', async () => {
    const operations = migrationText(
      [
        "        migrations.RemoveField('product', 'legacy'),",
        "        migrations.RenameField('product', 'quantity', 'stock'),",
        "        migrations.RenameModel('Product', 'Item'),",
        "        migrations.AlterModelTable('item', 'shop_items'),",
        "        migrations.DeleteModel('Item'),",
      ].join('\n'),
    );
    const deploy = ['delete-model', 'remove-field', 'rename-field', 'rename-model', 'rename-model'];
    assert.deepEqual(codes(await lintText(operations)), deploy);
    assert.deepEqual(codes(await lintText(operations, { state: { tableExistedBefore: () => true } })), deploy);
    assert.deepEqual(codes(await lintText(operations, { state: { tableExistedBefore: () => false } })), []);
    const created = migrationText(
      "        migrations.CreateModel('Product', [('id', models.AutoField(primary_key=True))]),\n        migrations.DeleteModel('Product'),",
    );
    assert.deepEqual(codes(await lintText(created)), []);
  });

  it('reports RunPython functions that cannot take (apps, schema_editor)', async () => {
    const functions =
      'def one(apps):\n    pass\n\n\ndef two(apps, schema_editor):\n    pass\n\n\ndef three(a, b, c):\n    pass\n\n\ndef spread(*args):\n    pass\n\n\ndef optional(apps, schema_editor, extra=None):\n    pass\n\n\n';
    const run = (code: string) => migrationText(`        migrations.RunPython(${code}, elidable=True),`, { functions });
    assert.deepEqual(codes(await lintText(run('one'))), ['run-python-signature']);
    assert.deepEqual(codes(await lintText(run('three'))), ['run-python-signature']);
    for (const fine of ['two', 'spread', 'optional', 'imported_elsewhere']) assert.deepEqual(codes(await lintText(run(fine))), [], fine);
  });

  it('writes the concurrent rewrite as a quick fix, which the rules then accept', async () => {
    const text = migrationText(
      "        migrations.AddIndex(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),",
    );
    const [problem] = await lintText(text);
    const fixed = applyFix(text, problem, /concurrently/);
    assert.match(fixed, /^from django\.contrib\.postgres\.operations import AddIndexConcurrently$/m);
    assert.match(fixed, /^ {4}atomic = False$/m);
    assert.match(fixed, / AddIndexConcurrently\(model_name='product'/);
    assert.deepEqual(codes(await lintText(fixed)), []);
  });

  it('sets atomic = False for a concurrent index in an atomic migration, also over atomic = True', async () => {
    const operations = "        AddIndexConcurrently(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),";
    for (const attributes of ['', '    atomic = True\n']) {
      const text = migrationText(operations, { attributes });
      const [problem] = await lintText(text);
      assert.equal(problem.severity, 'error');
      assert.deepEqual(codes(await lintText(applyFix(text, problem, 'Set atomic = False on the migration'))), []);
    }
  });

  it("adds null=True, and offers db_default only where the project's Django has it", async () => {
    const text = migrationText(addField('models.IntegerField(default=0)'));
    const [problem] = await lintText(text);
    assert.deepEqual(codes(await lintText(applyFix(text, problem, /null=True/))), []);
    assert.equal(
      problem.fixes?.some((f) => f.fix === 'edits' && /db_default/.test(f.title)),
      false,
    );
    const [modern] = await lintText(text, { djangoVersion: [5, 2] });
    assert.match(applyFix(text, modern, /db_default/), /IntegerField\(db_default=0\)/);
  });

  it('wraps a drop in SeparateDatabaseAndState so this release changes only the state', async () => {
    const text = migrationText("        migrations.RemoveField(model_name='product', name='price'),");
    const [problem] = await lintText(text);
    const fixed = applyFix(text, problem, /state only/);
    assert.match(
      fixed,
      /migrations\.SeparateDatabaseAndState\(state_operations=\[migrations\.RemoveField\(model_name='product', name='price'\)\]\)/,
    );
    assert.deepEqual(codes(await lintText(fixed)), []);
  });
});

const r0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
