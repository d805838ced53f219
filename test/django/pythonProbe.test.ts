import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDjangoVersion } from '../../server/src/core/djangoVersion';
import { probePythonEnvironment } from '../../server/src/django/pythonSysPath';
import { loadProjects } from '../../server/src/project/projectLoader';
import { djangoPython, testDjangoSeries } from '../support/testDjango';
import { DjangoProject } from './djangoProject';
import { scratchDirectory } from './commandsProject';

describe('the interpreter probe: import path and Django version, without importing Django', function () {
  this.timeout(60_000);
  let scratch: ReturnType<typeof scratchDirectory>;
  before(() => (scratch = scratchDirectory('python-probe')));
  after(() => scratch.cleanup());

  it("reports the selected interpreter's Django release", async () => {
    const probe = await probePythonEnvironment(djangoPython, scratch.dir, '');
    assert.equal(probe?.djangoVersion, testDjangoSeries);
  });

  it('puts PYTHONPATH first although -I drops it, relative entries from the folder', async () => {
    const probe = await probePythonEnvironment(djangoPython, scratch.dir, ['vendor', '/opt/site'].join(path.delimiter));
    assert.deepEqual(probe?.sysPath.slice(0, 2), [path.join(scratch.dir, 'vendor'), '/opt/site']);
  });

  it("finds the Django a PYTHONPATH entry holds before the interpreter's own", async () => {
    const vendored = path.join(scratch.dir, 'vendored', 'django');
    mkdirSync(vendored, { recursive: true });
    writeFileSync(path.join(vendored, '__init__.py'), "raise SystemExit('never imported')\nVERSION = (4, 1, 0, 'final', 0)\n");
    const probe = await probePythonEnvironment(djangoPython, scratch.dir, 'vendored');
    assert.equal(probe?.djangoVersion, '4.1');
  });

  it("gives a loaded project its interpreter's version over the setting", async () => {
    const project = await DjangoProject.fromFixture('linear');
    try {
      const [loaded] = await loadProjects(project.dir, { trusted: true, pythonPath: djangoPython, djangoVersion: { major: 9, minor: 9 } });
      assert.deepEqual(loaded.djangoVersion, parseDjangoVersion(testDjangoSeries));
      const [untrusted] = await loadProjects(project.dir, {
        trusted: false,
        pythonPath: djangoPython,
        djangoVersion: { major: 4, minor: 2 },
      });
      assert.deepEqual(untrusted.djangoVersion, { major: 4, minor: 2 });
      const [unset] = await loadProjects(project.dir, { trusted: false });
      assert.deepEqual(unset.djangoVersion, { major: 5, minor: 2 });
    } finally {
      await project.remove();
    }
  });
});
