import * as assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { createMigrationsDatabase } from '../../db/sqliteFiles';
import {
  appFiles,
  copyFixture,
  fixturesDirectory,
  managePy,
  migrationPy,
  projectFolder,
  settingsPy,
  temporaryFolder,
} from '../../support/projectFolder';
import { djangoPython, runCli } from './cliProcess';
import { TemporaryWorkspace } from '../temporaryWorkspace';

const APPLIED_AT = '2024-05-01 10:00:00.000000';

const fixture = (scenario: string) => path.join(fixturesDirectory, scenario);

interface JsonProblem {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

const GITHUB_ANNOTATION =
  /^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([a-z-]+)::(.+)$/;

describe('cli check', function () {
  describe('exit codes', function () {
    it('exits 0 on a clean project (linear)', async function () {
      const result = await runCli(['check', fixture('linear')]);
      assert.deepEqual(result, { code: 0, stdout: '0 problem(s), 0 error(s)\n', stderr: '' });
    });

    it('exits 0 when there are only warnings (run_python_run_sql)', async function () {
      const result = await runCli(['check', fixture('run_python_run_sql')]);
      assert.equal(result.code, 0);
      assert.match(result.stdout, / warning \[irreversible-operation\] /);
      assert.match(result.stdout, /\n2 problem\(s\), 0 error\(s\)\n$/);
    });

    it('exits 1 when there is an error (conflict)', async function () {
      const result = await runCli(['check', fixture('conflict')]);
      assert.equal(result.code, 1);
      assert.equal(result.stderr, '');
    });

    it('exits 2 on a usage error, printing nothing on stdout', async function () {
      const results = await Promise.all([
        runCli(['check', fixture('linear'), '--format', 'xml']),
        runCli(['check', fixture('linear'), '--bogus']),
        runCli(['check', fixture('linear'), '--format']),
      ]);
      for (const result of results) {
        assert.equal(result.code, 2, result.stderr);
        assert.equal(result.stdout, '');
        assert.match(result.stderr, /^check: /);
      }
      assert.match(results[0].stderr, /--format must be one of text, json, github/);
    });

    it('does not pass a folder that does not exist', async function () {
      const result = await runCli(['check', path.join(temporaryFolder(), 'no-such-folder')]);
      assert.notEqual(result.code, 0, 'a mistyped path must not look like a clean project');
      assert.match(result.stderr, /no-such-folder/);
    });

    it('refuses a --database-url it cannot read', async function () {
      const result = await runCli(['check', fixture('linear'), '--database-url', 'not a url']);
      assert.equal(result.code, 2, 'a malformed option value is a usage error');
      assert.match(result.stderr, /database/i);
    });
  });

  describe('formats', function () {
    it('prints text: one `file:line:column: severity [code] message` line per problem, then a count', async function () {
      const result = await runCli(['check', fixture('conflict'), '--format', 'text']);
      const lines = result.stdout.trimEnd().split('\n');
      assert.deepEqual(
        lines.slice(0, 2).map((line) => line.split(' [')[0]),
        ['shop/migrations/0002_product_price.py:6:7: error', 'shop/migrations/0002_product_sku.py:6:7: error'],
      );
      assert.match(
        lines[0],
        /^shop\/migrations\/0002_product_price\.py:6:7: error \[conflicting-leaves\] Conflicting migrations in shop: 0002_product_price, 0002_product_sku /,
      );
      assert.equal(lines[2], '2 problem(s), 2 error(s)');
      assert.equal(lines.length, 3);
    });

    it('prints JSON: an array of problems with 1-based positions and paths relative to DIR', async function () {
      const result = await runCli(['check', fixture('missing_dependency'), '--format', 'json']);
      assert.equal(result.code, 1);
      const problems = JSON.parse(result.stdout) as JsonProblem[];
      assert.ok(Array.isArray(problems));
      for (const problem of problems) {
        assert.deepEqual(Object.keys(problem).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
        assert.ok(!path.isAbsolute(problem.file) && !problem.file.includes('\\'), problem.file);
        assert.ok(problem.line >= 1 && problem.column >= 1);
      }
      const missing = problems.find((problem) => problem.code === 'missing-dependency');
      assert.deepEqual(missing && { ...missing, message: undefined }, {
        file: 'shop/migrations/0003_order.py',
        line: 12,
        column: 9,
        endLine: 12,
        endColumn: 39,
        severity: 'error',
        code: 'missing-dependency',
        message: undefined,
      });
      assert.match(missing!.message, /nonexistent parent node \('shop', '0002_product_price'\)/);
    });

    it('prints an empty JSON array for a clean project', async function () {
      const result = await runCli(['check', fixture('linear'), '--format', 'json']);
      assert.deepEqual({ code: result.code, problems: JSON.parse(result.stdout) }, { code: 0, problems: [] });
    });

    it('prints GitHub annotations: ::error, ::warning and ::notice with file and position', async function () {
      const [errors, warnings, information] = await Promise.all(
        ['conflict', 'run_python_run_sql', 'squash_replaced_deleted'].map((scenario) =>
          runCli(['check', fixture(scenario), '--format', 'github']),
        ),
      );
      const annotations = (stdout: string) =>
        stdout
          .trimEnd()
          .split('\n')
          .map((line) => GITHUB_ANNOTATION.exec(line));
      for (const output of [errors, warnings, information]) {
        for (const [index, match] of annotations(output.stdout).entries()) assert.ok(match, `annotation ${index}: ${output.stdout}`);
      }
      assert.equal(errors.code, 1);
      assert.ok(
        errors.stdout.startsWith(
          '::error file=shop/migrations/0002_product_price.py,line=6,col=7,endLine=6,endColumn=16,title=conflicting-leaves::Conflicting migrations in shop',
        ),
        errors.stdout,
      );
      assert.deepEqual(
        annotations(warnings.stdout).map((m) => [m![1], m![2], m![7]]),
        [
          ['warning', 'ledger/migrations/0002_seed_accounts.py', 'irreversible-operation'],
          ['warning', 'ledger/migrations/0003_balance_index.py', 'irreversible-operation'],
        ],
      );
      assert.deepEqual(
        annotations(information.stdout).map((m) => [m![1], m![2], m![7]]),
        [
          ['notice', 'shop/migrations/0001_squashed_0003_product_sku.py', 'unfinished-squash'],
          ['warning', 'shop/migrations/0004_order.py', 'dependency-on-replaced-migration'],
        ],
      );
      assert.equal(information.code, 0);
    });

    it('escapes GitHub annotation properties: a comma in a migration file name', async function () {
      // Django loads `0002_product,sku.py` (pkgutil only rejects dots); the runner splits properties on commas.
      const folder = copyFixture('conflict');
      renameSync(
        path.join(folder, 'shop', 'migrations', '0002_product_sku.py'),
        path.join(folder, 'shop', 'migrations', '0002_product,sku.py'),
      );
      const result = await runCli(['check', folder, '--format', 'github']);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /^::error file=shop\/migrations\/0002_product%2Csku\.py,line=6,col=7,/m);
    });

    it('prints nothing for a clean project in GitHub format', async function () {
      assert.deepEqual(await runCli(['check', fixture('linear'), '--format', 'github']), { code: 0, stdout: '', stderr: '' });
    });
  });

  describe('paths', function () {
    it('makes paths relative to DIR, wherever it is run from', async function () {
      const [relative, fromInside] = await Promise.all([
        runCli(['check', 'conflict', '--format', 'json'], fixturesDirectory),
        runCli(['check', '--format', 'json'], fixture('conflict')),
      ]);
      for (const result of [relative, fromInside]) {
        assert.equal(result.code, 1);
        assert.deepEqual(
          (JSON.parse(result.stdout) as JsonProblem[]).map((p) => p.file),
          ['shop/migrations/0002_product_price.py', 'shop/migrations/0002_product_sku.py'],
        );
      }
    });

    it('checks every project below DIR, naming files from DIR', async function () {
      const result = await runCli(['check', fixturesDirectory, '--format', 'json']);
      assert.equal(result.code, 1);
      const files = new Set((JSON.parse(result.stdout) as JsonProblem[]).map((p) => p.file));
      assert.ok(files.has('conflict/shop/migrations/0002_product_sku.py'));
      assert.ok(files.has('cycle/books/migrations/0001_initial.py'));
      assert.ok(![...files].some((file) => file.startsWith('linear/')));
    });
  });

  describe('options', function () {
    it('reads the settings module given by --settings instead of manage.py', async function () {
      const folder = projectFolder({
        'manage.py': managePy('settings'),
        'settings.py': settingsPy(['shop', 'blog']),
        'only_blog.py': settingsPy(['blog']),
        ...appFiles('shop', { '0001_initial': migrationPy() }),
        ...appFiles('blog', { '0001_initial': migrationPy([['shop', '0001_initial']]) }),
      });
      const [plain, other] = await Promise.all([
        runCli(['check', folder, '--format', 'json']),
        runCli(['check', folder, '--format', 'json', '--settings', 'only_blog']),
      ]);
      assert.deepEqual([plain.code, JSON.parse(plain.stdout)], [0, []]);
      assert.equal(other.code, 1);
      assert.deepEqual(
        (JSON.parse(other.stdout) as JsonProblem[]).map((p) => [p.file, p.code]),
        [['blog/migrations/0001_initial.py', 'missing-dependency']],
      );
    });

    it('checks dependencies on installed apps outside the project only with --python', async function () {
      const folder = projectFolder({
        'manage.py': managePy('settings'),
        'settings.py': settingsPy(['django.contrib.contenttypes', 'django.contrib.auth', 'shop']),
        ...appFiles('shop', { '0001_initial': migrationPy([['auth', '0099_not_in_django']]) }),
      });
      const [without, withPython] = await Promise.all([
        runCli(['check', folder, '--format', 'json']),
        runCli(['check', folder, '--format', 'json', '--python', djangoPython]),
      ]);
      assert.deepEqual([without.code, JSON.parse(without.stdout)], [0, []]);
      assert.equal(withPython.code, 1, withPython.stderr);
      const problems = (JSON.parse(withPython.stdout) as JsonProblem[]).filter((p) => p.code === 'missing-dependency');
      assert.deepEqual(
        problems.map((p) => p.file),
        ['shop/migrations/0001_initial.py'],
      );
      assert.match(problems[0].message, /\('auth', '0099_not_in_django'\)/);
    });

    it('reports problems of the project only, not of the installed apps read through --python', async function () {
      const folder = projectFolder({
        'manage.py': managePy('settings'),
        'settings.py': settingsPy(['django.contrib.contenttypes', 'django.contrib.auth', 'shop']),
        ...appFiles('shop', { '0001_initial': migrationPy([['auth', '0099_not_in_django']]) }),
      });
      const result = await runCli(['check', folder, '--format', 'json', '--python', djangoPython]);
      // The dependency on a missing auth migration makes a dummy auth node; it must not surface as
      // a conflict in Django's own auth/migrations/0012_... (a file outside DIR, not annotatable).
      assert.deepEqual(
        (JSON.parse(result.stdout) as JsonProblem[]).map((p) => [p.file, p.code]),
        [['shop/migrations/0001_initial.py', 'missing-dependency']],
      );
    });

    it('judges a squash by the --database-url database: partly applied with its replaced files gone is an error (squash_replaced_deleted)', async function () {
      const folder = fixture('squash_replaced_deleted');
      const databases = temporaryFolder();
      const partly = createMigrationsDatabase(path.join(databases, 'partly.sqlite3'), [['shop', '0001_initial', APPLIED_AT]]);
      const fully = createMigrationsDatabase(
        path.join(databases, 'fully.sqlite3'),
        ['0001_initial', '0002_product_price', '0003_product_sku'].map((name) => ['shop', name, APPLIED_AT] as const),
      );
      const [none, whole, part] = await Promise.all(
        [undefined, fully, partly].map((database) =>
          runCli(['check', folder, '--format', 'json', ...(database ? ['--database-url', `sqlite:///${database}`] : [])]),
        ),
      );
      assert.equal(none.code, 0, none.stdout);
      assert.equal(whole.code, 0, whole.stdout);
      // Django: NodeNotFoundError, shop.0004_order depends on the deleted 0003_product_sku that the
      // squash could not replace.
      assert.equal(part.code, 1, part.stdout);
      assert.deepEqual(
        (JSON.parse(part.stdout) as JsonProblem[]).filter((p) => p.severity === 'error').map((p) => [p.file, p.code]),
        [['shop/migrations/0004_order.py', 'missing-dependency']],
      );
    });

    it('warns about dependencies on replaced migrations only outside the squash (squashed)', async function () {
      const result = await runCli(['check', fixture('squashed'), '--format', 'json']);
      assert.deepEqual(
        (JSON.parse(result.stdout) as JsonProblem[]).filter((p) => p.code === 'dependency-on-replaced-migration').map((p) => p.file),
        ['reports/migrations/0001_initial.py', 'shop/migrations/0004_order.py'],
        'the replaced migrations themselves are deleted when the squash is finished: nothing to change there',
      );
    });
  });
});

describe('cli check: missing migrations, as makemigrations --check', function () {
  let workspace: TemporaryWorkspace;

  before(async function () {
    workspace = await TemporaryWorkspace.create();
  });

  after(async function () {
    await workspace?.dispose();
  });

  it('exits 0 when the models match their migrations', async function () {
    const result = await runCli(['check', fixture('models_changes')]);
    assert.equal(result.code, 0);
    assert.doesNotMatch(result.stdout, /missing-migration/);
  });

  it('exits 1 and names the migration when a model changed', async function () {
    const project = await workspace.copyFixture('models_changes');
    const models = path.join(project, 'shop', 'models.py');
    const text = await fs.readFile(models, 'utf8');
    await fs.writeFile(
      models,
      text.replace(
        '    percent = models.PositiveSmallIntegerField(default=10)',
        '    percent = models.PositiveSmallIntegerField(default=15)',
      ),
    );
    const result = await runCli(['check', project]);
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /shop\/models\.py:\d+:\d+: error \[missing-migration\] No migration yet: Alter field percent on coupon, in 0004_alter_coupon_percent\./,
    );
  });

  it("names a migration of several operations as the project's Django would: auto_… by 3.2's rule, joined from 4.0", async () => {
    const project = await workspace.copyFixture('models_changes');
    const models = path.join(project, 'shop', 'models.py');
    const text = await fs.readFile(models, 'utf8');
    await fs.writeFile(
      models,
      text
        .replace('    percent = models.PositiveSmallIntegerField(default=10)', '    percent = models.PositiveSmallIntegerField(default=15)')
        .replace('    label = models.SlugField()', '    label = models.SlugField(max_length=80)'),
    );
    const unknown = await runCli(['check', project]);
    assert.match(unknown.stdout, /in 0004_auto_\d{8}_\d{4} \(with 1 other operation\)/);
    const known = await runCli(['check', project, '--django-version', '4.2']);
    assert.equal(known.code, 1);
    assert.match(known.stdout, /in 0004_alter_coupon_percent_alter_tag_label \(with 1 other operation\)/);
  });
});
