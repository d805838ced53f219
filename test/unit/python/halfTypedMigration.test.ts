import * as assert from 'node:assert/strict';
import { ParsedMigration } from '../../../server/src/core/migration';
import { parseMigration } from '../../../server/src/python/migrationParser';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { pythonParser } from './pythonTestParser';
import { SAMPLE_MIGRATION } from './sampleMigration';

/** Texts seen while `typed` is typed one character at a time after the line holding `anchor`. */
function keystrokes(text: string, anchor: string, typed: string): { typedSoFar: string; text: string }[] {
  const at = text.indexOf('\n', text.indexOf(anchor));
  assert.ok(text.indexOf(anchor) >= 0 && at >= 0, anchor);
  return Array.from({ length: typed.length + 1 }, (_, i) => ({
    typedSoFar: typed.slice(0, i),
    text: text.slice(0, at) + typed.slice(0, i) + text.slice(at),
  }));
}

/** Inside an unterminated string literal the rest of the line is a string: nothing to keep. */
function quotesBalanced(text: string): boolean {
  return (text.split("'").length - 1) % 2 === 0;
}

const targets = (parsed: ParsedMigration) => parsed.dependencies.map((d) => (d.target.kind === 'key' ? d.target.app : d.target.setting));
const types = (parsed: ParsedMigration) => parsed.operations.map((o) => o.type);

describe('parseMigration on half-typed text', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await pythonParser();
  });

  it('gives the best partial result while a migration is typed from start to end', () => {
    const full = parseMigration(parser, SAMPLE_MIGRATION);
    const classTyped = SAMPLE_MIGRATION.indexOf('class Migration') + 'class Migration'.length;
    const dependenciesTyped = SAMPLE_MIGRATION.indexOf(']', SAMPLE_MIGRATION.indexOf('dependencies')) + 1;
    const createModelTyped = SAMPLE_MIGRATION.indexOf('        ),') + '        )'.length;
    for (let length = 0; length <= SAMPLE_MIGRATION.length; length++) {
      const parsed = parseMigration(parser, SAMPLE_MIGRATION.slice(0, length));
      const context = JSON.stringify(SAMPLE_MIGRATION.slice(Math.max(0, length - 30), length));
      if (length >= classTyped) assert.equal(parsed.hasMigrationClass, true, context);
      if (length >= dependenciesTyped) assert.deepEqual(parsed.dependencies, full.dependencies, context);
      if (length >= createModelTyped) {
        assert.equal(parsed.operations[0]?.type, 'CreateModel', context);
        assert.deepEqual(parsed.operations[0].call, full.operations[0].call, context);
      }
    }
  });

  it('keeps the other operations while a new one is typed between them', () => {
    const typed =
      "\n        migrations.AddField(model_name='order', name='note', field=models.TextField(default=''), preserve_default=False),";
    for (const keystroke of keystrokes(SAMPLE_MIGRATION, '        ),', typed)) {
      const parsed = parseMigration(parser, keystroke.text);
      const context = JSON.stringify(keystroke.typedSoFar);
      assert.deepEqual(targets(parsed), ['AUTH_USER_MODEL', 'shop'], context);
      if (!quotesBalanced(keystroke.typedSoFar)) continue;
      const operations = types(parsed);
      assert.equal(operations[0], 'CreateModel', context);
      assert.equal(operations[operations.length - 1], 'RunPython', context);
      if (keystroke.typedSoFar.includes('AddField(')) assert.equal(operations[1], 'AddField', context);
    }
  });

  it('keeps the other dependencies while a new one is typed between them', () => {
    const typed = "\n        ('billing', '0003_invoice'),";
    for (const keystroke of keystrokes(SAMPLE_MIGRATION, 'swappable_dependency', typed)) {
      const parsed = parseMigration(parser, keystroke.text);
      const context = JSON.stringify(keystroke.typedSoFar);
      assert.deepEqual(types(parsed), ['CreateModel', 'RunPython'], context);
      // `('billing', '0003_invoice')` followed by `('shop', ...)` on the next line is a call in Python.
      if (!quotesBalanced(keystroke.typedSoFar) || keystroke.typedSoFar.endsWith(')')) continue;
      const found = targets(parsed);
      assert.equal(found[0], 'AUTH_USER_MODEL', context);
      assert.equal(found[found.length - 1], 'shop', context);
    }
  });

  it('reads the class when error recovery dissolves it into the module', () => {
    const text = SAMPLE_MIGRATION.slice(0, SAMPLE_MIGRATION.indexOf('auto_created=True') + 'auto_cr'.length);
    const tree = parser.parse(text);
    const dissolved = tree.rootNode.type === 'ERROR';
    tree.delete();
    assert.ok(dissolved, 'the grammar should leave no class_definition here');
    const parsed = parseMigration(parser, text);
    assert.equal(parsed.hasMigrationClass, true);
    assert.equal(parsed.initial, true);
    assert.deepEqual(targets(parsed), ['AUTH_USER_MODEL', 'shop']);
    assert.deepEqual(types(parsed), ['CreateModel']);
    assert.deepEqual(parsed.classNameRange, { start: { line: 11, character: 6 }, end: { line: 11, character: 15 } });
  });
});
