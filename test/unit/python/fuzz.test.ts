import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ParsedMigration } from '../../../server/src/core/migration';
import { PythonValue } from '../../../server/src/core/pythonValue';
import { SourceRange } from '../../../server/src/core/sourceRange';
import { parseAppConfigs } from '../../../server/src/python/appConfigParser';
import { settingsModuleFromManage } from '../../../server/src/python/manageParser';
import { parseMigration } from '../../../server/src/python/migrationParser';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { parseSettings } from '../../../server/src/python/settingsParser';
import { pythonParser } from './pythonTestParser';
import { SAMPLE_MIGRATION } from './sampleMigration';
import { seededRandom } from '../../support/seededRandom';

const FIXTURES = path.join(__dirname, '../../../../test/fixtures');

/** Samples that make the test meaningful even without fixture projects. */
const INLINE_SAMPLES: Record<string, string> = {
  'sample migration': SAMPLE_MIGRATION,
  'squashed migration': `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    replaces = [('shop', '0001_initial'), ('shop', '0002_item_price')]\n    run_before = [('billing', '0001_initial')]\n    atomic = False\n    dependencies = [('auth', '__first__'), migrations.swappable_dependency(getattr(settings, 'AUTH_USER_MODEL', 'auth.User'))]\n    operations = [\n        migrations.RunSQL(\n            sql=["CREATE INDEX i ON t (c);"],\n            reverse_sql=migrations.RunSQL.noop,\n        ),\n        migrations.AlterModelOptions(name='item', options={'ordering': ('-id',), 'verbose_name': 'élément 😀'}),\n    ]\n`,
  'dynamic migration': `import os\nfrom django.db import migrations\n\nOPS = [migrations.RunSQL('SELECT 1')]\n\ndef forwards(apps, schema_editor):\n    Item = apps.get_model('shop', 'Item')\n    Item.objects.update(price=0)\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001')] + EXTRA\n    operations = OPS if os.environ.get('X') else [migrations.RunPython(forwards, lambda a, s: None)]\n    operations += [op for op in OPS]\n\nMigration.operations.append(migrations.RunSQL(r'''\n  SELECT '\\n';\n'''))\n`,
  settings: `from pathlib import Path\nimport os\nBASE_DIR = Path(__file__).resolve().parent.parent\nINSTALLED_APPS = ['django.contrib.auth', 'shop'] + ['x']\nif os.environ.get('DEBUG'):\n    INSTALLED_APPS += ['debug_toolbar']\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': os.environ.get('DB', 'shop'), 'PORT': int(os.getenv('PORT', '5432'))}}\nMIGRATION_MODULES = {'shop': None}\n`,
  apps: `from django.apps import AppConfig\n\nclass ShopConfig(AppConfig):\n    name = 'shop'\n    label = 'store'\n    default = True\n`,
};

const decoder = new TextDecoder('utf-8');

/** Mutations of `text`: truncations, flipped bits, deleted and duplicated lines, invalid UTF-8. */
function mutations(text: string, random: () => number, count: number): string[] {
  const pick = (n: number) => Math.floor(random() * n);
  const out: string[] = [];
  const bytes = Buffer.from(text, 'utf8');
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < count; i++) {
    switch (i % 5) {
      case 0:
        out.push(text.slice(0, pick(text.length + 1)));
        break;
      case 1: {
        const flipped = Buffer.from(bytes);
        for (let n = 1 + pick(4); n > 0 && flipped.length > 0; n--) flipped[pick(flipped.length)] ^= 1 << pick(8);
        out.push(decoder.decode(flipped));
        break;
      }
      case 2: {
        const kept = [...lines];
        kept.splice(pick(kept.length), 1 + pick(3));
        out.push(kept.join('\n'));
        break;
      }
      case 3: {
        const doubled = [...lines];
        const at = pick(doubled.length);
        doubled.splice(at, 0, ...doubled.slice(at, at + 1 + pick(3)));
        out.push(doubled.join('\n'));
        break;
      }
      default: {
        const invalid = [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0x80]][pick(6)];
        const at = pick(bytes.length + 1);
        out.push(decoder.decode(Buffer.concat([bytes.subarray(0, at), Buffer.from(invalid), bytes.subarray(at)])));
      }
    }
  }
  return out;
}

function pythonFiles(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return pythonFiles(full);
    return entry.isFile() && entry.name.endsWith('.py') ? [full] : [];
  });
}

/** Checks that a range lies inside `text`, in LSP's convention (lines end at \r\n, \n or a lone \r; UTF-16). */
function assertRange(range: SourceRange | undefined, lines: readonly string[], what: string): void {
  assert.ok(range, `${what}: no range`);
  const { start, end } = range;
  for (const position of [start, end]) {
    assert.ok(Number.isInteger(position.line) && position.line >= 0 && position.line < lines.length, `${what}: line ${position.line}`);
    assert.ok(Number.isInteger(position.character) && position.character >= 0, `${what}: character ${position.character}`);
    assert.ok(position.character <= lines[position.line].length, `${what}: character ${position.character} beyond its line`);
  }
  assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${what}: ends before it starts`);
}

function assertValue(value: PythonValue, lines: readonly string[], depth = 0): void {
  assertRange(value.range, lines, `${value.kind} value`);
  switch (value.kind) {
    case 'str':
      assert.equal(typeof value.value, 'string');
      break;
    case 'number':
      assert.ok(!Number.isNaN(value.value));
      assert.equal(typeof value.text, 'string');
      break;
    case 'constant':
      assert.ok(value.value === true || value.value === false || value.value === null);
      break;
    case 'name':
      assert.ok(value.dotted.length > 0);
      break;
    case 'list':
    case 'tuple':
    case 'set':
      for (const item of value.items) assertValue(item, lines, depth + 1);
      break;
    case 'dict':
      for (const entry of value.entries) {
        assertValue(entry.key, lines, depth + 1);
        assertValue(entry.value, lines, depth + 1);
      }
      break;
    case 'call':
      assert.equal(typeof value.callee, 'string');
      assertRange(value.calleeRange, lines, 'callee');
      for (const arg of value.args) assertValue(arg, lines, depth + 1);
      for (const kwarg of value.kwargs) {
        assert.equal(typeof kwarg.name, 'string');
        assertRange(kwarg.nameRange, lines, 'keyword');
        assertValue(kwarg.value, lines, depth + 1);
      }
      break;
    case 'opaque':
      assert.equal(typeof value.text, 'string');
      break;
    default:
      assert.fail(`unknown value kind ${(value as { kind: string }).kind}`);
  }
}

function assertParsedMigration(parsed: ParsedMigration, text: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  assert.equal(typeof parsed.hasMigrationClass, 'boolean');
  if (parsed.hasMigrationClass) {
    assertRange(parsed.classRange, lines, 'class');
    assertRange(parsed.classNameRange, lines, 'class name');
  }
  assert.ok(parsed.initial === null || typeof parsed.initial === 'boolean');
  assert.equal(typeof parsed.atomic, 'boolean');
  for (const dependency of parsed.dependencies) {
    assertRange(dependency.range, lines, 'dependency');
    if (dependency.target.kind === 'key') {
      assert.equal(typeof dependency.target.app, 'string');
      assert.equal(typeof dependency.target.name, 'string');
    } else {
      assert.equal(dependency.target.kind, 'swappable');
      assert.equal(typeof dependency.target.setting, 'string');
    }
    if (dependency.appRange) assertRange(dependency.appRange, lines, 'dependency app');
    if (dependency.nameRange) assertRange(dependency.nameRange, lines, 'dependency name');
  }
  for (const key of [...parsed.replaces, ...parsed.runBefore]) {
    assert.equal(typeof key.app, 'string');
    assert.equal(typeof key.name, 'string');
    for (const range of [key.range, key.appRange, key.nameRange]) assertRange(range, lines, 'migration key');
  }
  for (const operation of parsed.operations) {
    assert.ok(operation.type.length > 0);
    assert.equal(operation.call.kind, 'call');
    assertValue(operation.call, lines);
  }
  for (const range of Object.values(parsed.attributeRanges)) assertRange(range, lines, 'attribute');
  for (const dynamic of parsed.dynamic) {
    assertRange(dynamic.range, lines, 'dynamic');
    assert.ok(dynamic.description.length > 0);
  }
  for (const range of parsed.syntaxErrors) assertRange(range, lines, 'syntax error');
  for (const entry of parsed.imports) {
    assert.equal(typeof entry.module, 'string');
    assert.ok(entry.names.every((name) => typeof name === 'string'));
    assertRange(entry.range, lines, 'import');
  }
  for (const entry of parsed.functions) {
    assert.ok(entry.name.length > 0);
    assertRange(entry.range, lines, 'function');
    assertRange(entry.nameRange, lines, 'function name');
  }
}

describe('python parsing under fuzzing', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await pythonParser();
  });

  const samples: [name: string, text: string, mutationCount: number][] = [
    ...Object.entries(INLINE_SAMPLES).map(([name, text]): [string, string, number] => [name, text, 300]),
    ...pythonFiles(FIXTURES).map((file): [string, string, number] => [path.relative(FIXTURES, file), fs.readFileSync(file, 'utf8'), 15]),
  ];

  it(`never throws and always returns well-formed records (${samples.length} files)`, function () {
    this.timeout(120_000);
    const random = seededRandom(20240501);
    const readModule = () => undefined;
    for (const [name, text, count] of samples) {
      for (const mutated of [text, ...mutations(text, random, count)]) {
        let parsed: ParsedMigration;
        try {
          parsed = parseMigration(parser, mutated);
          parseSettings(parser, { path: '/project/settings.py', text: mutated }, readModule);
          parseAppConfigs(parser, mutated);
          settingsModuleFromManage(parser, mutated);
        } catch (error) {
          assert.fail(`${name}: threw ${(error as Error).stack}\non ${JSON.stringify(mutated)}`);
        }
        assertParsedMigration(parsed, mutated);
      }
    }
  });
});
