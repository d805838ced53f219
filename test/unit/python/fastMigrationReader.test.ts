import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSyntheticProject } from '../../../bench/syntheticProject';
import { decodeSource } from '../../../server/src/project/sourceText';
import { readMigrationFast } from '../../../server/src/python/fastMigrationReader';
import { parseMigrationTree } from '../../../server/src/python/migrationParser';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { seededRandom } from '../../support/seededRandom';
import { FIXTURES, INLINE_SAMPLES, mutations, pythonFiles } from './fuzzSamples';
import { pythonParser } from './pythonTestParser';
import { SAMPLE_MIGRATION } from './sampleMigration';

/**
 * The fast reader must give exactly the tree-sitter reading, or decline. `claimed` counts the
 * files it read, so each test can also say which ones it must not decline.
 */
function assertSameReading(parser: PythonParser, text: string, what: string): boolean {
  const fast = readMigrationFast(text);
  if (!fast) return false;
  try {
    assert.deepStrictEqual(fast, parseMigrationTree(parser, text));
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
    for (const text of declined) assert.equal(readMigrationFast(text), undefined, JSON.stringify(text));
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
