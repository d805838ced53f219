import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { parseDjangoVersion } from '../../server/src/core/djangoVersion';
import { operationSemantics } from '../../server/src/core/operations';
import { FILE_START } from '../../server/src/core/sourceRange';
import { parseMigration } from '../../server/src/python/migrationParser';
import { loadPythonParser } from '../../server/src/python/pythonParser';
import { djangoAtLeast, djangoPython, testDjangoSeries } from '../support/testDjango';
import { parseJson, repositoryRoot } from './djangoProject';

/**
 * Every built-in and contrib.postgres operation of the selected Django, written as makemigrations
 * writes it: our describe() and reversible against Django's own on the same call.
 */
interface Case {
  readonly source: string;
  /** The release that added the operation, when after 3.2. */
  readonly since?: readonly [number, number];
}

const CASES: readonly Case[] = [
  { source: "migrations.CreateModel(name='Pony', fields=[('id', models.AutoField(primary_key=True))])" },
  { source: "migrations.CreateModel(name='ProxyPony', fields=[], options={'proxy': True}, bases=('app.pony',))" },
  { source: "migrations.DeleteModel(name='Pony')" },
  { source: "migrations.RenameModel(old_name='Pony', new_name='Horse')" },
  { source: "migrations.AlterModelTable(name='pony', table='app_horse')" },
  { source: "migrations.AlterModelTable(name='pony', table=None)" },
  { source: "migrations.AlterUniqueTogether(name='pony', unique_together={('a', 'b'), ('c', 'd')})" },
  { source: "migrations.AlterIndexTogether(name='pony', index_together={('a', 'b')})" },
  { source: "migrations.AlterIndexTogether(name='pony', index_together=set())" },
  { source: "migrations.AlterModelOptions(name='pony', options={'ordering': ['name']})" },
  { source: "migrations.AlterModelManagers(name='pony', managers=[])" },
  { source: "migrations.AlterOrderWithRespectTo(name='pony', order_with_respect_to='rider')" },
  { source: "migrations.AddIndex(model_name='pony', index=models.Index(fields=['name', 'weight'], name='pony_name_idx'))" },
  {
    source:
      "migrations.AddIndex(model_name='pony', index=models.Index(django.db.models.functions.text.Lower('name'), name='pony_lower_idx'))",
  },
  {
    source:
      "migrations.AddIndex(model_name='pony', index=models.Index(django.db.models.expressions.OrderBy(django.db.models.functions.text.Lower('name'), descending=True), models.F('weight'), name='pony_expr_idx'))",
  },
  {
    source:
      "migrations.AddIndex(model_name='pony', index=models.Index(django.db.models.functions.text.Upper('name'), 'weight', name='pony_upper_idx'))",
  },
  { source: "migrations.RemoveIndex(model_name='pony', name='pony_name_idx')" },
  {
    source:
      "migrations.AddConstraint(model_name='pony', constraint=models.CheckConstraint(check=models.Q(weight__gt=0), name='pony_weight_gt_0'))",
  },
  { source: "migrations.AddConstraint(model_name='pony', constraint=models.UniqueConstraint(fields=('name',), name='pony_name_uniq'))" },
  { source: "migrations.RemoveConstraint(model_name='pony', name='pony_name_uniq')" },
  { source: "migrations.AddField(model_name='pony', name='rider', field=models.ForeignKey(on_delete=models.CASCADE, to='app.rider'))" },
  { source: "migrations.RemoveField(model_name='pony', name='rider')" },
  { source: "migrations.AlterField(model_name='pony', name='weight', field=models.FloatField())" },
  { source: "migrations.RenameField(model_name='pony', old_name='weight', new_name='mass')" },
  { source: "migrations.RunSQL('SELECT 1')" },
  { source: "migrations.RunSQL('SELECT 1', reverse_sql='SELECT 2')" },
  { source: 'migrations.RunPython(print)' },
  { source: 'migrations.RunPython(print, migrations.RunPython.noop)' },
  { source: "migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name='Pony')])" },
  { source: "migrations.RenameIndex(model_name='pony', new_name='pony_new_idx', old_name='pony_old_idx')", since: [4, 1] },
  { source: "migrations.RenameIndex(model_name='pony', new_name='pony_new_idx', old_fields=('weight', 'pink'))", since: [4, 1] },
  { source: "migrations.AlterModelTableComment(name='pony', table_comment='Ponies we keep')", since: [4, 2] },
  {
    source:
      "migrations.AlterConstraint(model_name='pony', name='pony_name_uniq', constraint=models.UniqueConstraint(fields=('name',), name='pony_name_uniq', violation_error_message='taken'))",
    since: [5, 2],
  },
  { source: "django.contrib.postgres.operations.CreateExtension(name='postgis')" },
  { source: 'django.contrib.postgres.operations.BloomExtension()' },
  { source: 'django.contrib.postgres.operations.BtreeGinExtension()' },
  { source: 'django.contrib.postgres.operations.BtreeGistExtension()' },
  { source: 'django.contrib.postgres.operations.CITextExtension()' },
  { source: 'django.contrib.postgres.operations.CryptoExtension()' },
  { source: 'django.contrib.postgres.operations.HStoreExtension()' },
  { source: 'django.contrib.postgres.operations.TrigramExtension()' },
  { source: 'django.contrib.postgres.operations.UnaccentExtension()' },
  {
    source:
      "django.contrib.postgres.operations.AddIndexConcurrently(model_name='pony', index=models.Index(fields=['name'], name='pony_name_idx'))",
  },
  { source: "django.contrib.postgres.operations.RemoveIndexConcurrently(model_name='pony', name='pony_name_idx')" },
  {
    source:
      "django.contrib.postgres.operations.CreateCollation(name='case_insensitive', locale='und-u-ks-level2', provider='icu', deterministic=False)",
  },
  { source: "django.contrib.postgres.operations.RemoveCollation(name='case_insensitive', locale='und-u-ks-level2')" },
  {
    source:
      "django.contrib.postgres.operations.AddConstraintNotValid(model_name='pony', constraint=models.CheckConstraint(check=models.Q(weight__gt=0), name='pony_weight_gt_0'))",
    since: [4, 0],
  },
  { source: "django.contrib.postgres.operations.ValidateConstraint(model_name='pony', name='pony_name_uniq')", since: [4, 0] },
];

interface DjangoAnswer {
  readonly type?: string;
  readonly describe?: string;
  readonly reversible?: boolean;
  readonly error?: string;
}

describe(`operation describe() and reversible against Django ${testDjangoSeries}`, function () {
  const cases = CASES.filter((c) => !c.since || djangoAtLeast(c.since[0], c.since[1]));
  let answers: DjangoAnswer[] = [];

  before(async function () {
    this.timeout(120_000);
    const script = path.join(repositoryRoot, 'test', 'django', 'describe_operations.py');
    const result = await runWithInput(script, JSON.stringify(cases.map((c) => c.source)));
    answers = result as unknown as DjangoAnswer[];
  });

  let parsed: ReturnType<typeof parseMigration>;
  before(async () => {
    const parser = await loadPythonParser();
    const text = [
      'from django.db import migrations, models',
      'import django.contrib.postgres.operations',
      'import django.db.models.expressions',
      'import django.db.models.functions.text',
      '',
      '',
      'class Migration(migrations.Migration):',
      '    operations = [',
      ...cases.map((c) => `        ${c.source},`),
      '    ]',
      '',
    ].join('\n');
    parsed = parseMigration(parser, text);
  });

  it('reads every call', () => assert.equal(parsed.operations.length, cases.length));

  cases.forEach((c, index) => {
    it(c.source.slice(0, 110), () => {
      const answer = answers[index];
      assert.ok(answer && !answer.error, `Django could not build it: ${answer?.error}`);
      const operation = parsed.operations[index];
      assert.equal(operation.type, answer.type);
      const semantics = operationSemantics(operation.type, parseDjangoVersion(testDjangoSeries)!);
      assert.equal(semantics.describe(operation.call), answer.describe);
      assert.equal(semantics.reversible(operation.call), answer.reversible);
    });
  });

  it("an operation newer than the project's Django is described as Django describes an unknown class", () => {
    const semantics = operationSemantics('AlterConstraint', { major: 4, minor: 2 });
    assert.equal(
      semantics.describe({
        kind: 'call',
        callee: 'migrations.AlterConstraint',
        calleeRange: FILE_START,
        range: FILE_START,
        args: [],
        kwargs: [],
      }),
      'AlterConstraint: ((), {})',
    );
  });
});

async function runWithInput(script: string, input: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(djangoPython, [script], { cwd: repositoryRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(parseJson({ code, stdout, stderr }, 'describe_operations.py'));
      } catch (error) {
        reject(error);
      }
    });
    child.stdin.end(input);
  });
}
