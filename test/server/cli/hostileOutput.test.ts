import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { StatusJson } from '../../../server/src/cli/statusCommand';
import { appFiles, managePy, migrationPy, projectFolder, settingsPy } from '../../support/projectFolder';
import { cliScript, runCli } from './cliProcess';

const ESCAPE = '\u001b';

/** A project whose settings name `databases` (Python source) and one app `shop` with `migrations`. */
function project(databases: string, migrations: Record<string, string> = { '0001_initial': migrationPy() }): string {
  return projectFolder({
    'manage.py': managePy('site_settings'),
    'site_settings.py': settingsPy(['shop'], `DATABASES = ${databases}`),
    ...appFiles('shop', migrations),
  });
}

const SQLITE = "{'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}";

/** django_migrations as Django creates it, but allowing what a hand-edited table may hold. */
function recorder(folder: string, rows: [app: string, name: string, applied: string | null][]): void {
  const database = new Database(path.join(folder, 'db.sqlite3'));
  database.exec(
    'CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime)',
  );
  const insert = database.prepare('INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, ?)');
  for (const row of rows) insert.run(...row);
  database.close();
}

describe('cli output of hostile names and unreadable databases', function () {
  it('escapes control characters of names read from django_migrations', async function () {
    const folder = project(SQLITE);
    recorder(folder, [
      ['shop', '0001_initial', '2024-05-01 10:00:00'],
      ['shop', `0002_${ESCAPE}]0;owned${ESCAPE}\\${ESCAPE}[2J`, '2024-05-01 10:00:00'],
      ['shop', '0003_x\n [X] 0004_forged', '2024-05-01 10:00:00'],
    ]);
    const result = await runCli(['status', folder]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes(ESCAPE), result.stdout);
    assert.deepEqual(result.stdout.split('\n'), [
      'shop',
      ' [X] 0001_initial',
      'applied without a migration file: shop.0002_\\x1b]0;owned\\x1b\\\\x1b[2J',
      'applied without a migration file: shop.0003_x\\n [X] 0004_forged',
      '',
    ]);
  });

  it('escapes control characters of migration file names in check', async function () {
    const folder = project(SQLITE, { '0001_initial': migrationPy(), [`0002_${ESCAPE}[2Jx`]: migrationPy([['shop', 'missing']]) });
    const result = await runCli(['check', folder]);
    assert.ok(!result.stdout.includes(ESCAPE), result.stdout);
    assert.match(result.stdout, /0002_\\x1b\[2Jx/);
  });

  it('escapes control characters of model and field names and values in state', async function () {
    const createModel = [
      'from django.db import migrations, models',
      '',
      '',
      'class Migration(migrations.Migration):',
      '',
      '    initial = True',
      '',
      '    dependencies = []',
      '',
      '    operations = [',
      '        migrations.CreateModel(',
      "            name='Bo\\x1b]0;owned\\x07ok',",
      "            fields=[('id', models.AutoField(primary_key=True)), ('ti\\x1b[2Jtle', models.CharField(max_length=10, default='a\\n [X] b'))],",
      '        ),',
      '    ]',
      '',
    ].join('\n');
    const result = await runCli(['state', 'shop', '--dir', project(SQLITE, { '0001_initial': createModel })]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.split('\n'), [
      'shop.Bo\\x1b]0;owned\\x07ok',
      '  id: django.db.models.AutoField(primary_key=True)',
      "  ti\\x1b[2Jtle: django.db.models.CharField(max_length=10, default='a\\n [X] b')",
      '',
    ]);
  });

  it('gives a NULL applied column as JSON null', async function () {
    const folder = project(SQLITE);
    recorder(folder, [
      ['shop', '0001_initial', null],
      ['shop', '0009_gone', null],
    ]);
    const result = await runCli(['status', folder, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const document = JSON.parse(result.stdout) as StatusJson;
    assert.deepEqual(document.apps.shop, [{ name: '0001_initial', applied: true, recorded: true, applied_at: null, squashed_count: 0 }]);
    assert.deepEqual(document.applied_without_file, [{ app: 'shop', name: '0009_gone', applied_at: null }]);
  });

  it('says that a database it cannot read leaves the applied state unknown, instead of listing nothing applied', async function () {
    // Port 9 on loopback: nothing listens (discard), so the connection is refused.
    const folder = project("{'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'HOST': '127.0.0.1', 'PORT': 9}}");
    const text = await runCli(['status', folder]);
    assert.equal(text.code, 1);
    const [first, ...rest] = text.stdout.split('\n');
    assert.match(first, /^Could not read .*: .*\. Which migrations are applied is unknown\.$/);
    assert.deepEqual(rest, ['shop', ' [?] 0001_initial', '']);
    const json = await runCli(['status', folder, '--json']);
    assert.equal(json.code, 1);
    assert.deepEqual((JSON.parse(json.stdout) as StatusJson).apps.shop, [
      { name: '0001_initial', applied: null, recorded: null, applied_at: null, squashed_count: 0 },
    ]);
  });

  it('ends quietly when the reader of its output goes away', async function () {
    // A cycle of 300 migrations: far more output than a pipe holds.
    const name = (index: number) => `${String(index % 300).padStart(4, '0')}_step`;
    const migrations = Object.fromEntries(
      Array.from({ length: 300 }, (_, index) => [name(index), migrationPy([['shop', name(index + 1)]])]),
    );
    const folder = project(SQLITE, migrations);
    const child = spawn(process.execPath, [cliScript, 'check', folder], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Like `| head -c 1`: read once, then close the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    assert.equal(stderr, '');
    assert.notEqual(code, null);
  });
});
