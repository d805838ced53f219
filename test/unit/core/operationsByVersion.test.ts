import * as assert from 'node:assert/strict';
import { djangoAtLeast, NEWEST_LTS, parseDjangoVersion } from '../../../server/src/core/djangoVersion';
import { operationSemantics } from '../../../server/src/core/operations/index';
import { parseMigration } from '../../../server/src/python/migrationParser';
import { loadPythonParser } from '../../../server/src/python/pythonParser';

const V32 = { major: 3, minor: 2 };
const V42 = { major: 4, minor: 2 };
const V52 = { major: 5, minor: 2 };

async function operations(...calls: string[]) {
  const parser = await loadPythonParser();
  const text = [
    'from django.db import migrations',
    '',
    'class Migration(migrations.Migration):',
    '    operations = [',
    ...calls.map((c) => `        ${c},`),
    '    ]',
    '',
  ].join('\n');
  return parseMigration(parser, text).operations;
}

describe('operations by Django version', () => {
  it('reads versions as django.VERSION[:2] and compares them', () => {
    assert.deepEqual(parseDjangoVersion('4.2.28'), V42);
    assert.deepEqual(parseDjangoVersion('5.2a1'), V52);
    assert.equal(parseDjangoVersion('latest'), undefined);
    assert.equal(djangoAtLeast(V42, 4, 0), true);
    assert.equal(djangoAtLeast(V32, 4, 0), false);
    assert.deepEqual(NEWEST_LTS, V52);
  });

  it('describes a newer operation as Django describes it, and as an unknown class before', async () => {
    const [rename] = await operations("migrations.RenameIndex(model_name='pony', new_name='new_idx', old_fields=['weight', 'pink'])");
    assert.equal(
      operationSemantics('RenameIndex', V42).describe(rename.call),
      "Rename unnamed index for ['weight', 'pink'] on pony to new_idx",
    );
    assert.equal(
      operationSemantics('RenameIndex', V32).describe(rename.call),
      "RenameIndex: ((), {'model_name': 'pony', 'new_name': 'new_idx', 'old_fields': ['weight', 'pink']})",
    );
  });

  it('gives the models newer and contrib.postgres operations name', async () => {
    const calls = await operations(
      "migrations.RenameIndex(model_name='pony', new_name='new_idx', old_name='old_idx')",
      "migrations.AlterModelTableComment(name='pony', table_comment='Ponies')",
      "migrations.AlterConstraint(model_name='pony', name='uniq', constraint=None)",
      "AddIndexConcurrently(model_name='pony', index=None)",
      "ValidateConstraint(model_name='pony', name='uniq')",
      "CreateExtension('hstore')",
    );
    const models = calls.map((operation) =>
      operationSemantics(operation.type, V52)
        .references(operation.call)
        .map((reference) => reference.model),
    );
    assert.deepEqual(models, [['pony'], ['pony'], ['pony'], ['pony'], ['pony'], []]);
    assert.ok(calls.every((operation) => operationSemantics(operation.type, V52).reversible(operation.call)));
  });
});
