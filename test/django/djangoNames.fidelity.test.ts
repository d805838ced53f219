import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createIndexName } from '../../server/src/core/lints/djangoNames';
import { DJANGO_PYTHON } from './commandsProject';

const run = promisify(execFile);

/** Django's own `_create_index_name` on PostgreSQL, for each case. */
const DJANGO_NAMES = `
import json, sys
import django
from django.conf import settings
settings.configure(DATABASES={'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'unused'}})
django.setup()
from django.db import connection
editor = connection.schema_editor()
print(json.dumps([editor._create_index_name(table, columns, suffix) for table, columns, suffix in json.loads(sys.argv[1])]))
`;

/** The names the safe rewrites give indexes and constraints are the ones Django itself would give them. */
describe("lint fixes name indexes and constraints as Django's schema editor does", () => {
  it('short, long and shortened names, with and without suffixes', async () => {
    const cases: [string, string[], string][] = [
      ['shop_product', ['category_id'], ''],
      ['shop_product', ['category_id'], '_fk_shop_category_id'],
      ['shop_product', ['sku'], '_like'],
      ['shop_product', ['name'], '_uniq'],
      [`shop_${'p'.repeat(60)}`, ['category_id'], '_fk_shop_category_id'],
      ['shop_product', [`c${'x'.repeat(70)}`], '_like'],
      ['1shop', ['a'.repeat(80)], ''],
      ['_shop', ['a'.repeat(80)], '_like'],
    ];
    const { stdout } = await run(DJANGO_PYTHON, ['-c', DJANGO_NAMES, JSON.stringify(cases)]);
    assert.deepEqual(
      cases.map(([table, columns, suffix]) => createIndexName(table, columns, suffix)),
      JSON.parse(stdout),
    );
  });
});
