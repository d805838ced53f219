import * as assert from 'node:assert/strict';
import { Problem } from '../../../../server/src/core/problem';
import { applyFix } from './applyFix';
import { codes, lintText, migrationText } from './lintText';

const TITLE = /^Define it as /;
const run = (functions: string, code = 'forwards') => migrationText(`        migrations.RunPython(${code}, elidable=True),`, { functions });
const offered = (problems: Problem[]) => (problems[0]?.fixes ?? []).some((f) => 'title' in f && TITLE.test(f.title));

describe('run-python-signature: the signature quick fix', () => {
  it('gives a one- or no-argument function the (apps, schema_editor) Django calls it with, keeping its first name', async () => {
    for (const [before, after] of [
      ['def forwards(apps):\n    pass\n\n\n', 'def forwards(apps, schema_editor):\n    pass\n\n\n'],
      ['def forwards(registry):\n    pass\n\n\n', 'def forwards(registry, schema_editor):\n    pass\n\n\n'],
      ['def forwards():\n    pass\n\n\n', 'def forwards(apps, schema_editor):\n    pass\n\n\n'],
    ]) {
      const problems = await lintText(run(before));
      assert.deepEqual(codes(problems), ['run-python-signature'], before);
      const fixed = applyFix(run(before), problems[0], TITLE);
      assert.equal(fixed, run(after));
      assert.deepEqual(codes(await lintText(fixed)), []);
    }
  });

  it('offers nothing where the body needs other arguments or the parameters are not plain names', async () => {
    for (const functions of [
      'def forwards(a, b, c):\n    pass\n\n\n',
      'def forwards(apps: object):\n    pass\n\n\n',
      'def forwards(\n    apps,  # the registry\n):\n    pass\n\n\n',
      'def forwards(schema_editor):\n    pass\n\n\n',
    ]) {
      const problems = await lintText(run(functions));
      assert.deepEqual(codes(problems), ['run-python-signature'], functions);
      assert.equal(offered(problems), false, functions);
    }
  });
});
