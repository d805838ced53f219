import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  DjangoHelperCancelledError,
  DjangoHelperExitedError,
  DjangoHelperTimeoutError,
  DjangoRequestError,
  DjangoSetupError,
  HELPER_RESTARTED,
} from '../../server/src/django/djangoErrors';
import { DjangoHelperExitEvent, DjangoHelperProcess, DjangoHelperProcessOptions } from '../../server/src/django/djangoHelperProcess';
import { copyFixture, fixtureEnvironment, scratchDirectory } from './commandsProject';
import { countSpawns } from './spawnCounter';
import { installedDjangoVersion } from '../support/testDjango';

/** Resolves with the next exit of the helper. */
function nextExit(helper: DjangoHelperProcess): Promise<DjangoHelperExitEvent> {
  return new Promise((resolve) => {
    const listener = helper.onDidExit((event) => {
      listener.dispose();
      resolve(event);
    });
  });
}

/** A migration whose module takes a minute to import: requests that load it stay in flight. */
const SLOW_MIGRATION = `import time

from django.db import migrations

time.sleep(60)


class Migration(migrations.Migration):
    dependencies = [('reviews', '0003_default_review_text')]
    operations = []
`;

describe('Django helper process', function () {
  this.timeout(60_000);
  let scratch: ReturnType<typeof scratchDirectory>;
  let root: string;
  const helpers: DjangoHelperProcess[] = [];

  function helperFor(options: Partial<DjangoHelperProcessOptions> = {}, projectRoot = root): DjangoHelperProcess {
    const environment = fixtureEnvironment(projectRoot, `sqlite:///${scratch.dir}/db.sqlite3`);
    const helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0, ...options });
    helpers.push(helper);
    return helper;
  }

  before(() => {
    scratch = scratchDirectory('django-helper');
    root = copyFixture(path.join(scratch.dir, 'project'));
  });

  afterEach(async () => {
    await Promise.all(helpers.splice(0).map((helper) => helper.dispose()));
  });

  after(() => scratch.cleanup());

  it('starts on the first request, not before, and keeps one process', async () => {
    const helper = helperFor();
    const starts: number[] = [];
    helper.onDidStart((info) => starts.push(info.pid));
    assert.equal(helper.pid, undefined);
    const first = await helper.sqlmigrate({ app: 'catalog', name: '0001' });
    assert.match(first.stdout, /CREATE TABLE "catalog_category"/);
    const pid = helper.pid;
    assert.ok(pid);
    await helper.sqlmigrate({ app: 'catalog', name: '0003' });
    assert.equal(helper.pid, pid);
    assert.deepEqual(starts, [pid]);
    assert.equal(helper.ready?.django, installedDjangoVersion());
  });

  it('answers overlapping requests in order, each with its own result', async () => {
    const helper = helperFor();
    const [a, b, c] = await Promise.all([
      helper.sqlmigrate({ app: 'catalog', name: '0001' }),
      helper.sqlmigrate({ app: 'orders', name: '0002' }),
      helper.sqlmigrate({ app: 'orders', name: '0002', backwards: true }),
    ]);
    assert.match(a.stdout, /catalog_category/);
    assert.match(b.stdout, /CREATE VIEW orders_order_totals/);
    assert.match(c.stdout, /DROP VIEW orders_order_totals/);
  });

  it('turns Django errors into rejected requests and keeps running', async () => {
    const helper = helperFor();
    await assert.rejects(helper.sqlmigrate({ app: 'nope', name: '0001' }), (error: unknown) => {
      assert.ok(error instanceof DjangoRequestError);
      assert.equal(error.type, 'CommandError');
      assert.match(error.djangoMessage, /No installed app with label 'nope'/);
      return true;
    });
    const pid = helper.pid;
    await helper.sqlmigrate({ app: 'catalog', name: '0001' });
    assert.equal(helper.pid, pid);
  });

  it('stops when idle and starts again on the next request', async () => {
    const helper = helperFor({ idleTimeoutMs: 200 });
    await helper.databases();
    const pid = helper.pid;
    const exit = await nextExit(helper);
    assert.equal(exit.reason, 'idle');
    assert.equal(exit.pid, pid);
    assert.equal(exit.code, 0);
    assert.equal(helper.pid, undefined);
    await helper.databases();
    assert.ok(helper.pid);
    assert.notEqual(helper.pid, pid);
  });

  it('starts a new process after the helper dies', async () => {
    const helper = helperFor();
    await helper.databases();
    const pid = helper.pid;
    assert.ok(pid);
    const exited = nextExit(helper);
    process.kill(pid, 'SIGKILL');
    assert.equal((await exited).reason, 'crash');
    const again = await helper.sqlmigrate({ app: 'catalog', name: '0001' });
    assert.match(again.stdout, /catalog_category/);
    assert.notEqual(helper.pid, pid);
  });

  it('rejects the request in flight when the helper dies', async () => {
    const slow = copyFixture(path.join(scratch.dir, 'slow-crash'));
    writeFileSync(path.join(slow, 'reviews', 'migrations', '0004_slow.py'), SLOW_MIGRATION);
    const helper = helperFor({}, slow);
    await helper.databases(); // Started; databases does not load migrations.
    const pid = helper.pid;
    assert.ok(pid);
    const inFlight = assert.rejects(helper.sqlmigrate({ app: 'catalog', name: '0001' }), DjangoHelperExitedError);
    const exited = nextExit(helper);
    // The request is written once the process is running; give it to the helper, then kill it.
    await new Promise((resolve) => setImmediate(resolve));
    process.kill(pid, 'SIGKILL');
    await inFlight;
    assert.equal((await exited).reason, 'crash');
  });

  it('times out a stuck request, stops the process and recovers', async () => {
    const slow = copyFixture(path.join(scratch.dir, 'slow-timeout'));
    const slowFile = path.join(slow, 'reviews', 'migrations', '0004_slow.py');
    writeFileSync(slowFile, SLOW_MIGRATION);
    const helper = helperFor({}, slow);
    await helper.databases();
    const exited = nextExit(helper);
    const stuck = helper.sqlmigrate({ app: 'catalog', name: '0001' }, { timeoutMs: 500 });
    const queued = assert.rejects(helper.databases(), DjangoHelperCancelledError);
    await assert.rejects(stuck, DjangoHelperTimeoutError);
    await queued;
    assert.equal((await exited).reason, 'timeout');
    assert.equal(helper.pid, undefined);
    writeFileSync(slowFile, SLOW_MIGRATION.replace('time.sleep(60)', ''));
    const answer = await helper.sqlmigrate({ app: 'catalog', name: '0001' });
    assert.match(answer.stdout, /catalog_category/);
  });

  it('cancels a request on abort and on restart', async () => {
    const slow = copyFixture(path.join(scratch.dir, 'slow-cancel'));
    writeFileSync(path.join(slow, 'reviews', 'migrations', '0004_slow.py'), SLOW_MIGRATION);
    const helper = helperFor({ stopGraceMs: 300 }, slow);
    await helper.databases();
    const controller = new AbortController();
    const aborted = assert.rejects(
      helper.sqlmigrate({ app: 'catalog', name: '0001' }, { signal: controller.signal }),
      DjangoHelperCancelledError,
    );
    const waiting = helper.databases();
    controller.abort();
    await aborted;
    const exited = nextExit(helper);
    const waitingRejected = assert.rejects(waiting, DjangoHelperCancelledError);
    await helper.restart();
    await waitingRejected;
    assert.equal((await exited).reason, 'restart');
    await assert.rejects(helper.sqlmigrate({ app: 'catalog', name: '0001' }, { signal: AbortSignal.abort() }), DjangoHelperCancelledError);
  });

  it('cancels a request whose helper is restarted while it starts as restarted, so the caller may send it again', async () => {
    const helper = helperFor();
    const first = helper.databases();
    await helper.restart();
    await assert.rejects(first, (error: unknown) => error instanceof DjangoHelperCancelledError && error.reason === HELPER_RESTARTED);
    assert.equal((await helper.databases()).default, 'default');
  });

  it('reads an edited migration after reload', async () => {
    const editable = copyFixture(path.join(scratch.dir, 'editable'));
    const file = path.join(editable, 'catalog', 'migrations', '0003_product_sku.py');
    const helper = helperFor({}, editable);
    const before = await helper.sqlmigrate({ app: 'catalog', name: '0003' });
    assert.match(before.stdout, /"sku" varchar\(32\)/);
    // Same length and, most likely, the same second: only re-reading the source shows the change.
    writeFileSync(file, readFileSync(file, 'utf8').replace('max_length=32', 'max_length=64'));
    const cached = await helper.sqlmigrate({ app: 'catalog', name: '0003' });
    assert.equal(cached.stdout, before.stdout);
    const reloaded = await helper.reload();
    assert.ok(reloaded.modules > 0);
    const after = await helper.sqlmigrate({ app: 'catalog', name: '0003' });
    assert.match(after.stdout, /"sku" varchar\(64\)/);
  });

  it('keeps a settings failure until restart, then starts with the fixed settings', async () => {
    const broken = copyFixture(path.join(scratch.dir, 'broken-settings'));
    const settings = path.join(broken, 'commands_project', 'settings.py');
    const original = readFileSync(settings, 'utf8');
    writeFileSync(settings, original.replace("'reviews',", "'reviews',\n    'not_an_app',"));
    const helper = helperFor({}, broken);
    const isSetupError = (error: unknown): boolean => {
      assert.ok(error instanceof DjangoSetupError);
      assert.equal(error.type, 'ModuleNotFoundError');
      assert.match(error.message, /No module named 'not_an_app'/);
      return true;
    };
    const exited = nextExit(helper);
    await assert.rejects(helper.databases(), isSetupError);
    assert.equal((await exited).reason, 'startFailed');
    const spawns = countSpawns();
    try {
      await assert.rejects(helper.databases(), isSetupError);
      assert.equal(spawns.count(), 0);
    } finally {
      spawns.restore();
    }
    writeFileSync(settings, original);
    await helper.restart();
    const { databases } = await helper.databases();
    assert.equal(databases.default.vendor, 'sqlite');
  });

  it('keeps project output off the protocol and passwords out of the log', async () => {
    const noisy = copyFixture(path.join(scratch.dir, 'noisy'));
    const settings = path.join(noisy, 'commands_project', 'settings.py');
    writeFileSync(settings, `${readFileSync(settings, 'utf8')}\nprint('settings loaded for', os.environ.get('DATABASE_URL'), DATABASES)\n`);
    const lines: string[] = [];
    const environment = fixtureEnvironment(noisy, 'postgres://django:hunter2pw@127.0.0.1:1/nowhere');
    const helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0, log: (line) => lines.push(line) });
    helpers.push(helper);
    const hidden = await helper.databases();
    assert.equal(hidden.databases.default.settings.PASSWORD, '********');
    assert.equal(hidden.databases.default.vendor, 'postgresql');
    const shown = await helper.databases({ includePasswords: true });
    assert.equal(shown.databases.default.settings.PASSWORD, 'hunter2pw');
    const log = lines.join('\n');
    assert.match(log, /settings loaded for postgres:\/\/django:\*\*\*\*\*\*\*\*@127\.0\.0\.1:1\/nowhere/);
    assert.doesNotMatch(log, /hunter2pw/);
  });
});
