import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSyntheticProject } from '../../../bench/syntheticProject';
import { decodeSource } from '../../../server/src/project/sourceText';
import { readLintSourceFast, readMigrationFast } from '../../../server/src/python/fastMigrationReader';
import { LintSource, readWithTree } from '../../../server/src/python/lintSourceReader';
import { parseMigrationTree } from '../../../server/src/python/migrationParser';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { seededRandom } from '../../support/seededRandom';
import { FIXTURES, INLINE_SAMPLES, mutations, pythonFiles } from './fuzzSamples';
import { pythonParser } from './pythonTestParser';
import { SAMPLE_MIGRATION } from './sampleMigration';

/**
 * The fast reader must give exactly the tree-sitter reading, or decline: the migration record,
 * and what the lint rules read (comments, function signatures) of the same files. Returns whether
 * it read the file, so each test can also say which ones it must not decline.
 */
function assertSameReading(parser: PythonParser, text: string, what: string): boolean {
  const fast = readMigrationFast(text);
  const lint = readLintSourceFast(text);
  assert.equal(lint === undefined, fast === undefined, `${what}: the lint reading ${lint ? 'accepts' : 'declines'} alone`);
  if (!fast || !lint) return false;
  try {
    assert.deepStrictEqual(fast, parseMigrationTree(parser, text));
    assert.deepStrictEqual(lint, readWithTree(parser, text));
  } catch (error) {
    assert.fail(`${what}: the fast reading differs from the tree's\n${(error as Error).message}\non ${JSON.stringify(text)}`);
  }
  return true;
}

describe('fast migration reader', () => {
  let parser: PythonParser;
  let project: string;
  before(async () => {
    parser = await pythonParser();
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-reader-'));
    writeSyntheticProject(project, { apps: 3, migrationsPerApp: 15, crossAppEvery: 7, squashEvery: 2 });
  });
  after(() => fs.rmSync(project, { recursive: true, force: true }));

  it('reads every migration of the synthetic bench project, exactly as the tree does', () => {
    const files = pythonFiles(project).filter((file) => file.includes(`${path.sep}migrations${path.sep}0`));
    assert.ok(files.length >= 45);
    for (const file of files) assert.ok(assertSameReading(parser, fs.readFileSync(file, 'utf8'), file), `${file} was declined`);
  });

  it('reads the fixture files it claims exactly as the tree does, and claims the generated migrations', () => {
    let claimed = 0;
    const files = pythonFiles(FIXTURES);
    for (const file of files) {
      if (assertSameReading(parser, fs.readFileSync(file, 'utf8'), path.relative(FIXTURES, file))) claimed++;
    }
    // Most fixture migrations are written as makemigrations writes them.
    assert.ok(claimed > files.length / 3, `claimed ${claimed} of ${files.length}`);
  });

  it('gives the tree reading or declines, under the fuzz test mutations', function () {
    this.timeout(120_000);
    const random = seededRandom(20240501);
    const samples = [...Object.values(INLINE_SAMPLES), ...pythonFiles(FIXTURES).map((file) => fs.readFileSync(file, 'utf8'))];
    let claimed = 0;
    let total = 0;
    for (const text of samples) {
      for (const mutated of [text, ...mutations(text, random, 40)]) {
        total++;
        if (assertSameReading(parser, mutated, 'mutation')) claimed++;
      }
    }
    assert.ok(claimed > 0 && claimed < total, `claimed ${claimed} of ${total}`);
  });

  it('reads comments and bulk_update calls nested in calls as the tree does', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'hand_written_functions', '0004_bulk_updates.py'), 'utf8');
    assert.ok(assertSameReading(parser, text, 'bulk updates'));
    const lint: LintSource = readLintSourceFast(text)!;
    assert.equal(lint.comments.length, 8);
    assert.deepEqual(
      lint.comments.filter((comment) => !comment.ownLine).map((comment) => comment.text),
      ['# after non-ASCII text', '# unbatched', '# after the sku'],
    );
    const [reprice, restock, forget] = lint.functions;
    assert.deepEqual(
      reprice.unbatchedWrites?.map((write) => [write.range.start.line, write.range.start.character, write.queryset]),
      [
        [9, 4, "Product.objects.bulk_update(products, ['price'])"],
        [14, 8, "Product.objects.bulk_update(products, fields=['price'])"],
        [15, 8, 'Product._default_manager.bulk_update( # every row at once l…'],
        [21, 4, "Product.objects.using('default').bulk_update(Product.object…"],
        [21, 4, "Product.objects.using('default').bulk_update(Product.object…"],
        [21, 49, "Product.objects.bulk_update(products, ['sku'])"],
      ],
    );
    assert.equal(restock.unbatchedWrites, undefined);
    assert.deepEqual(restock.positional, ['apps', 'schema_editor']);
    assert.deepEqual(forget.plainParametersRange, { start: { line: 33, character: 10 }, end: { line: 33, character: 31 } });
  });

  it('declines bulk_update with **options, and reads the file once the call is gone', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'hand_written_functions', '0005_bulk_update_options.py'), 'utf8');
    assert.equal(readLintSourceFast(text), undefined);
    const without = text.replace("    Product.objects.bulk_update([], ['price'], **options)\n", '');
    assert.notEqual(without, text);
    assert.ok(assertSameReading(parser, without, 'without **options'));
  });

  it('declines what only the tree can judge', () => {
    const declined = [
      // An empty class body is a compile error.
      'from django.db import migrations\n\nclass Migration(migrations.Migration):\n',
      // Operators, comprehensions, conditionals.
      "class Migration(migrations.Migration):\n    dependencies = [('a', '0001')] + EXTRA\n",
      'class Migration(migrations.Migration):\n    operations = [op for op in OPS]\n',
      // A statement after the class may change it.
      'class Migration(migrations.Migration):\n    operations = []\n\nMigration.operations.append(x)\n',
      // Tabs, line continuations, carriage returns, f-strings.
      'class Migration(migrations.Migration):\n\toperations = []\n',
      'class Migration(migrations.Migration):\n    operations = \\\n        []\n',
      'class Migration(migrations.Migration):\r\n    operations = []\r\n',
      "class Migration(migrations.Migration):\n    operations = [migrations.RunSQL(f'x{y}')]\n",
      // A comment the tree may keep inside the class.
      'class Migration(migrations.Migration):\n    operations = []\n    # trailing\n',
      // Unbalanced brackets.
      'class Migration(migrations.Migration):\n    operations = [\n',
    ];
    for (const text of declined) {
      assert.equal(readMigrationFast(text), undefined, JSON.stringify(text));
      assert.equal(readLintSourceFast(text), undefined, JSON.stringify(text));
    }
  });

  it('declines text whose bytes Python would refuse', () => {
    const bytes = Buffer.concat([
      Buffer.from("from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunSQL('"),
      Buffer.from([0xff]),
      Buffer.from("')]\n"),
    ]);
    const source = decodeSource(bytes);
    assert.equal(readMigrationFast(source.text, source), undefined);
    assert.ok(readMigrationFast(source.text), 'the same text without the decoding is claimed');
  });

  it('reads the sample migration with its non-ASCII strings exactly as the tree does', () => {
    assert.ok(assertSameReading(parser, SAMPLE_MIGRATION, 'sample'));
    assert.ok(assertSameReading(parser, INLINE_SAMPLES['squashed migration'], 'squashed'));
  });
});
