import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { EditedTextParser, MAX_TEXT_ON_THREAD } from '../../../server/src/project/editedTextParser';
import { MigrationReading } from '../../../server/src/project/editedTextReaders';
import { loadPythonParser, PythonParser } from '../../../server/src/python/pythonParser';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { ProjectModels } from '../../../server/src/project/projectModels';
import { copyFixture, migrationPy } from '../../support/projectFolder';

/** A statement the grammar needs far more than a slice for, on any machine (about 0.17 s per 100,000 lines). */
const HUGE = `VALUES = [\n${'    1,\n'.repeat(1_000_000)}]\n`;
/** A text that the fast reader declines (a statement after the class), so tree-sitter reads it. */
const SMALL = `${migrationPy([['shop', '0001_initial']])}VALUES = [1, 2]\n`;
/** A text in makemigrations' shape: read without a tree, never near any slice. */
const PLAIN = migrationPy([['shop', '0001_initial']]);

const dependencies = (reading: MigrationReading | undefined) =>
  reading && 'parsed' in reading
    ? reading.parsed.dependencies.map(({ target }) => (target.kind === 'key' ? `${target.app}.${target.name}` : target.setting))
    : reading;

describe('EditedTextParser: edited texts parsed within a slice of the thread, else on a worker', function () {
  this.timeout(120_000);
  let parser: PythonParser;
  before(async function () {
    parser = await loadPythonParser();
  });

  it('reads a small text at once, and the same text again from what it kept', function () {
    // A slice no small parse can exceed, however busy the machine.
    const edited = new EditedTextParser(60_000, 5_000);
    const first = edited.read('migration', parser, '/p/shop/migrations/0002_x.py', SMALL);
    assert.ok(!(first instanceof Promise));
    assert.deepEqual(dependencies(first), ['shop.0001_initial']);
    assert.equal(edited.read('migration', parser, '/p/shop/migrations/0002_x.py', SMALL), first);
    edited.dispose();
  });

  it('reads a huge text on a worker, within the full limit, and shares that read with a second ask', async function () {
    const edited = new EditedTextParser(600_000);
    const text = migrationPy([['shop', '0001_initial']]) + HUGE;
    const later = edited.read('migration', parser, '/p/a.py', text);
    assert.ok(later instanceof Promise, 'not read on this thread');
    assert.equal(edited.read('migration', parser, '/p/a.py', text), later);
    // Meanwhile this thread reads other files at once.
    assert.ok(!(edited.read('migration', parser, '/p/b.py', PLAIN) instanceof Promise));
    assert.deepEqual(dependencies(await later), ['shop.0001_initial']);
    assert.ok(!(edited.read('migration', parser, '/p/a.py', text) instanceof Promise), 'kept');
    edited.dispose();
  });

  it('parses a text of ordinary size here, and again on a worker when the parse outlasts the slice', async function () {
    // A slice of a millisecond: 20,000 lines take tree-sitter tens of milliseconds on any machine.
    const edited = new EditedTextParser(600_000, 1);
    const text = `${migrationPy([['shop', '0001_initial']])}VALUES = [\n${'    1,\n'.repeat(20_000)}]\n`;
    assert.ok(text.length < MAX_TEXT_ON_THREAD);
    const later = edited.read('migration', parser, '/p/a.py', text);
    assert.ok(later instanceof Promise, 'past the slice');
    assert.deepEqual(dependencies(await later), ['shop.0001_initial']);
    edited.dispose();
  });

  it('says a text is past the full limit when the worker runs out of time too', async function () {
    const edited = new EditedTextParser(300);
    const reading = await edited.read('migration', parser, '/p/a.py', migrationPy() + HUGE);
    assert.deepEqual(reading, { overTimeLimit: 'Parsing took longer than 0.3 s' });
    const models = await edited.read('models', parser, '/p/models.py', `from django.db import models\n${HUGE}`);
    assert.equal(models?.overTimeLimit, 'Parsing took longer than 0.3 s');
    edited.dispose();
  });

  it('drops an older text when a newer one comes first, and stops its worker', async function () {
    const edited = new EditedTextParser(600_000);
    const older = edited.read('migration', parser, '/p/a.py', migrationPy() + HUGE);
    assert.ok(older instanceof Promise);
    const newer = edited.read('migration', parser, '/p/a.py', PLAIN);
    assert.deepEqual(dependencies(newer as MigrationReading), ['shop.0001_initial']);
    assert.equal(await older, undefined);
    const cancelled = edited.read('lint', parser, '/p/a.py', `# django-migrations: ignore\n${HUGE}`);
    assert.ok(cancelled instanceof Promise);
    edited.cancel(undefined, '/p/a.py');
    assert.equal(await cancelled, undefined);
    edited.dispose();
  });

  it("reads the models modules of a project from disk the same way: the thread's timers run while a huge one is parsed", async function () {
    const root = copyFixture('models_changes');
    const models = path.join(root, 'shop', 'models.py');
    const text = readFileSync(models, 'utf8');
    writeFileSync(
      models,
      text.replace(
        '    pages = models.PositiveIntegerField(null=True)\n',
        "    pages = models.PositiveIntegerField(null=True)\n    isbn = models.CharField(max_length=13, default='')\n",
      ) + HUGE,
    );
    const [project] = await loadProjects(root, { trusted: false });
    const edited = new EditedTextParser(600_000);
    const read = new ProjectModels(project.project, parser, nodeFileSystem, [], edited);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await read.load(project.settings?.files ?? []).finally(() => clearInterval(timer));
    assert.ok(ticks > 0, "this thread's timers ran while the huge module was parsed");
    const book = read.reading().state.models.get('shop.book');
    assert.ok(book?.fields.has('isbn'), 'the module was read whole');
    edited.dispose();
  });
});
