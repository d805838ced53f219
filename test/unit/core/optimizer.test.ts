import * as assert from 'node:assert/strict';
import { DjangoVersion } from '../../../server/src/core/djangoVersion';
import { optimize, OptimizerOperation } from '../../../server/src/core/optimizer';

/** Operations written as Django's tests write them, in app `migrations`. */
const createModel = (model: string, fields: [string, string[]?][] = [], extra: Partial<OptimizerOperation> = {}): OptimizerOperation => ({
  type: 'CreateModel',
  model,
  fields: fields.map(([name, relations]) => ({ name, relations: relations ?? [] })),
  relations: [],
  ...extra,
});
const deleteModel = (model: string): OptimizerOperation => ({ type: 'DeleteModel', model });
const renameModel = (model: string, newName: string): OptimizerOperation => ({ type: 'RenameModel', model, newName });
const addField = (model: string, field: string, relations: string[] = []): OptimizerOperation => ({
  type: 'AddField',
  model,
  field,
  relations,
});
const alterField = (model: string, field: string, relations: string[] = []): OptimizerOperation => ({
  type: 'AlterField',
  model,
  field,
  relations,
});
const removeField = (model: string, field: string): OptimizerOperation => ({ type: 'RemoveField', model, field });
const renameField = (model: string, field: string, newName: string): OptimizerOperation => ({ type: 'RenameField', model, field, newName });
const option = (type: string, model: string): OptimizerOperation => ({ type, model });
const addIndex = (model: string, index: string): OptimizerOperation => ({ type: 'AddIndex', model, index });
const removeIndex = (model: string, index: string): OptimizerOperation => ({ type: 'RemoveIndex', model, index });
const addConstraint = (model: string, index: string): OptimizerOperation => ({ type: 'AddConstraint', model, index });

const V32: DjangoVersion = { major: 3, minor: 2 };
const V42: DjangoVersion = { major: 4, minor: 2 };
const V52: DjangoVersion = { major: 5, minor: 2 };
const ALL = [V32, V42, V52];

interface Case {
  readonly name: string;
  readonly operations: OptimizerOperation[];
  readonly expected: OptimizerOperation[];
  /** The releases whose optimizer gives `expected`; the others leave the operations as they are. */
  readonly versions?: readonly DjangoVersion[];
}

/** Cases of Django's tests/migrations/test_optimizer.py (assertOptimizesTo / assertDoesNotOptimize). */
const cases: Case[] = [
  { name: 'create and delete a model', operations: [createModel('Foo', [['name']]), deleteModel('Foo')], expected: [] },
  {
    name: 'create and rename a model',
    operations: [createModel('Foo', [['name']]), renameModel('Foo', 'Bar')],
    expected: [createModel('Bar', [['name']])],
  },
  {
    name: 'rename a model twice',
    operations: [renameModel('Foo', 'Baa'), renameModel('Baa', 'Bar')],
    expected: [renameModel('Foo', 'Bar')],
  },
  {
    name: 'create a model and alter its options',
    operations: [createModel('Foo'), option('AlterModelOptions', 'Foo')],
    expected: [createModel('Foo')],
  },
  {
    name: 'create a model and alter its managers (4.1)',
    operations: [createModel('Foo'), option('AlterModelManagers', 'Foo')],
    expected: [createModel('Foo')],
    versions: [V42, V52],
  },
  {
    name: 'create a model and alter its table (5.1)',
    operations: [createModel('Foo'), option('AlterModelTable', 'Foo')],
    expected: [createModel('Foo')],
    versions: [V52],
  },
  {
    name: 'create a model, then unique_together and order_with_respect_to',
    operations: [createModel('Foo', [['a']]), option('AlterUniqueTogether', 'Foo'), option('AlterOrderWithRespectTo', 'Foo')],
    expected: [createModel('Foo', [['a']])],
  },
  {
    name: 'the same option altered twice keeps the last',
    operations: [option('AlterModelTable', 'Foo'), option('AlterModelTable', 'Foo')],
    expected: [option('AlterModelTable', 'Foo')],
  },
  {
    name: 'an option then the deletion keeps the deletion',
    operations: [option('AlterUniqueTogether', 'Foo'), deleteModel('Foo')],
    expected: [deleteModel('Foo')],
  },
  {
    name: 'unique_together passes over index_together (4.1)',
    operations: [option('AlterUniqueTogether', 'Foo'), option('AlterIndexTogether', 'Foo'), option('AlterUniqueTogether', 'Foo')],
    expected: [option('AlterIndexTogether', 'Foo'), option('AlterUniqueTogether', 'Foo')],
    versions: [V42, V52],
  },
  {
    name: 'create a model and add a field',
    operations: [createModel('Foo', [['name']]), addField('Foo', 'age')],
    expected: [createModel('Foo', [['name'], ['age']])],
  },
  {
    name: 'create a model, alter a field',
    operations: [createModel('Foo', [['name'], ['bar']]), alterField('Foo', 'bar', ['migrations.bar'])],
    expected: [createModel('Foo', [['name'], ['bar', ['migrations.bar']]])],
  },
  {
    name: 'create a model, rename a field',
    operations: [createModel('Foo', [['name']]), renameField('Foo', 'name', 'title')],
    expected: [createModel('Foo', [['title']])],
  },
  {
    name: 'create a model, remove a field',
    operations: [createModel('Foo', [['name'], ['age']]), removeField('Foo', 'age')],
    expected: [createModel('Foo', [['name']])],
  },
  {
    name: 'a foreign key between two new models folds into the model created first',
    operations: [createModel('Foo'), createModel('Bar'), addField('Bar', 'foo', ['migrations.foo'])],
    expected: [createModel('Foo'), createModel('Bar', [['foo', ['migrations.foo']]])],
  },
  {
    // test_optimize_through_create: a circular foreign key stays an AddField after both models.
    name: 'circular foreign keys between new models',
    operations: [createModel('Foo'), createModel('Bar', [['foo', ['migrations.foo']]]), addField('Foo', 'bar', ['migrations.bar'])],
    expected: [createModel('Foo'), createModel('Bar', [['foo', ['migrations.foo']]]), addField('Foo', 'bar', ['migrations.bar'])],
  },
  {
    name: 'a left reduction: what is in between optimizes through the later operation',
    operations: [createModel('Foo'), addField('Bar', 'foo', ['migrations.foo']), createModel('Baz'), addField('Foo', 'name')],
    expected: [createModel('Foo', [['name']]), addField('Bar', 'foo', ['migrations.foo']), createModel('Baz')],
  },
  {
    name: 'a model created and deleted around an operation that references it is kept',
    operations: [createModel('Foo'), addField('Bar', 'foo', ['migrations.foo']), deleteModel('Foo')],
    expected: [createModel('Foo'), addField('Bar', 'foo', ['migrations.foo']), deleteModel('Foo')],
  },
  {
    name: 'add then alter a field',
    operations: [addField('Foo', 'age'), alterField('Foo', 'age', ['migrations.x'])],
    expected: [addField('Foo', 'age', ['migrations.x'])],
  },
  { name: 'add then remove a field', operations: [addField('Foo', 'age'), removeField('Foo', 'age')], expected: [] },
  {
    name: 'add then rename a field',
    operations: [addField('Foo', 'name'), renameField('Foo', 'name', 'title')],
    expected: [addField('Foo', 'title')],
  },
  {
    name: 'alter then remove a field',
    operations: [alterField('Foo', 'name'), removeField('Foo', 'name')],
    expected: [removeField('Foo', 'name')],
  },
  {
    name: 'alter then rename a field',
    operations: [alterField('Foo', 'name'), renameField('Foo', 'name', 'title')],
    expected: [renameField('Foo', 'name', 'title'), alterField('Foo', 'title')],
  },
  {
    name: 'a field altered twice keeps the last (5.0)',
    operations: [alterField('Foo', 'name'), alterField('Foo', 'name', ['migrations.bar'])],
    expected: [alterField('Foo', 'name', ['migrations.bar'])],
    versions: [V52],
  },
  {
    name: 'rename a field twice',
    operations: [renameField('Foo', 'a', 'b'), renameField('Foo', 'b', 'c')],
    expected: [renameField('Foo', 'a', 'c')],
  },
  {
    name: 'remove a field then delete its model',
    operations: [removeField('Foo', 'age'), deleteModel('Foo')],
    expected: [deleteModel('Foo')],
  },
  {
    name: 'create a model and add an index (4.2)',
    operations: [createModel('Foo', [['name']]), addIndex('Foo', 'foo_idx')],
    expected: [createModel('Foo', [['name']])],
    versions: [V42, V52],
  },
  {
    name: 'create a model and add a constraint (5.1)',
    operations: [createModel('Foo', [['name']]), addConstraint('Foo', 'foo_uniq')],
    expected: [createModel('Foo', [['name']])],
    versions: [V52],
  },
  {
    name: 'add then remove an index (5.0)',
    operations: [addIndex('Foo', 'foo_idx'), removeIndex('Foo', 'foo_idx')],
    expected: [],
    versions: [V52],
  },
  {
    name: 'an index operation of another model stops a reduction over it',
    operations: [createModel('Foo'), addIndex('Bar', 'bar_idx'), addField('Foo', 'age')],
    expected: [createModel('Foo'), addIndex('Bar', 'bar_idx'), addField('Foo', 'age')],
  },
];

describe('optimizer (Django MigrationOptimizer)', function () {
  for (const { name, operations, expected, versions = ALL } of cases) {
    for (const version of ALL) {
      const optimizes = versions.includes(version);
      it(`${name}: Django ${version.major}.${version.minor}${optimizes ? '' : ', not optimized'}`, () => {
        assert.deepEqual(optimize(operations, 'migrations', version), optimizes ? expected : operations);
      });
    }
  }
});
