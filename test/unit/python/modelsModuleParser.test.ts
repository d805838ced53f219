import * as assert from 'node:assert/strict';
import { parseModelsModule } from '../../../server/src/python/modelsModuleParser';
import { loadPythonParser } from '../../../server/src/python/pythonParser';

describe('parseModelsModule: constants', function () {
  it('reads a constant, and leaves a table of data too large for any model unknown rather than copying it', async function () {
    const parser = await loadPythonParser();
    const table = `[${'1, '.repeat(40_000)}]`;
    const parsed = parseModelsModule(parser, `SIZES = [('s', 'Small'), ('l', 'Large')]\nTABLE = ${table}\n`);
    assert.equal(parsed.bindings.get('SIZES')?.kind, 'value');
    assert.equal(parsed.bindings.has('TABLE'), false);
    assert.ok(parsed.dynamicNames.has('TABLE'));
  });
});
