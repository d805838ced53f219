import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LintSourceCache } from '../../../server/src/project/lintSourceCache';
import { readLintSource } from '../../../server/src/python/lintSourceReader';
import { loadPythonParser } from '../../../server/src/python/pythonParser';
import { temporaryFolder } from '../../support/projectFolder';

/** A migration only a tree reads (the fast reader declines `if`), unless `body` is one the fast reader reads. */
const source = (name: string, body = '    if apps:\n        pass') =>
  `# django-migrations: reviewed copies rows\nfrom django.db import migrations\n\n\ndef ${name}(apps, schema_editor):\n${body}\n\n\n` +
  `class Migration(migrations.Migration):\n    operations = [migrations.RunPython(${name})]\n`;

describe('LintSourceCache (what the lint rules read, kept between runs)', function () {
  it('gives what readLintSource gives, from the cache while the text is the same, read again once it changes', async function () {
    const parser = await loadPythonParser();
    const directory = temporaryFolder('cache');
    const root = temporaryFolder('project');
    const file = path.join(root, 'shop', 'migrations', '0002_copy.py');
    const first = LintSourceCache.open(directory, root);
    assert.deepEqual(first.read(parser, file, source('forwards')), readLintSource(parser, source('forwards')));
    await first.save();
    const [name] = readdirSync(directory);
    const written = statSync(path.join(directory, name));

    const second = LintSourceCache.open(directory, root);
    assert.deepEqual(second.read(parser, file, source('forwards')), readLintSource(parser, source('forwards')));
    await second.save();
    assert.equal(statSync(path.join(directory, name)).ino, written.ino, 'nothing new: not written again');

    // A file the fast reader reads is kept as well: a hash costs less than reading it again.
    const fast = source('reprice', "    apps.get_model('shop', 'Item').objects.bulk_update([], ['name'])");
    const other = path.join(root, 'shop', 'migrations', '0003_reprice.py');
    const withFast = LintSourceCache.open(directory, root);
    assert.deepEqual(withFast.read(parser, other, fast), readLintSource(parser, fast));
    assert.equal(withFast.read(parser, other, fast).functions[0].unbatchedWrites?.length, 1);
    withFast.read(parser, file, source('forwards'));
    await withFast.save();
    assert.deepEqual(LintSourceCache.open(directory, root).read(parser, other, fast), readLintSource(parser, fast));

    const beforeEdit = statSync(path.join(directory, name));
    const third = LintSourceCache.open(directory, root);
    const edited = third.read(parser, file, source('copy_rows'));
    assert.deepEqual(edited, readLintSource(parser, source('copy_rows')));
    assert.deepEqual(
      edited.functions.map((f) => f.name),
      ['copy_rows'],
    );
    await third.save();
    assert.notEqual(statSync(path.join(directory, name)).ino, beforeEdit.ino);
  });

  it('reads a cache of another project, another format, cut short or changed as empty', async function () {
    const parser = await loadPythonParser();
    const directory = temporaryFolder('cache');
    const root = temporaryFolder('project');
    const file = path.join(root, '0001_initial.py');
    // A cache whose entry holds another text's reading, under this file's current text: only a
    // cache that was trusted though damaged would answer with it.
    const cache = LintSourceCache.open(directory, root);
    cache.read(parser, file, source('forwards'));
    await cache.save();
    const [name] = readdirSync(directory);
    const cacheFile = path.join(directory, name);
    const whole = readFileSync(cacheFile);
    const damaged = [
      whole.subarray(0, whole.length - 5),
      Buffer.concat([whole, Buffer.from([0])]),
      Buffer.from('not a cache'),
      Buffer.alloc(0),
    ];
    const flipped = Buffer.from(whole);
    flipped[flipped.length - 2] ^= 0x01;
    damaged.push(flipped);
    for (const bytes of damaged) {
      writeFileSync(cacheFile, bytes);
      const reopened = LintSourceCache.open(directory, root);
      assert.deepEqual(reopened.read(parser, file, source('other')), readLintSource(parser, source('other')));
    }
    // Written for another root: not this project's.
    writeFileSync(cacheFile, whole);
    const elsewhere = LintSourceCache.open(directory, temporaryFolder('project'));
    assert.deepEqual(elsewhere.read(parser, file, source('forwards')), readLintSource(parser, source('forwards')));
  });
});
