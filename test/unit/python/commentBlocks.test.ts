import * as assert from 'node:assert/strict';
import { parseMigration } from '../../../server/src/python/migrationParser';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { pythonParser } from './pythonTestParser';

const HEADER = 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n';
const COMMENTED_CODE = '#     migrations.AddField(model_name="book", name="title", field=models.CharField(max_length=100)),\n';

function commentLines(count: number, indent = ''): string {
  return (indent + COMMENTED_CODE).repeat(count);
}

/** Each operation's callee with the line it starts on. */
function operationLines(parser: PythonParser, text: string): [string, number][] {
  return parseMigration(parser, text).operations.map((o) => [o.call.callee, o.call.range.start.line]);
}

// Run times are the harness's business (mocha's timeout): a quadratic parse of these files takes
// minutes, a linear one well under a second.
describe('long comment blocks', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await pythonParser();
  });

  for (const lines of [3_000, 12_000, 100_000]) {
    it(`reads a migration followed by ${lines} lines of commented-out code`, () => {
      const text = `${HEADER}    dependencies = []\n    operations = [migrations.RunSQL("")]\n\n${commentLines(lines)}`;
      const parsed = parseMigration(parser, text);
      assert.equal(parsed.hasMigrationClass, true);
      assert.deepEqual(parsed.syntaxErrors, []);
      assert.deepEqual(operationLines(parser, text), [['migrations.RunSQL', 5]]);
    });
  }

  it('keeps every range exact after a block inside the class and inside a list', () => {
    const text =
      `${HEADER}    dependencies = []\n${commentLines(40, '    ')}    operations = [\n` +
      `${commentLines(40, '        ')}        migrations.RunSQL("SELECT 1"),\n${commentLines(20, '  ')}        migrations.RunSQL("SELECT 2"),\n    ]\n` +
      commentLines(40);
    assert.deepEqual(operationLines(parser, text), [
      ['migrations.RunSQL', 86],
      ['migrations.RunSQL', 107],
    ]);
    const parsed = parseMigration(parser, text);
    assert.deepEqual(parsed.syntaxErrors, []);
    assert.equal(parsed.attributeRanges.operations?.start.line, 45);
  });

  it('leaves lines that look like comments inside a string as they are', () => {
    const sql = Array.from({ length: 30 }, (_, index) => `# line ${index} with a quote " and '''`).join('\n');
    const text = `${HEADER}    operations = [migrations.RunPython.noop, migrations.RunSQL("""\n${sql}\n""")]\n${commentLines(30)}`;
    const runSql = parseMigration(parser, text).operations.find((operation) => operation.type === 'RunSQL')!;
    assert.equal(runSql.type, 'RunSQL');
    const argument = runSql.call.args[0];
    assert.equal(argument.kind, 'str');
    assert.equal(argument.kind === 'str' && argument.value, `\n${sql}\n`);
  });

  it('keeps the structure when a comment line of a block closes a string', () => {
    // The third line ends the string that starts on the first: the block is not all comments.
    const lines = [
      'x = """',
      ...Array.from({ length: 20 }, () => '# inside'),
      '# end """',
      'y = 1',
      ...Array.from({ length: 20 }, () => '# comment'),
    ];
    parser.withTree(lines.join('\n') + '\n', (tree) => {
      const statements = tree.rootNode.namedChildren.filter((node) => node?.type === 'expression_statement');
      assert.deepEqual(
        statements.map((node) => node?.text.split('\n')[0]),
        ['x = """', 'y = 1'],
      );
      assert.equal(tree.rootNode.hasError, false);
    });
  });
});
