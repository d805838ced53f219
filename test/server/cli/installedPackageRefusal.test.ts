import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { copyFixture, temporaryFolder } from '../../support/projectFolder';
import { djangoLibrary } from '../../support/testDjango';
import { djangoPython, runCli } from './cliProcess';

/** Every source file of a folder with its text, to prove a refused refactoring wrote nothing. */
function snapshot(folder: string): Map<string, string> {
  return new Map(
    readdirSync(folder, { recursive: true, withFileTypes: true })
      // Python may cache compiled modules there; only the sources matter.
      .filter((entry) => entry.isFile() && !entry.parentPath.split(path.sep).includes('__pycache__'))
      .map((entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return [file, readFileSync(file, 'utf8')];
      }),
  );
}

/** A refactoring that would change a migration outside the project (an installed package) is refused, saying why. */
describe('cli: refactorings refuse migrations of installed packages', function () {
  this.timeout(60_000);

  it("refuses to rename django.contrib.auth's migration, naming the file that is not the project's, and writes nothing", async () => {
    const project = copyFixture('swappable_contrib_auth');
    const auth = path.join(djangoLibrary, 'django', 'contrib', 'auth', 'migrations');
    const before = snapshot(auth);
    const result = await runCli(['rename', 'auth', '0001_initial', '0001_start', '--apply', '--dir', project, '--python', djangoPython]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /Refused:/);
    assert.ok(
      result.stdout.includes(`${path.join(auth, '0001_initial.py')} is not a file of this project`),
      `the reason names the installed file:\n${result.stdout}`,
    );
    assert.deepEqual(snapshot(auth), before);
    assert.ok(existsSync(path.join(auth, '0001_initial.py')));
  });

  it('refuses to finish the squash of an app installed from outside the project, naming each file, and writes nothing', async () => {
    // The squashed fixture's shop app moved out of the project folder, importable through PYTHONPATH
    // as an installed package is.
    const project = copyFixture('squashed');
    const packages = temporaryFolder('installed');
    const shop = path.join(packages, 'shop');
    renameSync(path.join(project, 'shop'), shop);
    const before = snapshot(shop);
    const projectBefore = snapshot(project);
    const result = await runCli(
      ['finish-squash', 'shop', '0001_squashed_0003_product_sku', '--apply', '--dir', project, '--python', djangoPython],
      project,
      { ...process.env, PYTHONPATH: packages },
    );
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const migrations = path.join(shop, 'migrations');
    for (const name of ['0001_squashed_0003_product_sku', '0001_initial', '0002_product_price', '0003_product_sku'])
      assert.ok(
        result.stdout.includes(`${path.join(migrations, `${name}.py`)} is not a file of this project`),
        `the reason names ${name}:\n${result.stdout}`,
      );
    assert.deepEqual(snapshot(shop), before);
    assert.deepEqual(snapshot(project), projectBefore);
  });
});
