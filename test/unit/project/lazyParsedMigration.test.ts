import * as assert from 'node:assert/strict';
import { parseMigration } from '../../../server/src/python/migrationParser';
import { encodedBody, lazyParsedMigration, migrationHeader } from '../../../server/src/project/lazyParsedMigration';
import { pythonParser } from '../python/pythonTestParser';
import { SAMPLE_MIGRATION } from '../python/sampleMigration';

describe('lazyParsedMigration (a cached migration, its body decoded on first read)', function () {
  it('answers what the loader reads without decoding the body, then decodes it once', async function () {
    const parsed = parseMigration(await pythonParser(), SAMPLE_MIGRATION);
    let decoded = 0;
    const lazy = lazyParsedMigration(JSON.parse(JSON.stringify(migrationHeader(parsed))), () => {
      decoded++;
      return encodedBody(parsed);
    });
    assert.deepEqual(
      [lazy.hasMigrationClass, lazy.dependencies, lazy.replaces, lazy.runBefore, lazy.initial, lazy.atomic],
      [parsed.hasMigrationClass, parsed.dependencies, parsed.replaces, parsed.runBefore, parsed.initial, parsed.atomic],
    );
    assert.equal(decoded, 0);

    assert.deepEqual(lazy.operations, parsed.operations);
    assert.deepEqual(lazy.imports, parsed.imports);
    assert.deepEqual(lazy.functions, parsed.functions);
    assert.deepEqual(lazy.classNameRange, parsed.classNameRange);
    assert.deepEqual(lazy.attributeRanges, parsed.attributeRanges);
    assert.equal(decoded, 1);
    assert.equal(encodedBody(lazy), encodedBody(parsed), 'the body text is passed on as it came');
    assert.equal(decoded, 2);
    assert.ok(parsed.operations.length > 0 && parsed.functions.length > 0, 'the sample has operations and a function');
  });
});
