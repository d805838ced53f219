import * as assert from 'node:assert/strict';
import { ParsedMigration } from '../../../server/src/core/migration';
import { parseMigration } from '../../../server/src/python/migrationParser';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { pythonParser, range } from './pythonTestParser';
import { SAMPLE_MIGRATION as SAMPLE } from './sampleMigration';

/** A migration class around `body` (indented by the caller). */
function migration(body: string, after = ''): string {
  return `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n${body}\n${after}`;
}

function dependencyTargets(parsed: ParsedMigration): unknown[] {
  return parsed.dependencies.map((d) => d.target);
}

function descriptions(parsed: ParsedMigration): string[] {
  return parsed.dynamic.map((d) => d.description);
}

describe('parseMigration', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await pythonParser();
  });
  const parse = (text: string) => parseMigration(parser, text);

  describe('a generated migration', () => {
    it('reads every attribute', () => {
      const parsed = parse(SAMPLE);
      assert.equal(parsed.hasMigrationClass, true);
      assert.equal(parsed.initial, true);
      assert.equal(parsed.atomic, true);
      assert.deepEqual(dependencyTargets(parsed), [
        { kind: 'swappable', setting: 'AUTH_USER_MODEL' },
        { kind: 'key', app: 'shop', name: '0001_initial' },
      ]);
      assert.deepEqual(
        parsed.operations.map((o) => o.type),
        ['CreateModel', 'RunPython'],
      );
      assert.deepEqual(parsed.dynamic, []);
      assert.deepEqual(parsed.syntaxErrors, []);
      assert.deepEqual(parsed.replaces, []);
      assert.deepEqual(parsed.runBefore, []);
    });

    it('gives exact ranges', () => {
      const parsed = parse(SAMPLE);
      assert.deepEqual(parsed.classRange, range(11, 0, 29, 5));
      assert.deepEqual(parsed.classNameRange, range(11, 6, 11, 15));
      const [swappable, shop] = parsed.dependencies;
      assert.deepEqual(swappable.range, range(16, 8, 16, 65));
      assert.equal(swappable.appRange, undefined);
      assert.deepEqual(shop.range, range(17, 8, 17, 32));
      assert.deepEqual(shop.appRange, range(17, 9, 17, 15));
      assert.deepEqual(shop.nameRange, range(17, 17, 17, 31));
      assert.deepEqual(parsed.attributeRanges.initial, range(13, 4, 13, 18));
      assert.deepEqual(parsed.attributeRanges.dependencies, range(15, 4, 18, 5));
      assert.deepEqual(parsed.attributeRanges.operations, range(20, 4, 29, 5));
      assert.deepEqual(parsed.operations[1].call.calleeRange, range(28, 8, 28, 28));
    });

    it('keeps operation arguments as values', () => {
      const [createModel, runPython] = parse(SAMPLE).operations;
      const name = createModel.call.kwargs.find((k) => k.name === 'name');
      assert.deepEqual(name?.value.kind === 'str' && name.value.value, 'Order');
      assert.deepEqual(
        runPython.call.args.map((a) => a.kind === 'name' && a.dotted),
        ['forwards', 'migrations.RunPython.noop'],
      );
    });

    it('lists module-level imports and functions', () => {
      const parsed = parse(SAMPLE);
      assert.deepEqual(
        parsed.imports.map((i) => [i.module, i.names]),
        [
          ['django.conf', ['settings']],
          ['django.db', ['migrations', 'models']],
          ['django.db.models.deletion', []],
        ],
      );
      assert.deepEqual(parsed.imports[0].range, range(2, 0, 2, 32));
      assert.deepEqual(parsed.functions, [{ name: 'forwards', range: range(7, 0, 8, 8), nameRange: range(7, 4, 7, 12), freeNames: [] }]);
    });

    it('records what each function reads from the module, and which imports a RunPython function uses', () => {
      const parsed = parse(
        [
          'from django.db import migrations',
          'from shop.models import Order as O, STATUS',
          'from shop.fields import MoneyField',
          'def helper(rows):',
          '    return [O(**row) for row in rows]',
          'def forwards(apps, schema_editor, extra=STATUS):',
          '    helper(apps.get_model("shop", "Order").objects.filter(status=1).values())',
          'class Migration(migrations.Migration):',
          '    operations = [migrations.RunPython(code=forwards), migrations.AddField("o", "m", MoneyField())]',
        ].join('\n'),
      );
      assert.deepEqual(
        parsed.functions.map((f) => [f.name, [...(f.freeNames ?? [])].sort()]),
        [
          ['helper', ['O', 'row']],
          ['forwards', ['helper']],
        ],
      );
      assert.deepEqual(
        parsed.runPythonImports.map((i) => [i.module, i.name]),
        [['shop.models', 'Order']],
      );
    });
  });

  describe('dependencies', () => {
    it('reads tuples and lists of two strings, __first__ and __latest__ as plain names', () => {
      const parsed = parse(migration(`    dependencies = [['a', '0001'], ('b', '__first__'), ("c", '__latest__')]`));
      assert.deepEqual(dependencyTargets(parsed), [
        { kind: 'key', app: 'a', name: '0001' },
        { kind: 'key', app: 'b', name: '__first__' },
        { kind: 'key', app: 'c', name: '__latest__' },
      ]);
    });

    it('accepts a tuple of dependencies', () => {
      const parsed = parse(migration(`    dependencies = (('a', '0001'),)`));
      assert.deepEqual(dependencyTargets(parsed), [{ kind: 'key', app: 'a', name: '0001' }]);
    });

    for (const [written, setting] of [
      ['migrations.swappable_dependency(settings.AUTH_USER_MODEL)', 'AUTH_USER_MODEL'],
      ['swappable_dependency(settings.AUTH_USER_MODEL)', 'AUTH_USER_MODEL'],
      ['migrations.swappable_dependency(django.conf.settings.SHOP_MODEL)', 'SHOP_MODEL'],
      ["migrations.swappable_dependency(getattr(settings, 'AUTH_USER_MODEL', 'auth.User'))", 'AUTH_USER_MODEL'],
      ["swappable_dependency(getattr(settings, 'PROFILE_MODEL'))", 'PROFILE_MODEL'],
      ['migrations.swappable_dependency(value=settings.AUTH_USER_MODEL)', 'AUTH_USER_MODEL'],
    ]) {
      it(`reads ${written}`, () => {
        const parsed = parse(migration(`    dependencies = [${written}]`));
        assert.deepEqual(dependencyTargets(parsed), [{ kind: 'swappable', setting }]);
        assert.deepEqual(parsed.dynamic, []);
      });
    }

    it("reads swappable_dependency('auth.User') as the app's first migration", () => {
      const parsed = parse(migration(`    dependencies = [migrations.swappable_dependency('auth.User')]`));
      assert.deepEqual(dependencyTargets(parsed), [{ kind: 'key', app: 'auth', name: '__first__' }]);
    });

    it('records entries that are not literal as dynamic, and keeps the others', () => {
      const parsed = parse(migration(`    dependencies = [('a', NAME), ('b', '0001'), DEP, ('c', '1', 'x')]`));
      assert.deepEqual(dependencyTargets(parsed), [{ kind: 'key', app: 'b', name: '0001' }]);
      assert.equal(parsed.dynamic.length, 3);
      assert.deepEqual(parsed.dynamic[0].range, range(4, 20, 4, 31));
    });

    it('records a name bound elsewhere as dynamic', () => {
      const parsed = parse(migration(`    dependencies = DEPENDENCIES`));
      assert.deepEqual(parsed.dependencies, []);
      assert.match(descriptions(parsed)[0], /DEPENDENCIES/);
      assert.deepEqual(parsed.dynamic[0].range, range(4, 19, 4, 31));
    });
  });

  describe('operations', () => {
    it('names each operation by the last part of its callee', () => {
      const parsed = parse(
        migration(`    operations = [migrations.AddField(), myapp.ops.Foo(1), Bar(), migrations.operations.RunSQL('')]`),
      );
      assert.deepEqual(
        parsed.operations.map((o) => o.type),
        ['AddField', 'Foo', 'Bar', 'RunSQL'],
      );
      assert.deepEqual(parsed.dynamic, []);
    });

    it('accepts an empty list and a tuple', () => {
      assert.deepEqual(parse(migration(`    operations = []`)).operations, []);
      assert.equal(parse(migration(`    operations = (migrations.DeleteModel('A'),)`)).operations.length, 1);
    });

    it('records items that are not calls', () => {
      const parsed = parse(migration(`    operations = [OP, migrations.AddField(), *MORE, factory()()]`));
      assert.deepEqual(
        parsed.operations.map((o) => o.type),
        ['AddField'],
      );
      assert.equal(parsed.dynamic.length, 3);
    });

    const dynamicCases: [what: string, body: string, pattern: RegExp][] = [
      ['a conditional list', `    operations = [migrations.AddField()] if DEBUG else []`, /conditional/],
      ['a comprehension', `    operations = [migrations.RunSQL(s) for s in SQL]`, /comprehension/],
      ['a name bound elsewhere', `    operations = OPS`, /`OPS`/],
      ['a factory call', `    operations = make_ops()`, /make_ops\(\)/],
      ['a subscript', `    operations = ALL[1:]`, /subscript/],
    ];
    for (const [what, body, pattern] of dynamicCases) {
      it(`records ${what} as dynamic`, () => {
        const parsed = parse(migration(body));
        assert.deepEqual(parsed.operations, []);
        assert.equal(parsed.dynamic.length, 1);
        assert.match(parsed.dynamic[0].description, pattern);
        assert.ok(parsed.attributeRanges.operations);
      });
    }

    it('records += in the class body as dynamic, keeping literal items', () => {
      const parsed = parse(migration(`    operations = [migrations.AddField()]\n    operations += [migrations.RemoveField()]`));
      assert.deepEqual(
        parsed.operations.map((o) => o.type),
        ['AddField', 'RemoveField'],
      );
      assert.match(descriptions(parsed).join(), /\+=/);
      assert.deepEqual(parsed.attributeRanges.operations, range(4, 4, 4, 40));
    });

    it('records list concatenation as dynamic, keeping literal items', () => {
      const parsed = parse(migration(`    operations = [migrations.AddField()] + COMMON + [migrations.RunSQL('')]`));
      assert.deepEqual(
        parsed.operations.map((o) => o.type),
        ['AddField', 'RunSQL'],
      );
      assert.deepEqual(descriptions(parsed), [
        '`operations` is built by list concatenation',
        '`operations` is the name `COMMON`, bound elsewhere',
      ]);
    });

    for (const after of [
      'Migration.operations += [migrations.RunSQL("")]',
      'Migration.operations.append(migrations.RunSQL(""))',
      'Migration.operations.extend(EXTRA)',
      'Migration.operations = []',
      'Migration.dependencies[0] = ("a", "b")',
      'if DEBUG:\n    Migration.operations.insert(0, op)',
      'setattr(Migration, "operations", [])',
    ]) {
      it(`records a change after the class: ${after.split('\n').pop()}`, () => {
        const parsed = parse(migration(`    operations = [migrations.AddField()]`, after));
        assert.equal(parsed.operations.length, 1);
        assert.equal(parsed.dynamic.length, 1, descriptions(parsed).join());
        assert.equal(parsed.dynamic[0].range.start.line, after.startsWith('if') ? 6 : 5);
      });
    }

    it('does not take other classes for changes of the migration', () => {
      const parsed = parse(migration(`    operations = []`, 'Other.operations.append(1)\nx = Migration.operations'));
      assert.deepEqual(parsed.dynamic, []);
    });

    it('records assignments under if/for in the class body, and changes made in methods', () => {
      const parsed = parse(
        migration(
          `    operations = []\n    if settings.DEBUG:\n        operations = [migrations.RunSQL('')]\n    def __init__(self, *args):\n        super().__init__(*args)\n        self.operations.append(1)`,
        ),
      );
      assert.deepEqual(parsed.operations, []);
      assert.deepEqual(
        parsed.dynamic.map((d) => d.range.start.line),
        [6, 9],
      );
    });
  });

  describe('replaces and run_before', () => {
    it('reads (app, name) pairs with their ranges', () => {
      const parsed = parse(
        migration(`    replaces = [('shop', '0001_initial'), ('shop', '0002_x')]\n    run_before = [('other', '0001_initial')]`),
      );
      assert.deepEqual(
        parsed.replaces.map((r) => [r.app, r.name]),
        [
          ['shop', '0001_initial'],
          ['shop', '0002_x'],
        ],
      );
      assert.deepEqual(parsed.replaces[0].range, range(4, 16, 4, 40));
      assert.deepEqual(parsed.replaces[0].appRange, range(4, 17, 4, 23));
      assert.deepEqual(parsed.replaces[0].nameRange, range(4, 25, 4, 39));
      assert.deepEqual(
        parsed.runBefore.map((r) => [r.app, r.name]),
        [['other', '0001_initial']],
      );
    });

    it('records entries that are not pairs of strings', () => {
      const parsed = parse(migration(`    replaces = [('shop',), KEY]`));
      assert.deepEqual(parsed.replaces, []);
      assert.equal(parsed.dynamic.length, 2);
    });
  });

  describe('initial and atomic', () => {
    it("defaults to Django's: initial None, atomic True", () => {
      const parsed = parse(migration(`    operations = []`));
      assert.equal(parsed.initial, null);
      assert.equal(parsed.atomic, true);
    });

    it('reads literal values', () => {
      const parsed = parse(migration(`    initial = False\n    atomic = False`));
      assert.equal(parsed.initial, false);
      assert.equal(parsed.atomic, false);
      assert.deepEqual(parse(migration(`    initial = None`)).initial, null);
      assert.deepEqual(parse(migration(`    atomic = 0`)).atomic, false);
    });

    it('records non-literal values as dynamic and keeps the defaults', () => {
      const parsed = parse(migration(`    initial = not settings.X\n    atomic = connection.features.can_rollback_ddl`));
      assert.equal(parsed.initial, null);
      assert.equal(parsed.atomic, true);
      assert.equal(parsed.dynamic.length, 2);
    });

    it('the last assignment wins', () => {
      const parsed = parse(migration(`    atomic = False\n    atomic = True`));
      assert.equal(parsed.atomic, true);
      assert.deepEqual(parsed.attributeRanges.atomic, range(5, 4, 5, 17));
    });
  });

  describe('the Migration class', () => {
    it('is absent from a module without one', () => {
      const parsed = parse(
        `from django.db import migrations\n\nclass Other(migrations.Migration):\n    operations = [migrations.AddField()]\n`,
      );
      assert.equal(parsed.hasMigrationClass, false);
      assert.equal(parsed.classRange, undefined);
      assert.deepEqual(parsed.operations, []);
    });

    it('may have any base, or none', () => {
      assert.equal(parse(`class Migration(CustomBase):\n    initial = True\n`).initial, true);
      assert.equal(parse(`class Migration:\n    initial = True\n`).initial, true);
    });

    it('is the last of several, as Python binds the name', () => {
      const parsed = parse(`class Migration:\n    initial = True\n\nclass Migration:\n    atomic = False\n`);
      assert.equal(parsed.initial, null);
      assert.equal(parsed.atomic, false);
      assert.deepEqual(parsed.classNameRange, range(3, 6, 3, 15));
    });

    it('may be decorated', () => {
      assert.equal(parse(`@register\nclass Migration(migrations.Migration):\n    initial = True\n`).initial, true);
    });

    it('reads annotated and chained assignments', () => {
      const parsed = parse(migration(`    dependencies: list = [('a', '1')]\n    replaces = run_before = [('b', '2')]`));
      assert.equal(parsed.dependencies.length, 1);
      assert.equal(parsed.replaces.length, 1);
      assert.equal(parsed.runBefore.length, 1);
    });
  });

  describe('imports and functions', () => {
    it('reads every import form', () => {
      const parsed = parse(
        `from __future__ import annotations\nimport os, sys as system\nfrom . import utils\nfrom ..models import (A,\n    B as C)  # trailing\nfrom shop.ops import *\n`,
      );
      assert.deepEqual(
        parsed.imports.map((i) => [i.module, i.names]),
        [
          ['__future__', ['annotations']],
          ['os', []],
          ['sys', []],
          ['.', ['utils']],
          ['..models', ['A', 'B']],
          ['shop.ops', ['*']],
        ],
      );
      assert.deepEqual(parsed.imports[4].range, range(3, 0, 4, 11));
    });

    it('reads plain, async and decorated functions, not methods', () => {
      const parsed = parse(
        `def a(apps, schema_editor):\n    pass\n\nasync def b():\n    pass\n\n@decorator\ndef c():\n    pass\n\nclass Migration:\n    def d(self):\n        pass\n`,
      );
      assert.deepEqual(
        parsed.functions.map((f) => f.name),
        ['a', 'b', 'c'],
      );
      assert.deepEqual(parsed.functions[2].nameRange, range(7, 4, 7, 5));
    });
  });

  describe('text that is not plain ASCII', () => {
    it('counts characters in UTF-16 code units', () => {
      const parsed = parse(migration(`    dependencies = [('café', '0001_😀'), ('b', 'x')]  # ünïcode`));
      const [first, second] = parsed.dependencies;
      assert.deepEqual(first.target, { kind: 'key', app: 'café', name: '0001_😀' });
      assert.deepEqual(first.appRange, range(4, 21, 4, 27));
      assert.deepEqual(first.nameRange, range(4, 29, 4, 38));
      assert.deepEqual(second.range, range(4, 41, 4, 51));
    });

    it('reads CRLF line endings and a byte order mark', () => {
      const parsed = parse('\ufeff' + migration(`    dependencies = [('a', '1')]\n    initial = True`).replace(/\n/g, '\r\n'));
      assert.equal(parsed.initial, true);
      assert.deepEqual(parsed.dependencies[0].range, range(4, 20, 4, 30));
    });

    it('reads escape sequences and implicit concatenation in strings', () => {
      const parsed = parse(migration(`    dependencies = [('sh' 'op', '0001_\\x69nitial')]`));
      assert.deepEqual(parsed.dependencies[0].target, { kind: 'key', app: 'shop', name: '0001_initial' });
    });
  });

  describe('syntax errors', () => {
    it('reports ERROR and MISSING ranges and keeps what it can read', () => {
      const parsed = parse(
        migration(`    dependencies = [('a', '1')]\n    operations = [\n        migrations.AddField(model_name='x' name='y'),\n    ]`),
      );
      assert.deepEqual(dependencyTargets(parsed), [{ kind: 'key', app: 'a', name: '1' }]);
      assert.ok(parsed.syntaxErrors.length > 0);
      assert.ok(parsed.syntaxErrors.every((r) => r.start.line === 6));
    });

    it('reports a missing closing bracket as a MISSING range', () => {
      const parsed = parse(`x = (1,\ny = 2\n`);
      assert.ok(parsed.syntaxErrors.length > 0);
    });

    it('still reads the Migration class when the grammar does not know newer syntax elsewhere', () => {
      const text = [
        'from django.db import migrations',
        '',
        'def f[T = int](x: T) -> T:  # type parameter default, Python 3.13',
        '    try:',
        '        pass',
        '    except ValueError, TypeError:  # Python 3.14',
        '        return t"{x}"',
        '',
        'lazy import json',
        '',
        'class Migration(migrations.Migration):',
        "    dependencies = [('shop', '0001_initial')]",
        '    operations = [migrations.RunPython(f)]',
        '',
      ].join('\n');
      const parsed = parse(text);
      assert.ok(parsed.syntaxErrors.length > 0);
      assert.equal(parsed.hasMigrationClass, true);
      assert.deepEqual(dependencyTargets(parsed), [{ kind: 'key', app: 'shop', name: '0001_initial' }]);
      assert.deepEqual(
        parsed.operations.map((o) => o.type),
        ['RunPython'],
      );
    });
  });

  describe('any input', () => {
    for (const [what, text] of [
      ['empty text', ''],
      ['only whitespace', '\n\n   \n'],
      ['binary bytes', Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
      ['NUL characters', 'class Migration:\n    operations = [\0]\n'],
      ['unbalanced brackets', ')]}'.repeat(500) + '(['.repeat(500)],
      ['a lone class keyword', 'class'],
      ['class Migration without body', 'class Migration(migrations.Migration):'],
    ]) {
      it(`does not throw on ${what}`, () => {
        const parsed = parse(text);
        assert.ok(Array.isArray(parsed.operations));
      });
    }

    it('reads a huge migration', () => {
      const operation = "        migrations.AddField(model_name='m', name='f', field=models.IntegerField(default=0)),\n";
      const parsed = parse(migration(`    operations = [\n${operation.repeat(20000)}    ]`));
      assert.equal(parsed.operations.length, 20000);
    });
  });
});
