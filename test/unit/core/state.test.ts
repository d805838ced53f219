import * as assert from 'node:assert/strict';
import { stateJson } from '../../../server/src/core/stateJson';
import { buildGraph } from '../../../server/src/core/loader';
import { makeState } from '../../../server/src/core/makeState';
import { Migration } from '../../../server/src/core/migration';
import { MigrationStates } from '../../../server/src/core/migrationStates';
import { ProjectState } from '../../../server/src/core/state';
import { parseMigration } from '../../../server/src/python/migrationParser';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { pythonParser } from '../python/pythonTestParser';

/**
 * state_forwards that the Django 3.2 fidelity tier cannot show (operations of later Django
 * versions, contrib.postgres) and what a static reading must never do: invent a field where
 * an operation cannot be read, or stop on a model that is not there.
 */
let parser: PythonParser;

const initial = `
from django.db import migrations, models

class Migration(migrations.Migration):
    operations = [
        migrations.CreateModel(
            name='Book',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('isbn', models.CharField(max_length=13)),
            ],
            options={'index_together': {('title', 'isbn')}, 'indexes': [models.Index(fields=['isbn'], name='isbn_idx')]},
        ),
    ]
`;

/** `shop.0001_initial` (above) then `shop.0002_next` with these operations. */
function migrations(operations: string, imports = ''): Migration[] {
  const next = `
from django.db import migrations, models
${imports}

class Migration(migrations.Migration):
    dependencies = [('shop', '0001_initial')]
    operations = [
${operations}
    ]
`;
  return [
    { appLabel: 'shop', name: '0001_initial', path: '/p/shop/migrations/0001_initial.py', parsed: parseMigration(parser, initial) },
    { appLabel: 'shop', name: '0002_next', path: '/p/shop/migrations/0002_next.py', parsed: parseMigration(parser, next) },
  ];
}

function graphOf(list: Migration[]) {
  return buildGraph({
    migrations: list,
    migratedApps: new Set(list.map((m) => m.appLabel)),
    unmigratedApps: new Set(),
    externalApps: new Set(),
    applied: new Map(),
    swappableSettings: new Map([['AUTH_USER_MODEL', 'auth.User']]),
  });
}

function leafState(operations: string, imports = ''): ProjectState {
  const loaded = graphOf(migrations(operations, imports));
  return makeState(loaded.graph, undefined, true, new Map());
}

function book(state: ProjectState) {
  const model = state.getModel('shop', 'book');
  assert.ok(model, 'shop.book is in the state');
  return stateJson(state, new Map()).models['shop.book'];
}

describe('state_forwards', () => {
  before(async () => {
    parser = await pythonParser();
  });

  it('RenameIndex renames a named index in place (Django 4.1+)', () => {
    const state = leafState("migrations.RenameIndex(model_name='book', new_name='book_isbn', old_name='isbn_idx'),");
    assert.deepEqual(book(state).options.indexes, [
      { call: 'django.db.models.Index', args: [], kwargs: { fields: ['isbn'], name: 'book_isbn' } },
    ]);
  });

  it('RenameIndex of index_together fields adds a named index and drops the entry', () => {
    const state = leafState("migrations.RenameIndex(model_name='book', new_name='title_isbn', old_fields=('title', 'isbn')),");
    const json = book(state);
    assert.deepEqual(json.options.index_together, []);
    assert.deepEqual(json.options.indexes, [
      { call: 'django.db.models.Index', args: [], kwargs: { fields: ['isbn'], name: 'isbn_idx' } },
      { call: 'django.db.models.Index', args: [], kwargs: { fields: ['title', 'isbn'], name: 'title_isbn' } },
    ]);
  });

  it('AlterModelTableComment and AlterConstraint (Django 4.2, 5.2)', () => {
    const state = leafState(`
        migrations.AlterModelTableComment(name='book', table_comment='Books on sale'),
        migrations.AddConstraint(model_name='book', constraint=models.UniqueConstraint(fields=['isbn'], name='uniq')),
        migrations.AlterConstraint(model_name='book', name='uniq', constraint=models.UniqueConstraint(fields=['isbn'], name='uniq', deferrable=models.Deferrable.DEFERRED)),
    `);
    const json = book(state);
    assert.equal(json.options.db_table_comment, 'Books on sale');
    assert.deepEqual(json.options.constraints, [
      {
        call: 'django.db.models.UniqueConstraint',
        args: [],
        kwargs: { fields: ['isbn'], name: 'uniq', deferrable: { name: 'django.db.models.Deferrable.DEFERRED' } },
      },
    ]);
  });

  it('contrib.postgres operations: extensions change nothing, concurrent and NOT VALID ones act as their parents', () => {
    const state = leafState(
      `
        HStoreExtension(),
        AddIndexConcurrently('book', models.Index(fields=['title'], name='title_idx')),
        RemoveIndexConcurrently('book', 'isbn_idx'),
        AddConstraintNotValid('book', models.CheckConstraint(check=models.Q(id__gt=0), name='positive')),
    `,
      'from django.contrib.postgres.operations import AddConstraintNotValid, AddIndexConcurrently, HStoreExtension, RemoveIndexConcurrently',
    );
    const json = book(state);
    assert.deepEqual(
      (json.options.indexes as unknown as { kwargs: { name: string } }[]).map((index) => index.kwargs.name),
      ['title_idx'],
    );
    assert.equal((json.options.constraints as unknown as unknown[]).length, 1);
    assert.deepEqual(state.problems, []);
    assert.equal(state.isModelKnown('shop', 'Book'), true);
  });

  it('model names are looked up case-insensitively, as Django lowercases them', () => {
    const state = leafState("migrations.AddField(model_name='BOOK', name='pages', field=models.IntegerField(default=0)),");
    assert.ok(state.getModel('shop', 'Book')!.fields.has('pages'));
    assert.equal(state.getModel('SHOP'.toLowerCase(), 'bOoK')!.name, 'Book');
  });

  it('a custom operation makes the model it names unknown, and invents nothing', () => {
    const state = leafState("AddAuditField(model_name='book', name='audit'),", 'from audit.operations import AddAuditField');
    const model = state.getModel('shop', 'book')!;
    assert.equal(state.isModelKnown('shop', 'book'), false);
    assert.match(model.unknown[0], /custom operation AddAuditField/);
    assert.deepEqual([...model.fields.keys()], ['id', 'title', 'isbn']);
  });

  it('a custom operation that names no model makes every model of the app unknown', () => {
    const state = leafState('SyncEverything(),', 'from tools import SyncEverything');
    assert.equal(state.isModelKnown('shop', 'book'), false);
    assert.deepEqual(stateJson(state, new Map()).models['shop.book'].unknown, ['app shop has operations that cannot be read']);
  });

  it('a field that is not a field call is kept by name as unknown', () => {
    const state = leafState("migrations.AddField(model_name='book', name='price', field=PRICE_FIELD),");
    const price = state.getModel('shop', 'book')!.fields.get('price')!;
    assert.equal(price.path, '');
    assert.match(price.unknown!, /not a field call/);
  });

  it('a field with an argument only Python can evaluate is unknown, with its call kept', () => {
    const state = leafState("migrations.AddField(model_name='book', name='price', field=models.IntegerField(default=lambda: 1 + 1)),");
    const price = state.getModel('shop', 'book')!.fields.get('price')!;
    assert.equal(price.path, 'django.db.models.IntegerField');
    assert.match(price.unknown!, /only Python can evaluate/);
    assert.equal(state.getModel('shop', 'book')!.fields.get('title')!.unknown, undefined);
  });

  it('operations built by concatenation leave the app unknown', () => {
    const list = migrations("migrations.RemoveField(model_name='book', name='isbn'),");
    const source = `
from django.db import migrations
from .common import EXTRA

class Migration(migrations.Migration):
    dependencies = [('shop', '0001_initial')]
    operations = [migrations.RemoveField(model_name='book', name='isbn')] + EXTRA
`;
    list[1] = { ...list[1], parsed: parseMigration(parser, source) };
    const state = makeState(graphOf(list).graph, undefined, true, new Map());
    assert.equal(state.unknownApps.has('shop'), true);
    assert.equal(state.getModel('shop', 'book')!.fields.has('isbn'), false);
  });

  it('an operation on a model or field that is not there is a problem, not a crash', () => {
    const state = leafState(`
        migrations.AddField(model_name='author', name='name', field=models.CharField(max_length=10)),
        migrations.RenameField(model_name='book', old_name='subtitle', new_name='tagline'),
        migrations.DeleteModel(name='Author'),
    `);
    assert.deepEqual(
      state.problems.map((problem) => [problem.operationIndex, problem.message]),
      [
        [0, 'No model shop.author in the state before this operation'],
        [1, "shop.book has no field named 'subtitle'"],
        [2, 'No model shop.author in the state before this operation'],
      ],
    );
    assert.deepEqual([...state.getModel('shop', 'book')!.fields.keys()], ['id', 'title', 'isbn']);
  });
});

describe('MigrationStates', () => {
  before(async () => {
    parser = await pythonParser();
  });

  /** A chain with a branch and a merge across two apps. */
  function branchingProject(): Migration[] {
    const source = (dependencies: string, operations: string) => `
from django.db import migrations, models

class Migration(migrations.Migration):
    dependencies = [${dependencies}]
    operations = [${operations}]
`;
    const create = (name: string) => `migrations.CreateModel(name='${name}', fields=[('id', models.AutoField(primary_key=True))]),`;
    const add = (model: string, field: string) =>
      `migrations.AddField(model_name='${model}', name='${field}', field=models.IntegerField(default=0)),`;
    const files: [string, string, string, string][] = [
      ['shop', '0001_initial', '', create('Book')],
      ['shop', '0002_a', "('shop', '0001_initial')", add('book', 'a')],
      ['shop', '0002_b', "('shop', '0001_initial')", add('book', 'b')],
      ['shop', '0003_merge', "('shop', '0002_a'), ('shop', '0002_b')", ''],
      ['shop', '0004_c', "('shop', '0003_merge'), ('notes', '0001_initial')", "migrations.RenameModel('Book', 'Volume'),"],
      [
        'notes',
        '0001_initial',
        '',
        create('Note') + `migrations.AddField(model_name='note', name='book', field=models.ForeignKey('shop.Book', models.CASCADE)),`,
      ],
    ];
    return files.map(([app, name, dependencies, operations]) => ({
      appLabel: app,
      name,
      path: `/p/${app}/migrations/${name}.py`,
      parsed: parseMigration(parser, source(dependencies, operations)),
    }));
  }

  it("equals Django's make_state for every migration, before and after, whatever order they are asked in", () => {
    const loaded = graphOf(branchingProject());
    const keys = [...loaded.graph.nodes.keys()];
    // Text, not deepEqual: the order of models and fields is part of Django's state.
    const text = (state: ProjectState | undefined) => JSON.stringify(stateJson(state!, new Map()));
    for (const order of [keys, [...keys].reverse()]) {
      const states = new MigrationStates(loaded.graph, new Map());
      for (const key of order) {
        assert.equal(text(states.stateAfter(key)), text(makeState(loaded.graph, [key], true, new Map())), key);
        assert.equal(text(states.stateBefore(key)), text(makeState(loaded.graph, [key], false, new Map())), key);
      }
      assert.equal(text(states.leafState()), text(makeState(loaded.graph, undefined, true, new Map())));
    }
  });

  it('keeps earlier states as they were when later migrations change shared models', () => {
    const loaded = graphOf(branchingProject());
    const states = new MigrationStates(loaded.graph, new Map());
    const before = states.stateAfter('notes.0001_initial')!;
    const after = states.stateAfter('shop.0004_c')!;
    assert.equal(before.getModel('notes', 'note')!.fields.get('book')!.args[0].kind, 'str');
    assert.deepEqual(stateJson(before, new Map()).models['notes.note'].fields[1][1], {
      call: 'django.db.models.ForeignKey',
      args: [],
      kwargs: { to: 'shop.book', on_delete: { name: 'django.db.models.CASCADE' } },
    });
    assert.deepEqual(stateJson(after, new Map()).models['notes.note'].fields[1][1], {
      call: 'django.db.models.ForeignKey',
      args: [],
      kwargs: { to: 'shop.volume', on_delete: { name: 'django.db.models.CASCADE' } },
    });
    assert.deepEqual(Object.keys(stateJson(after, new Map()).models), ['notes.note', 'shop.volume']);
  });
});
