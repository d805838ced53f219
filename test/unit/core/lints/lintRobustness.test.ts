import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LINT_RULE_IDS } from '../../../../server/src/core/lints/ruleIds';
import { LINT_RULE_ID_SET } from '../../../../server/src/core/lints';
import { readLintConfiguration } from '../../../../server/src/core/lints/lintConfiguration';
import { fixturesDirectory } from '../../../support/repositoryPaths';
import { seededRandom } from '../../../support/seededRandom';
import { lintText, MYSQL_8, POSTGRES_10, SQLITE } from './lintText';

function migrationFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return migrationFiles(file);
    return file.includes(`${path.sep}migrations${path.sep}`) && entry.name.endsWith('.py') && entry.name !== '__init__.py' ? [file] : [];
  });
}

/** Half-typed migrations: every rule on every backend, never a throw, never a finding outside the text. */
describe('lint rules on half-typed files', () => {
  const everyRule = readLintConfiguration({ select: [...LINT_RULE_IDS] }, LINT_RULE_ID_SET).configuration;
  const random = seededRandom(14);
  for (const file of migrationFiles(fixturesDirectory).slice(0, 40)) {
    it(path.relative(fixturesDirectory, file), async () => {
      const text = fs.readFileSync(file, 'utf8');
      for (let cut = 0; cut < 6; cut++) {
        const prefix = text.slice(0, Math.floor(random() * text.length));
        const problems = await lintText(prefix, { configuration: everyRule, targets: [POSTGRES_10, MYSQL_8, SQLITE] });
        const lines = prefix.split('\n').length;
        for (const problem of problems) assert.ok(problem.range.end.line < lines, `${problem.code} beyond the text`);
      }
    });
  }
});
