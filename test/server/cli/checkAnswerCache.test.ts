import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { appFiles, managePy, projectFolder, settingsPy, temporaryFolder } from '../../support/projectFolder';
import { CliResult, runCli } from './cliProcess';

const INITIAL =
  'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n    initial = True\n\n    dependencies = []\n\n' +
  "    operations = [\n        migrations.CreateModel(name='Book', fields=[('id', models.AutoField(primary_key=True)), ('title', models.CharField(max_length=100))]),\n    ]\n";

/** A second migration that runs raw SQL without a reverse: a lint finding in every run. */
const RUN_SQL =
  "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n\n    dependencies = [('library', '0001_initial')]\n\n" +
  "    operations = [\n        migrations.RunSQL('UPDATE library_book SET title = title'),\n    ]\n";

const MODELS =
  'from django.db import models\n\n\nclass Book(models.Model):\n    id = models.AutoField(primary_key=True)\n    title = models.CharField(max_length=100)\n';

const SQLITE = "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}";

function libraryProject(): string {
  return projectFolder({
    'manage.py': managePy('site_config.settings'),
    'site_config/__init__.py': '',
    'site_config/settings.py': settingsPy(['library'], SQLITE),
    'site_config/other_settings.py': settingsPy([], SQLITE),
    ...appFiles('library', { '0001_initial': INITIAL, '0002_touch_titles': RUN_SQL }),
    'library/models.py': MODELS,
  });
}

function answerFiles(cacheDirectory: string): string[] {
  return existsSync(cacheDirectory) ? readdirSync(cacheDirectory).filter((name) => name.startsWith('check-answer-')) : [];
}

function parseCacheFiles(cacheDirectory: string): string[] {
  return readdirSync(cacheDirectory).filter((name) => name.startsWith('parsed-migrations-'));
}

/** What a run printed and its status, to compare runs with. */
const answer = ({ code, stdout, stderr }: CliResult) => ({ code, stdout, stderr });

describe('check --cache-dir: the kept answer', function () {
  this.timeout(60_000);

  let root: string;
  let cacheDirectory: string;
  const check = (options: readonly string[] = [], env: NodeJS.ProcessEnv = process.env) => runCli(['check', root, ...options], root, env);
  const cached = (options: readonly string[] = [], env?: NodeJS.ProcessEnv) => check(['--cache-dir', cacheDirectory, ...options], env);

  /**
   * The cached run answers as a run without cache does, and the next one is told from the kept
   * answer: the engine did not run (it would have written the parse cache removed before it). A
   * run may decline to keep its answer (a parse that outgrew its slice on a busy machine went to
   * a worker thread, whose reads are not recorded): the next run keeps it.
   */
  async function assertKeptAnswer(options: readonly string[] = [], env?: NodeJS.ProcessEnv): Promise<CliResult> {
    const fresh = answer(await check(options, env));
    let kept = false;
    for (let attempt = 0; attempt < 3 && !kept; attempt++) {
      assert.deepEqual(answer(await cached(options, env)), fresh, 'a run with the cache');
      for (const name of parseCacheFiles(cacheDirectory)) rmSync(path.join(cacheDirectory, name));
      assert.deepEqual(answer(await cached(options, env)), fresh, 'the kept answer');
      kept = parseCacheFiles(cacheDirectory).length === 0;
    }
    assert.ok(kept, 'the kept answer was printed without running the engine');
    return fresh;
  }

  beforeEach(function () {
    root = libraryProject();
    cacheDirectory = temporaryFolder('answer-cache');
  });

  it('prints the answer of a run without cache, from the cache, for each format', async function () {
    const text = await assertKeptAnswer();
    assert.match(text.stdout, /0002_touch_titles\.py/);
    const json = await assertKeptAnswer(['--format', 'json']);
    assert.notEqual(json.stdout, text.stdout);
    assert.equal(answerFiles(cacheDirectory).length, 2);
  });

  it('answers afresh after an edit to a migration that keeps its size', async function () {
    const before = await assertKeptAnswer();
    const file = path.join(root, 'library', 'migrations', '0002_touch_titles.py');
    const edited = RUN_SQL.replace("RunSQL('UPDATE", "RunSQL('update");
    assert.equal(edited.length, RUN_SQL.length);
    writeFileSync(file, edited);
    const after = await assertKeptAnswer();
    assert.deepEqual(answer(after), answer(before), 'the same findings');
    writeFileSync(file, RUN_SQL.replace("title = title')", "title = title', reverse_sql=migrations.RunSQL.noop)"));
    assert.notDeepEqual(answer(await assertKeptAnswer()), answer(before));
  });

  it('answers afresh after an edit to models.py, and keeps no answer naming a migration after the time', async function () {
    const before = await assertKeptAnswer();
    const models = path.join(root, 'library', 'models.py');
    writeFileSync(models, `${MODELS}    isbn = models.CharField(max_length=13)\n`);
    const after = answer(await check());
    assert.deepEqual(answer(await cached()), after);
    assert.notDeepEqual(after, answer(before));
    assert.match(after.stdout, /missing-migration/);
    assert.equal(after.code, 1);
    // The migration makemigrations would write may be named after the clock: nothing was kept.
    for (const name of parseCacheFiles(cacheDirectory)) rmSync(path.join(cacheDirectory, name));
    assert.deepEqual(answer(await cached()), after);
    assert.equal(parseCacheFiles(cacheDirectory).length, 1, 'the engine ran');
    writeFileSync(models, MODELS);
    assert.deepEqual(answer(await assertKeptAnswer()), answer(before));
  });

  it('answers afresh after an edit to the settings', async function () {
    const before = await assertKeptAnswer();
    writeFileSync(path.join(root, 'site_config', 'settings.py'), settingsPy([], SQLITE));
    assert.notDeepEqual(answer(await assertKeptAnswer()), answer(before));
  });

  it('answers afresh after a migration file is added, and after one is removed', async function () {
    const before = await assertKeptAnswer();
    const added = path.join(root, 'library', 'migrations', '0002_other.py');
    writeFileSync(added, RUN_SQL);
    const withConflict = await assertKeptAnswer();
    assert.match(withConflict.stdout, /conflict/);
    unlinkSync(added);
    assert.deepEqual(answer(await assertKeptAnswer()), answer(before));
    unlinkSync(path.join(root, 'library', 'migrations', '0002_touch_titles.py'));
    assert.doesNotMatch((await assertKeptAnswer()).stdout, /0002_touch_titles/);
  });

  it('keeps one answer per command line', async function () {
    const project = await assertKeptAnswer();
    const other = await assertKeptAnswer(['--settings', 'site_config.other_settings']);
    assert.notDeepEqual(answer(other), answer(project));
    assert.deepEqual(answer(await cached()), answer(project));
  });

  it('follows the environment variables the run read, and only those', async function () {
    const expected = await assertKeptAnswer();
    // A variable the run does not read keeps the answer.
    assert.deepEqual(answer(await assertKeptAnswer([], { ...process.env, UNRELATED_VARIABLE: '1' })), answer(expected));
    // One it reads (which settings module, before manage.py's default) runs the engine again.
    const env = { ...process.env, DJANGO_SETTINGS_MODULE: 'site_config.other_settings' };
    const fresh = answer(await check([], env));
    assert.deepEqual(answer(await cached([], env)), fresh);
    assert.equal(parseCacheFiles(cacheDirectory).length, 1, 'the engine ran');
  });

  it('answers afresh when the kept answer is damaged or cut short', async function () {
    const expected = await assertKeptAnswer();
    const [name] = answerFiles(cacheDirectory);
    const file = path.join(cacheDirectory, name);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] ^= 0x01;
    writeFileSync(file, bytes);
    assert.deepEqual(answer(await cached()), answer(expected), 'a byte changed');
    writeFileSync(file, readFileSync(file).subarray(0, 30));
    assert.deepEqual(answer(await cached()), answer(expected), 'cut short');
  });

  it('answers afresh once the SQLite database it found missing exists', async function () {
    await assertKeptAnswer();
    writeFileSync(path.join(root, 'db.sqlite3'), '');
    assert.deepEqual(answer(await cached()), answer(await check()));
  });

  it('keeps no answer that depends on a database, a child process or git', async function () {
    writeFileSync(path.join(root, 'db.sqlite3'), '');
    await check(['--cache-dir', cacheDirectory]);
    assert.deepEqual(answerFiles(cacheDirectory), [], 'an existing SQLite database');
    rmSync(path.join(root, 'db.sqlite3'));

    await check(['--cache-dir', cacheDirectory, '--database-url', 'postgres://user@127.0.0.1:1/library']);
    assert.deepEqual(answerFiles(cacheDirectory), [], 'a PostgreSQL database');

    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'project');
    assert.ok((await check(['--cache-dir', cacheDirectory, '--changed-since', 'HEAD'])).code !== 2);
    assert.deepEqual(answerFiles(cacheDirectory), [], 'git');

    await check(['--cache-dir', cacheDirectory]);
    assert.equal(answerFiles(cacheDirectory).length, 1, 'without them, the answer is kept');
  });
});
