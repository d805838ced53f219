import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { runSqlmigrate } from '../../server/src/cli/sqlmigrateCommand';
import { DjangoRequestError } from '../../server/src/django/djangoErrors';
import { DjangoHelperProcess } from '../../server/src/django/djangoHelperProcess';
import { ManagePyResult, runManagePy } from '../support/runManagePy';
import {
  DJANGO_PYTHON,
  FIXTURE_ROOT,
  fixtureEnvironment,
  fixtureMigrations,
  scratchDirectory,
  SETTINGS_MODULE,
  withoutAddresses,
} from './commandsProject';
import { PostgresDatabase, startPostgresDatabase } from './postgresServer';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

async function cliSqlmigrate(
  databaseUrl: string,
  args: string[],
  common = ['--dir', FIXTURE_ROOT, '--python', DJANGO_PYTHON, '--settings', SETTINGS_MODULE],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new Collect();
  const err = new Collect();
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = databaseUrl;
  try {
    const code = await runSqlmigrate([...args, ...common], out, err);
    return { code, stdout: out.text, stderr: err.text };
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  }
}

/** The last line of a manage.py traceback, `module.Type: message`, as `Type: message`. */
function raisedLine(stderr: string): string {
  const last = stderr.trim().split('\n').pop() ?? '';
  return last.replace(/^[\w.]*\.(\w+: )/, '$1');
}

const MIGRATIONS = fixtureMigrations();

for (const vendor of ['sqlite', 'postgresql'] as const) {
  describe(`sqlmigrate equals manage.py sqlmigrate (${vendor})`, function () {
    this.timeout(120_000);
    let databaseUrl = '';
    let postgres: PostgresDatabase | undefined;
    let scratch: ReturnType<typeof scratchDirectory> | undefined;
    let helper: DjangoHelperProcess;
    const expected = new Map<string, ManagePyResult>();

    before(async function () {
      this.timeout(300_000);
      if (vendor === 'sqlite') {
        scratch = scratchDirectory('sqlmigrate-sqlite');
        databaseUrl = `sqlite:///${scratch.dir}/db.sqlite3`;
      } else {
        postgres = await startPostgresDatabase('sqlmigrate_parity');
        databaseUrl = postgres.url;
      }
      const environment = fixtureEnvironment(FIXTURE_ROOT, databaseUrl);
      helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0 });
      for (const [app, name] of MIGRATIONS) {
        for (const backwards of [false, true]) {
          const args = ['sqlmigrate', app, name, ...(backwards ? ['--backwards'] : [])];
          expected.set(`${app} ${name} ${backwards}`, await runManagePy(args, { trusted: true, environment }));
        }
      }
    });

    after(async () => {
      await helper?.dispose();
      await postgres?.stop();
      scratch?.cleanup();
    });

    it('reads the database the fixture was switched to', async () => {
      const { databases } = await helper.databases();
      assert.equal(databases.default.vendor, vendor);
    });

    for (const [app, name] of MIGRATIONS) {
      for (const backwards of [false, true]) {
        it(`${app} ${name}${backwards ? ' --backwards' : ''}`, async () => {
          const reference = expected.get(`${app} ${name} ${backwards}`);
          assert.ok(reference);
          const cli = await cliSqlmigrate(databaseUrl, [app, name, ...(backwards ? ['--backwards'] : [])]);
          if (reference.exitCode === 0) {
            assert.ok(reference.stdout.length > 0);
            assert.equal(cli.code, 0, cli.stderr);
            assert.equal(cli.stdout, reference.stdout);
            assert.equal(cli.stderr, reference.stderr);
            const answer = await helper.sqlmigrate({ app, name, backwards });
            assert.equal(answer.stdout, reference.stdout);
          } else {
            // Django raised (an irreversible operation backwards): same error, nothing on stdout.
            assert.equal(cli.code, 1);
            assert.equal(cli.stdout, '');
            assert.equal(reference.stdout, '');
            assert.equal(withoutAddresses(cli.stderr.trim()), withoutAddresses(raisedLine(reference.stderr)));
            await assert.rejects(helper.sqlmigrate({ app, name, backwards }), (error: unknown) => {
              assert.ok(error instanceof DjangoRequestError);
              assert.equal(withoutAddresses(`${error.type}: ${error.djangoMessage}`), withoutAddresses(raisedLine(reference.stderr)));
              return true;
            });
          }
        });
      }
    }

    it('reports an unknown migration as manage.py does', async () => {
      const environment = fixtureEnvironment(FIXTURE_ROOT, databaseUrl);
      const reference = await runManagePy(['sqlmigrate', 'catalog', '0099'], { trusted: true, environment });
      const cli = await cliSqlmigrate(databaseUrl, ['catalog', '0099']);
      assert.equal(reference.exitCode, 1);
      assert.equal(cli.code, 1);
      assert.equal(cli.stderr, reference.stderr);
      assert.match(cli.stderr, /^CommandError: Cannot find a migration matching '0099' from app 'catalog'/);
    });
  });
}

describe('sqlmigrate command line', () => {
  it('takes the settings module from manage.py when none is given', async function () {
    this.timeout(60_000);
    const scratch = scratchDirectory('sqlmigrate-manage');
    try {
      const databaseUrl = `sqlite:///${scratch.dir}/db.sqlite3`;
      const explicit = await cliSqlmigrate(databaseUrl, ['orders', '0002', '--backwards']);
      const fromManage = await cliSqlmigrate(
        databaseUrl,
        ['orders', '0002', '--backwards'],
        ['--dir', FIXTURE_ROOT, '--python', DJANGO_PYTHON],
      );
      assert.equal(fromManage.code, 0, fromManage.stderr);
      assert.equal(fromManage.stdout, explicit.stdout);
      assert.match(fromManage.stdout, /DROP VIEW orders_order_totals/);
    } finally {
      scratch.cleanup();
    }
  });

  it('rejects a wrong number of arguments as a usage error', async () => {
    const out = new Collect();
    const err = new Collect();
    assert.equal(await runSqlmigrate(['catalog'], out, err), 2);
    assert.match(err.text, /expected APP and NAME/);
    assert.equal(out.text, '');
  });

  it('says when there is no manage.py', async () => {
    const scratch = scratchDirectory('sqlmigrate-empty');
    try {
      const err = new Collect();
      assert.equal(await runSqlmigrate(['catalog', '0001', '--dir', scratch.dir], new Collect(), err), 1);
      assert.match(err.text, /no manage\.py/);
    } finally {
      scratch.cleanup();
    }
  });
});
