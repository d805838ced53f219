import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { runSqlmigrate } from '../../server/src/cli/sqlmigrateCommand';
import { checkDjangoImport } from '../../server/src/django/djangoImportCheck';
import { DjangoImportError, PythonNotFoundError, UntrustedWorkspaceError } from '../../server/src/django/djangoErrors';
import { DjangoHelperProcess } from '../../server/src/django/djangoHelperProcess';
import { DjangoHelpers } from '../../server/src/django/djangoHelpers';
import { resolvePythonEnvironment } from '../../server/src/django/pythonEnvironment';
import { runManagePy } from '../support/runManagePy';
import { copyFixture, DJANGO_PYTHON, fixtureEnvironment, FIXTURE_ROOT, scratchDirectory, SETTINGS_MODULE } from './commandsProject';
import { countSpawns } from './spawnCounter';
import { installedDjangoVersion } from '../support/testDjango';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

describe('untrusted workspace', () => {
  it("refuses every way of running the project's Python, and starts no process", async () => {
    const environment = fixtureEnvironment(FIXTURE_ROOT, 'sqlite:////nonexistent/db.sqlite3');
    const spawns = countSpawns();
    try {
      assert.throws(
        () => new DjangoHelperProcess({ trusted: false, environment }),
        (error: unknown) => {
          assert.ok(error instanceof UntrustedWorkspaceError);
          assert.match(error.message, /workspace is not trusted/);
          return true;
        },
      );
      const helpers = new DjangoHelpers({ trusted: false });
      assert.throws(() => helpers.get(environment), UntrustedWorkspaceError);
      await assert.rejects(runManagePy(['migrate', '--noinput'], { trusted: false, environment }), (error: unknown) => {
        assert.ok(error instanceof UntrustedWorkspaceError);
        assert.match(error.message, /run manage\.py migrate/);
        return true;
      });
      await assert.rejects(runManagePy(['migrate'], { trusted: false, environment, signal: AbortSignal.abort() }), UntrustedWorkspaceError);
      await assert.rejects(checkDjangoImport(environment, { trusted: false }), UntrustedWorkspaceError);
      assert.equal(spawns.count(), 0);
    } finally {
      spawns.restore();
    }
  });
});

describe('an interpreter without Django', function () {
  this.timeout(60_000);
  let scratch: ReturnType<typeof scratchDirectory>;
  let root: string;
  let venvPython: string;

  before(() => {
    scratch = scratchDirectory('django-import');
    root = copyFixture(path.join(scratch.dir, 'project'));
    // A virtual environment without the system's site-packages, where Debian's Django lives.
    execFileSync(DJANGO_PYTHON, ['-m', 'venv', '--without-pip', path.join(root, '.venv')]);
    venvPython = path.join(root, '.venv', 'bin', 'python');
  });

  after(() => scratch.cleanup());

  it('is the project virtual environment, chosen when no interpreter is given', () => {
    const environment = resolvePythonEnvironment({ projectRoot: root, settingsModule: SETTINGS_MODULE });
    assert.equal(environment.python, venvPython);
    assert.equal(environment.pythonSource, 'virtualEnvironment');
    assert.equal(environment.env.VIRTUAL_ENV, path.join(root, '.venv'));
  });

  it('makes the import check say which interpreter and what to do', async () => {
    const environment = resolvePythonEnvironment({ projectRoot: root, settingsModule: SETTINGS_MODULE });
    const check = await checkDjangoImport(environment, { trusted: true });
    assert.equal(check.ok, false);
    assert.ok(!check.ok);
    assert.equal(check.reason, 'djangoNotImportable');
    assert.ok(check.message.includes(venvPython), check.message);
    assert.match(check.message, /ModuleNotFoundError: No module named 'django'/);
    assert.match(check.message, /djangoMigrations\.python\.path/);

    const withDjango = await checkDjangoImport(fixtureEnvironment(root, 'sqlite:////tmp/unused.sqlite3'), { trusted: true });
    assert.ok(withDjango.ok);
    assert.equal(withDjango.djangoVersion, installedDjangoVersion());
  });

  it('makes the helper fail with DjangoImportError naming the interpreter', async () => {
    const environment = resolvePythonEnvironment({ projectRoot: root, settingsModule: SETTINGS_MODULE });
    const helper = new DjangoHelperProcess({ trusted: true, environment });
    try {
      await assert.rejects(helper.databases(), (error: unknown) => {
        assert.ok(error instanceof DjangoImportError);
        assert.equal(error.python, venvPython);
        assert.match(error.importError, /^ModuleNotFoundError: No module named 'django'/);
        assert.ok(error.message.startsWith(`Django cannot be imported by ${venvPython}: `), error.message);
        return true;
      });
    } finally {
      await helper.dispose();
    }
  });

  it('makes the sqlmigrate command exit 1 with that message', async () => {
    const out = new Collect();
    const err = new Collect();
    const code = await runSqlmigrate(['catalog', '0001', '--dir', root, '--settings', SETTINGS_MODULE], out, err);
    assert.equal(code, 1);
    assert.equal(out.text, '');
    assert.match(err.text, /^Django cannot be imported by .*\.venv\/bin\/python: ModuleNotFoundError: No module named 'django'/);
  });

  it('reports an interpreter that does not exist', async () => {
    const missing = path.join(scratch.dir, 'no-such-python');
    const environment = resolvePythonEnvironment({ projectRoot: root, pythonPath: missing, settingsModule: SETTINGS_MODULE });
    const check = await checkDjangoImport(environment, { trusted: true });
    assert.ok(!check.ok);
    assert.equal(check.reason, 'interpreterNotFound');
    assert.ok(check.message.includes(missing));
    const helper = new DjangoHelperProcess({ trusted: true, environment });
    try {
      await assert.rejects(helper.databases(), PythonNotFoundError);
    } finally {
      await helper.dispose();
    }
    await assert.rejects(runManagePy(['check'], { trusted: true, environment }), PythonNotFoundError);
  });
});
