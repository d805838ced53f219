import * as assert from 'node:assert/strict';
import { readLintConfiguration } from '../../../../server/src/core/lints/lintConfiguration';
import { LINT_RULE_ID_SET } from '../../../../server/src/core/lints';
import { applyFix } from './applyFix';
import { codes, lintText, migrationText } from './lintText';

const configuration = readLintConfiguration({ select: ['run-python-not-elidable'] }, LINT_RULE_ID_SET).configuration;
const functions = 'def forwards(apps, schema_editor):\n    pass\n\n\ndef backwards(apps, schema_editor):\n    pass\n\n\n';

describe('run-python-not-elidable: the elidable quick fix', () => {
  it('adds elidable=True after the last argument; the finding goes', async () => {
    const text = migrationText('        migrations.RunPython(forwards, backwards),', { functions });
    const [problem] = await lintText(text, { configuration });
    assert.equal(problem.code, 'run-python-not-elidable');
    const fixed = applyFix(text, problem, /elidable=True/);
    assert.equal(fixed, migrationText('        migrations.RunPython(forwards, backwards, elidable=True),', { functions }));
    assert.deepEqual(codes(await lintText(fixed, { configuration })), []);
  });

  it('offers nothing when an argument is spread', async () => {
    const text = migrationText('        migrations.RunPython(forwards, **options),', { functions });
    const [problem] = await lintText(text, { configuration });
    assert.equal(problem.code, 'run-python-not-elidable');
    assert.ok(!(problem.fixes ?? []).some((f) => 'title' in f && /elidable=True/.test(f.title)));
  });
});
