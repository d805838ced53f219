import * as assert from 'node:assert/strict';
import { LINT_RULE_ID_SET } from '../../../../server/src/core/lints';
import { readLintConfiguration } from '../../../../server/src/core/lints/lintConfiguration';
import { lintText, migrationText } from './lintText';

const selected = readLintConfiguration({ select: ['run-python-unbatched'] }, LINT_RULE_ID_SET).configuration;

/** The run-python-unbatched findings on a migration whose RunPython runs `forwards`, defined with `body`. */
async function findings(body: string, { attributes = '', reverse = 'migrations.RunPython.noop' } = {}) {
  const functions = `def forwards(apps, schema_editor):\n${body}\n\n\n`;
  const text = migrationText(`        migrations.RunPython(forwards, ${reverse}, elidable=True),`, { functions, attributes });
  return lintText(text, { configuration: selected });
}

const rows = (loop: string, inner = '        product.price = 0\n        product.save()') =>
  `    Product = apps.get_model('shop', 'Product')\n    for product in ${loop}:\n${inner}`;

describe('run-python-unbatched', () => {
  it('reports save() on every row of a whole queryset, on the function name, with the loop line', async () => {
    const [finding, ...rest] = await findings(rows('Product.objects.all()'));
    assert.equal(rest.length, 0);
    assert.equal(finding.code, 'run-python-unbatched');
    assert.equal(finding.severity, 'information');
    assert.match(
      finding.message,
      /^forwards \(line 6\) loads every row of Product\.objects\.all\(\) into memory and saves them one by one/,
    );
    assert.match(finding.message, /holds the lock of every row it saved until the migration commits/);
    assert.match(finding.message, /iterator\(chunk_size=\.\.\.\)/);
    // On `forwards` in the RunPython call, where a suppression comment goes.
    assert.equal(finding.range.start.line, 17);
    assert.equal(finding.range.start.character, 'migrations.RunPython('.length + 8);
  });

  it('follows filter chains, other managers, get_model inline, and a queryset assigned once', async () => {
    for (const loop of [
      "Product.objects.filter(price=None).order_by('pk')",
      'Product._default_manager.all()',
      "apps.get_model('shop', 'Product').objects.all()",
    ]) {
      assert.equal((await findings(rows(loop))).length, 1, loop);
    }
    const assigned =
      "    queryset = apps.get_model('shop', 'Product').objects.all()\n    for p in queryset:\n        p.save(update_fields=['price'])";
    assert.equal((await findings(assigned)).length, 1);
  });

  it('reports bulk_update without batch_size, and not with one', async () => {
    const unbatched = "    Product = apps.get_model('shop', 'Product')\n    Product.objects.bulk_update(products, ['price'])";
    const [finding] = await findings(unbatched);
    assert.match(finding.message, /calls bulk_update without batch_size/);
    assert.deepEqual(await findings(unbatched.replace("['price'])", "['price'], batch_size=500)")), []);
    assert.deepEqual(await findings(unbatched.replace("['price'])", "['price'], **options)")), []);
  });

  it('passes over batched, sliced, single-statement and unrelated writes', async () => {
    for (const body of [
      rows('Product.objects.all().iterator()'),
      rows('Product.objects.iterator(chunk_size=500)'),
      rows('Product.objects.all()[:1000]'),
      rows('Product.objects.all()', '        print(product)'),
      rows('Product.objects.all()', '        other.save()'),
      rows('products'),
      "    Product = apps.get_model('shop', 'Product')\n    Product.objects.update(price=0)",
      "    Product = apps.get_model('shop', 'Product')\n    Product.objects.filter(price=None).update(price=0)",
      '    qs = Product.objects.all()\n    qs = qs.filter(x=1)\n    for p in qs:\n        p.save()',
    ]) {
      assert.deepEqual(await findings(body), [], body);
    }
  });

  it('speaks of locks only in an atomic migration, reads reverse_code too, and stays off until selected', async () => {
    const [finding] = await findings(rows('Product.objects.all()'), { attributes: '    atomic = False\n' });
    assert.doesNotMatch(finding.message, /lock/);
    assert.equal((await findings(rows('Product.objects.all()'), { reverse: 'forwards' })).length, 2);
    const functions = `def forwards(apps, schema_editor):\n${rows('Product.objects.all()')}\n\n\n`;
    assert.deepEqual(await lintText(migrationText('        migrations.RunPython(forwards, elidable=True),', { functions })), []);
  });

  it('is silenced by a suppression comment on the RunPython', async () => {
    const functions = `def forwards(apps, schema_editor):\n${rows('Product.objects.all()')}\n\n\n`;
    const operation =
      '        # django-migrations: ignore[run-python-unbatched] the table has 40 rows\n        migrations.RunPython(forwards, elidable=True),';
    assert.deepEqual(await lintText(migrationText(operation, { functions }), { configuration: selected }), []);
  });
});
