import * as assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeLens, CodeLensRequest, DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { ManagePyResult, runManagePy } from '../support/runManagePy';
import {
  COMMAND_TARGETS_REQUEST,
  CommandTargets,
  DATA_MIGRATION_SCAFFOLD_REQUEST,
  DATABASES_REQUEST,
  DataMigrationScaffoldAnswer,
  DatabasesAnswer,
  DjangoAnswer,
  MAKEMIGRATIONS_PREVIEW_REQUEST,
  MAKEMIGRATIONS_REQUEST,
  MakemigrationsPreviewAnswer,
  PLAN_REQUEST,
  PlanAnswer,
  SQLMIGRATE_REQUEST,
  SqlmigrateAnswer,
  SqlmigrateRequestParams,
} from '../../protocol/index';
import { DJANGO_PYTHON, copyFixture, fixtureEnvironment, fixtureMigrations, scratchDirectory, withoutAddresses } from './commandsProject';
import { PostgresDatabase, startPostgresDatabase } from './postgresServer';
import { fixturesDirectory } from './djangoProject';
import { fileUri, LspClient } from '../server/lspClient';

const MIGRATIONS = fixtureMigrations();

/** The last line of a manage.py traceback, `module.Type: message`, as `Type: message`. */
function raisedLine(stderr: string): string {
  const last = stderr.trim().split('\n').pop() ?? '';
  return last.replace(/^[\w.]*\.(\w+: )/, '$1');
}

function sqlmigrate(client: LspClient, params: SqlmigrateRequestParams): Promise<DjangoAnswer<SqlmigrateAnswer>> {
  return client.connection.sendRequest(SQLMIGRATE_REQUEST, params);
}

/** The titles of the SQL lenses (other features add lenses of their own). */
async function sqlLensTitles(client: LspClient, file: string): Promise<string[]> {
  const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: fileUri(file) } })) as CodeLens[] | null;
  return (lenses ?? [])
    .filter((lens) => lens.command?.command === 'djangoMigrations.showSql' || lens.command?.command === 'djangoMigrations.showBackwardsSql')
    .map((lens) => lens.command?.title ?? '');
}

/** Tells the server a file changed on disk, as the client's file watcher does. */
function changed(client: LspClient, file: string): Promise<void> {
  return client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
    changes: [{ uri: fileUri(file), type: FileChangeType.Changed }],
  });
}

/** A Python that leaves a mark each time it is started, then runs Debian's Python (with Django). */
function markingPython(directory: string): { python: string; marker: string } {
  const python = path.join(directory, 'python-that-marks');
  const marker = path.join(directory, 'python-started');
  writeFileSync(python, `#!/bin/sh\necho started >> '${marker}'\nexec ${DJANGO_PYTHON} "$@"\n`);
  chmodSync(python, 0o755);
  return { python, marker };
}

for (const vendor of ['sqlite', 'postgresql'] as const) {
  describe(`djangoMigrations/sqlmigrate equals manage.py sqlmigrate (${vendor})`, function () {
    this.timeout(120_000);
    let scratch: ReturnType<typeof scratchDirectory>;
    let postgres: PostgresDatabase | undefined;
    let root = '';
    let databaseUrl = '';
    let client: LspClient;
    const expected = new Map<string, ManagePyResult>();

    before(async function () {
      this.timeout(300_000);
      scratch = scratchDirectory(`sqlmigrate-request-${vendor}`);
      root = copyFixture(path.join(scratch.dir, 'project'));
      if (vendor === 'postgresql') {
        postgres = await startPostgresDatabase('sqlmigrate_request');
        databaseUrl = postgres.url;
      } else {
        databaseUrl = `sqlite:///${scratch.dir}/db.sqlite3`;
      }
      // The server's helper finds the database the way the project would: through .env.
      writeFileSync(path.join(root, '.env'), `DATABASE_URL=${databaseUrl}\n`);
      const environment = fixtureEnvironment(root, databaseUrl);
      for (const [app, name] of MIGRATIONS) {
        for (const backwards of [false, true]) {
          expected.set(
            `${app} ${name} ${backwards}`,
            await runManagePy(['sqlmigrate', app, name, ...(backwards ? ['--backwards'] : [])], { trusted: true, environment }),
          );
        }
      }
      ({ client } = await LspClient.start({ folders: [root], initializationOptions: { trusted: true, pythonPath: DJANGO_PYTHON } }));
    });

    after(async () => {
      await client?.shutdown();
      await postgres?.stop();
      scratch?.cleanup();
    });

    for (const [app, name] of MIGRATIONS) {
      for (const backwards of [false, true]) {
        it(`${app} ${name}${backwards ? ' --backwards' : ''}`, async () => {
          const reference = expected.get(`${app} ${name} ${backwards}`)!;
          const answer = await sqlmigrate(client, { projectRoot: root, app, name, backwards });
          if (reference.exitCode === 0) {
            assert.ok(answer.ok, answer.ok ? '' : answer.message);
            assert.equal(answer.sql, reference.stdout);
            // Asked again (a lens clicked twice): the same text.
            assert.deepEqual(await sqlmigrate(client, { projectRoot: root, app, name, backwards }), answer);
          } else {
            assert.equal(answer.ok, false);
            if (answer.ok) return;
            assert.equal(answer.reason, 'djangoError');
            const [type, message] = raisedLine(reference.stderr).split(/: (.*)/s);
            assert.equal(answer.type, type);
            assert.ok(withoutAddresses(answer.message).includes(withoutAddresses(message)), answer.message);
          }
        });
      }
    }

    if (vendor === 'postgresql') return;

    it('puts "SQL" and "Backwards SQL" above the class; the irreversible one says what prevents it', async () => {
      const initial = path.join(root, 'catalog', 'migrations', '0001_initial.py');
      const backfill = path.join(root, 'orders', 'migrations', '0003_backfill_first_lines.py');
      assert.deepEqual(await sqlLensTitles(client, initial), ['SQL', 'Backwards SQL']);
      const line =
        readFileSync(backfill, 'utf8')
          .split('\n')
          .findIndex((text) => text.includes('migrations.RunPython(')) + 1;
      assert.deepEqual(await sqlLensTitles(client, backfill), [
        'SQL',
        `Backwards SQL: irreversible, RunPython has no reverse_code (line ${line})`,
      ]);
    });

    it('reads a migration again after it changed on disk', async () => {
      const file = path.join(root, 'reviews', 'migrations', '0003_default_review_text.py');
      const before = await sqlmigrate(client, { projectRoot: root, app: 'reviews', name: '0003_default_review_text' });
      assert.ok(before.ok && before.sql.includes('Très bien'));
      writeFileSync(file, readFileSync(file, 'utf8').replace('Très bien', 'Excellent'));
      await changed(client, file);
      const after = await sqlmigrate(client, { projectRoot: root, app: 'reviews', name: '0003_default_review_text' });
      const reference = await runManagePy(['sqlmigrate', 'reviews', '0003_default_review_text'], {
        trusted: true,
        environment: fixtureEnvironment(root, databaseUrl),
      });
      assert.ok(after.ok);
      assert.equal(after.sql, reference.stdout);
      assert.match(after.sql, /Excellent/);
    });

    it('starts Django afresh after a models edit: makemigrations sees the new field', async () => {
      const preview = (): Promise<DjangoAnswer<MakemigrationsPreviewAnswer>> =>
        client.connection.sendRequest(MAKEMIGRATIONS_PREVIEW_REQUEST, { projectRoot: root, apps: ['orders'] });
      const before = await preview();
      assert.ok(before.ok);
      assert.deepEqual(before.changes, {});
      assert.match(before.stdout, /No changes detected/);
      const models = path.join(root, 'orders', 'models.py');
      writeFileSync(models, `${readFileSync(models, 'utf8')}\n\nclass Coupon(models.Model):\n    code = models.CharField(max_length=20)\n`);
      await changed(client, models);
      const after = await preview();
      assert.ok(after.ok, after.ok ? '' : after.message);
      assert.deepEqual(
        after.changes.orders?.map((migration) => [migration.name, migration.operations]),
        [['0005_coupon', ['Create model Coupon']]],
      );
      assert.equal(after.changes.orders[0].path, path.join(root, 'orders', 'migrations', '0005_coupon.py'));
    });

    it('plans like migrate --plan', async () => {
      const plan: DjangoAnswer<PlanAnswer> = await client.connection.sendRequest(PLAN_REQUEST, {
        projectRoot: root,
        targets: [['catalog', null]],
      });
      const reference = await runManagePy(['migrate', 'catalog', '--plan'], {
        trusted: true,
        environment: fixtureEnvironment(root, databaseUrl),
      });
      assert.ok(plan.ok);
      assert.deepEqual(plan.lines, reference.stdout.trimEnd().split('\n'));
      assert.deepEqual(
        plan.plan
          .map((step) => step.operations.map((operation) => operation.type))
          .flat()
          .slice(0, 4),
        ['CreateModel', 'CreateModel', 'AddIndex', 'RunPython'],
      );
    });

    it('lists the DATABASES aliases without their settings', async () => {
      const answer: DjangoAnswer<DatabasesAnswer> = await client.connection.sendRequest(DATABASES_REQUEST, { projectRoot: root });
      assert.ok(answer.ok);
      assert.deepEqual(answer.databases, [{ alias: 'default', vendor: 'sqlite', name: `${scratch.dir}/db.sqlite3` }]);
    });

    it("reports Django's errors and unknown projects clearly", async () => {
      const unknown = await sqlmigrate(client, { projectRoot: root, app: 'catalog', name: '0099' });
      const reference = await runManagePy(['sqlmigrate', 'catalog', '0099'], {
        trusted: true,
        environment: fixtureEnvironment(root, databaseUrl),
      });
      assert.equal(`CommandError: ${unknown.ok ? '' : unknown.message}\n`, reference.stderr);
      assert.deepEqual([unknown.ok, unknown.ok || unknown.reason, unknown.ok || unknown.type], [false, 'djangoError', 'CommandError']);
      const elsewhere = await sqlmigrate(client, { projectRoot: scratch.dir, app: 'catalog', name: '0001' });
      assert.equal(elsewhere.ok, false);
      assert.equal(elsewhere.ok || elsewhere.reason, 'noProject');
      const python = pythonWithoutDjango(scratch.dir);
      const noDjango = await sqlmigrate(client, { projectRoot: root, app: 'catalog', name: '0001', python });
      assert.equal(noDjango.ok, false);
      assert.equal(noDjango.ok || noDjango.reason, 'djangoImport');
      assert.match(
        noDjango.ok ? '' : noDjango.message,
        /^Django cannot be imported by .*python-without-django \(ModuleNotFoundError: No module named 'django'\)\. Select the project's interpreter/,
      );
    });

    it('turns an empty migration into a data migration', async () => {
      const file = path.join(scratch.dir, '0004_fill.py');
      writeFileSync(
        file,
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n\n    dependencies = [\n        ('catalog', '0003_product_sku'),\n    ]\n\n    operations = [\n    ]\n",
      );
      const answer: DataMigrationScaffoldAnswer = await client.connection.sendRequest(DATA_MIGRATION_SCAFFOLD_REQUEST, {
        file,
        app: 'catalog',
        models: ['Product'],
      });
      assert.ok(answer.ok);
      assert.match(
        answer.text,
        /def forwards\(apps, schema_editor\):\n {4}"""[^\n]*"""\n {4}Product = apps\.get_model\('catalog', 'Product'\)/,
      );
      assert.match(answer.text, /operations = \[\n {8}migrations\.RunPython\(forwards, backwards\),\n {4}\]\n$/);
    });
  });
}

describe('an untrusted workspace starts no Python', function () {
  this.timeout(60_000);
  let scratch: ReturnType<typeof scratchDirectory>;
  let root = '';
  let conflict = '';

  before(() => {
    scratch = scratchDirectory('untrusted-requests');
    root = copyFixture(path.join(scratch.dir, 'project'));
    conflict = path.join(scratch.dir, 'conflict');
    copyFolder(path.join(fixturesDirectory, 'conflict'), conflict);
  });

  after(() => scratch?.cleanup());

  it('refuses every Django request with the reason, runs no interpreter, keeps the static features', async () => {
    const { python, marker } = markingPython(scratch.dir);
    const { client } = await LspClient.start({ folders: [root, conflict], initializationOptions: { trusted: false, pythonPath: python } });
    try {
      const requests: Array<[string, object]> = [
        [SQLMIGRATE_REQUEST, { projectRoot: root, app: 'catalog', name: '0001_initial', python }],
        [PLAN_REQUEST, { projectRoot: root, python }],
        [DATABASES_REQUEST, { projectRoot: root, python }],
        [MAKEMIGRATIONS_PREVIEW_REQUEST, { projectRoot: root, python }],
        [MAKEMIGRATIONS_REQUEST, { projectRoot: root, python, answers: ['y'] }],
      ];
      for (const [method, params] of requests) {
        const answer = (await client.connection.sendRequest(method, params)) as DjangoAnswer<object>;
        assert.equal(answer.ok, false, method);
        assert.equal(answer.ok || answer.reason, 'untrusted', method);
        assert.match(answer.ok ? '' : answer.message, /Restricted Mode.*Trust the workspace/);
      }
      assert.equal(existsSync(marker), false, 'an interpreter was started');

      const targets: CommandTargets = await client.connection.sendRequest(COMMAND_TARGETS_REQUEST, {});
      const project = targets.projects.find((candidate) => candidate.root === root);
      assert.deepEqual(
        project?.apps.filter((app) => !app.external).map((app) => app.label),
        ['catalog', 'orders', 'reviews'],
      );
      assert.deepEqual(project?.apps.find((app) => app.label === 'catalog')?.models, ['Category', 'Product']);
      assert.deepEqual(await sqlLensTitles(client, path.join(root, 'catalog', 'migrations', '0001_initial.py')), []);

      // The conflicting-leaves diagnostic's quick fixes: the merge command (the client asks for
      // trust before it runs Python) and the rebases, which are file edits only.
      const price = path.join(conflict, 'shop', 'migrations', '0002_product_price.py');
      const uri = await client.open(price, readFileSync(price, 'utf8'));
      const diagnostic = (await client.diagnostics(uri)).find((item) => item.code === 'conflicting-leaves');
      assert.ok(diagnostic);
      const actions = (await client.codeActions(uri, diagnostic.range, [diagnostic])) ?? [];
      const commands = actions.flatMap((action) => ('command' in action && typeof action.command === 'object' ? [action.command] : []));
      assert.deepEqual(commands, [
        { title: 'Merge Migrations', command: 'djangoMigrations.mergeMigrations', arguments: [{ app: 'shop', file: price }] },
      ]);
      const others = actions.filter((action) => !('command' in action && typeof action.command === 'object'));
      assert.ok(
        others.every((action) => action.title.startsWith('Rebase') && !('command' in action && action.command)),
        JSON.stringify(others.map((action) => action.title)),
      );
      assert.equal(existsSync(marker), false, 'an interpreter was started');
    } finally {
      await client.shutdown();
    }
  });

  it('the same interpreter does start, and leaves its mark, once the workspace is trusted', async () => {
    const { python, marker } = markingPython(scratch.dir);
    writeFileSync(path.join(root, '.env'), `DATABASE_URL=sqlite:///${scratch.dir}/db.sqlite3\n`);
    const { client } = await LspClient.start({ folders: [root], initializationOptions: { trusted: true } });
    try {
      const answer = await sqlmigrate(client, { projectRoot: root, app: 'catalog', name: '0001_initial', python });
      assert.ok(answer.ok, answer.ok ? '' : answer.message);
      assert.match(answer.sql, /CREATE TABLE "catalog_category"/);
      assert.equal(existsSync(marker), true);
    } finally {
      await client.shutdown();
    }
  });
});

function copyFolder(source: string, target: string): void {
  cpSync(source, target, { recursive: true, filter: (file) => !file.includes('__pycache__') && !file.endsWith('.sqlite3') });
}

/** Debian's Python without its site packages: it runs, but cannot import Django. */
function pythonWithoutDjango(directory: string): string {
  const python = path.join(directory, 'python-without-django');
  writeFileSync(python, `#!/bin/sh\nexec ${DJANGO_PYTHON} -S "$@"\n`);
  chmodSync(python, 0o755);
  return python;
}
