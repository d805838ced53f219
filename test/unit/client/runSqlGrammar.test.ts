import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixturesDirectory, repositoryRoot } from '../../django/djangoProject';

interface GrammarRule {
  readonly include?: string;
  readonly match?: string;
  readonly begin?: string;
  readonly end?: string;
  readonly contentName?: string;
  readonly patterns?: readonly GrammarRule[];
}

interface Grammar {
  readonly scopeName: string;
  readonly injectionSelector: string;
  readonly patterns: readonly GrammarRule[];
  readonly repository: Readonly<Record<string, GrammarRule>>;
}

const GRAMMAR_PATH = 'syntaxes/runsql.injection.tmLanguage.json';
const grammar = JSON.parse(readFileSync(path.join(repositoryRoot, GRAMMAR_PATH), 'utf8')) as Grammar;

/** Rules of a pattern list with repository includes expanded; other grammars (source.python, source.sql) are left to them. */
function expand(patterns: readonly GrammarRule[] = []): GrammarRule[] {
  return patterns.flatMap((rule) => {
    if (!rule.include) return [rule];
    if (!rule.include.startsWith('#')) return [];
    const target = grammar.repository[rule.include.slice(1)];
    assert.ok(target, `${rule.include} is not in the repository`);
    return target.begin || target.match ? [target] : expand(target.patterns);
  });
}

function search(source: string, text: string, from: number): RegExpExecArray | null {
  const expression = new RegExp(source, 'g');
  expression.lastIndex = from;
  return expression.exec(text);
}

/**
 * The text spans the grammar marks `meta.embedded.inline.sql`, found the way a TextMate engine
 * walks begin/end rules: at each point the earliest match wins, the end pattern first on a tie.
 * What the grammar leaves to source.python and source.sql is skipped over.
 */
function embeddedSql(text: string): string[] {
  const found: string[] = [];
  const stack: { rule: GrammarRule; contentStart: number }[] = [];
  let position = 0;
  while (position < text.length) {
    const top = stack[stack.length - 1];
    const candidates: { match: RegExpExecArray; rule?: GrammarRule }[] = [];
    if (top) {
      const end = search(top.rule.end!, text, position);
      if (end) candidates.push({ match: end });
    }
    for (const rule of top ? expand(top.rule.patterns) : expand(grammar.patterns)) {
      const match = search((rule.begin ?? rule.match)!, text, position);
      if (match) candidates.push({ match, rule });
    }
    if (candidates.length === 0) break;
    // Stable sort: the end pattern, listed first, wins a tie.
    const next = candidates.sort((a, b) => a.match.index - b.match.index)[0];
    const after = next.match.index + next.match[0].length;
    if (!next.rule) {
      const closed = stack.pop()!;
      if (closed.rule.contentName === 'meta.embedded.inline.sql') found.push(text.slice(closed.contentStart, next.match.index));
    } else if (next.rule.begin) {
      stack.push({ rule: next.rule, contentStart: after });
    }
    position = Math.max(after, next.match[0].length === 0 ? position + 1 : after);
  }
  return found;
}

describe('SQL highlighting inside RunSQL (TextMate injection grammar)', () => {
  it('is contributed for Python, embedding the sql language', () => {
    const manifest = JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8'));
    const contribution = manifest.contributes.grammars.find((entry: { path: string }) => entry.path === `./${GRAMMAR_PATH}`);
    assert.deepEqual(contribution, {
      scopeName: grammar.scopeName,
      path: `./${GRAMMAR_PATH}`,
      injectTo: ['source.python'],
      embeddedLanguages: { 'meta.embedded.inline.sql': 'sql' },
    });
    assert.equal(grammar.injectionSelector, 'L:source.python -comment -string');
  });

  it("marks every statement of the fixture's RunSQL, forwards and reverse, and nothing else", () => {
    const read = (file: string) => readFileSync(path.join(fixturesDirectory, 'commands_project', file), 'utf8');
    assert.deepEqual(embeddedSql(read('orders/migrations/0002_order_totals_view.py')), [
      'CREATE VIEW orders_order_totals AS ',
      'SELECT order_id, SUM(quantity) AS quantity FROM orders_orderline GROUP BY order_id',
      'INSERT INTO catalog_category (name) VALUES (%s)',
      'Gifts',
      'DELETE FROM catalog_category WHERE name = %s',
      'Gifts',
      'DROP VIEW orders_order_totals',
    ]);
    assert.deepEqual(embeddedSql(read('reviews/migrations/0003_default_review_text.py')), [
      "UPDATE reviews_review SET text = 'Très bien' WHERE text = '' AND rating = 5",
    ]);
    assert.deepEqual(embeddedSql(read('catalog/migrations/0001_initial.py')), []);
  });

  it('handles triple quotes, prefixes, escapes, nested calls, state_operations and hints', () => {
    const source = [
      "name = 'not sql'",
      'operations = [',
      '    migrations.RunSQL(',
      '        sql=textwrap.dedent("""',
      '            CREATE INDEX "a(b" ON t (x);',
      '        """),',
      "        reverse_sql=r'DROP INDEX \\'a(b\\'',",
      "        state_operations=[migrations.AddField('shop', name='x', field=models.IntegerField())],",
      "        hints={'target_db': 'default'},",
      '    ),',
      "    migrations.RunSQL('''SELECT 1''', migrations.RunSQL.noop),",
      "    migrations.AlterField(model_name='order', name='status'),",
      ']',
    ].join('\n');
    assert.deepEqual(embeddedSql(source), ['\n            CREATE INDEX "a(b" ON t (x);\n        ', "DROP INDEX \\'a(b\\'", 'SELECT 1']);
  });
});
