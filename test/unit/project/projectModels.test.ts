import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../server/src/project/fileSystem';
import { MissingMigrationsDetector } from '../../../server/src/project/missingMigrations';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { ProjectModels } from '../../../server/src/project/projectModels';
import { loadPythonParser } from '../../../server/src/python/pythonParser';
import { copyFixture } from '../../support/projectFolder';

/** models_changes with shop/models.py edited, read statically and compared with its migrations. */
async function detect(edit: (text: string) => string, extraFiles: Record<string, string> = {}) {
  const root = copyFixture('models_changes');
  const models = path.join(root, 'shop', 'models.py');
  writeFileSync(models, edit(readFileSync(models, 'utf8')));
  for (const [file, text] of Object.entries(extraFiles)) writeFileSync(path.join(root, file), text);
  const [project] = await loadProjects(root, { trusted: false });
  const projectModels = new ProjectModels(project.project, await loadPythonParser(), nodeFileSystem);
  await projectModels.load(project.settings?.files ?? []);
  const missing = new MissingMigrationsDetector(project, projectModels).detect();
  return { missing, projectModels, models };
}

const described = (result: Awaited<ReturnType<typeof detect>>) =>
  result.missing.migrations.flatMap((m) => m.operations.map((o) => o.description));

describe('models read statically: bad input gives partial results, never a false missing migration', function () {
  it('finds no change in the fixture as written', async function () {
    assert.deepEqual(described(await detect((text) => text)), []);
  });

  it('reports nothing while a field is half typed, then the field once it is complete', async function () {
    const anchor = '    pages = models.PositiveIntegerField(null=True)\n';
    const line = "    isbn = models.CharField(max_length=13, default='')";
    for (let typed = 1; typed < line.length; typed++) {
      const result = await detect((text) => text.replace(anchor, `${anchor}${line.slice(0, typed)}\n`));
      const descriptions = described(result);
      assert.ok(
        descriptions.length === 0 || descriptions.every((d) => d === 'Add field isbn to book'),
        `after ${typed} characters: ${descriptions.join('; ')}`,
      );
    }
    assert.deepEqual(described(await detect((text) => text.replace(anchor, `${anchor}${line}\n`))), ['Add field isbn to book']);
  });

  it('reads a model built by a metaclass or a factory as unknown, with an information note', async function () {
    const result = await detect(
      (text) =>
        `${text}\n\nclass Meta2(type(models.Model)):\n    pass\n\n\nclass Odd(models.Model, metaclass=Meta2):\n    x = models.IntegerField()\n\n\n` +
        "Built = type('Built', (models.Model,), {'__module__': 'shop.models'})\n",
    );
    assert.deepEqual(described(result), []);
    assert.ok(result.missing.reading.notes.some((note) => note.message.startsWith('Odd cannot be read statically')));
  });

  it('does not report a field whose class comes from a package that is not installed', async function () {
    const result = await detect((text) =>
      text
        .replace('import uuid\n', 'import uuid\n\nfrom barcodes.fields import BarcodeField\n')
        .replace(
          '    pages = models.PositiveIntegerField(null=True)\n',
          '    pages = models.PositiveIntegerField(null=True)\n    barcode = BarcodeField(max_length=13)\n',
        ),
    );
    assert.deepEqual(described(result), []);
  });

  it('survives circular imports between models modules', async function () {
    const result = await detect(
      (text) => text.replace('from .fields import MoneyField\n', 'from .fields import MoneyField\nfrom .helpers import shelf_label\n'),
      {
        'shop/helpers.py': 'from .models import Book\n\n\ndef shelf_label(book: Book) -> str:\n    return book.title\n',
      },
    );
    assert.deepEqual(described(result), []);
    assert.ok(result.projectModels.files().some((file) => file.endsWith('helpers.py')));
  });

  it('keeps a model whose module has a syntax error out of the comparison', async function () {
    const result = await detect((text) => text.replace('class Coupon(models.Model):', 'class Coupon(models.Model:'));
    assert.deepEqual(described(result), []);
  });

  it('reads a model defined under if/try as unknown, never as deleted', async function () {
    const coupon =
      'class Coupon(models.Model):\n    code = models.CharField(max_length=12, unique=True)\n    percent = models.PositiveSmallIntegerField(default=10)\n';
    for (const wrap of [
      (block: string) => `if True:\n${block.replace(/^/gm, '    ')}`,
      (block: string) => `try:\n    import barcodes\nexcept ImportError:\n    pass\nelse:\n${block.replace(/^/gm, '    ')}`,
    ]) {
      const result = await detect((text) => text.replace(coupon, wrap(coupon)));
      assert.deepEqual(described(result), []);
      assert.ok(result.missing.reading.notes.some((note) => note.message.startsWith('Coupon cannot be read statically')));
    }
  });

  it('follows a field through an abstract base and ignores a field on a plain mixin', async function () {
    const result = await detect((text) => text.replace('class Tag(models.Model):', 'class Tag(TimeStamped):'));
    assert.deepEqual(described(result), ['Change Meta options on tag', 'Add field created to tag', 'Add field updated to tag']);
  });
});
