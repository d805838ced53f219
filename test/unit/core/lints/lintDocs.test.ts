import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LINT_RULES } from '../../../../server/src/core/lints';
import { repositoryRoot } from '../../../support/repositoryPaths';

describe('docs/lints.md', () => {
  const page = readFileSync(path.join(repositoryRoot, 'docs', 'lints.md'), 'utf8');

  it('lists every rule in its table, in the order the engine runs them, each with its default and a section of its own', () => {
    const rows = [...page.matchAll(/^\| `([a-z-]+)` \| ([^|]+) \|/gm)].map((match) => [match[1], match[2].trim()]);
    assert.deepEqual(
      rows.map(([id]) => id),
      LINT_RULES.map((rule) => rule.id),
    );
    for (const rule of LINT_RULES) {
      const [, defaults] = rows.find(([id]) => id === rule.id)!;
      assert.ok(defaults.includes(rule.severity === 'error' ? '**error**' : rule.severity), `${rule.id}: ${defaults}`);
      assert.equal(defaults.includes('opt-in'), rule.optIn === true, `${rule.id}: ${defaults}`);
      const headings = [...page.matchAll(/^### (.+)$/gm)].map((match) => match[1]);
      assert.ok(
        headings.some((heading) => heading.split(/[ ,]+/).includes(rule.id)),
        `${rule.id} has a section: ${headings.join(' | ')}`,
      );
    }
  });
});
