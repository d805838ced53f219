import * as assert from 'node:assert/strict';
import { parseAppConfigs } from '../../../server/src/python/appConfigParser';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { pythonParser, range } from './pythonTestParser';

describe('parseAppConfigs', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await pythonParser();
  });
  const parse = (text: string) => parseAppConfigs(parser, text);

  it('reads an apps.py as startapp writes it', () => {
    const parsed = parse(
      `from django.apps import AppConfig\n\n\nclass ShopConfig(AppConfig):\n    default_auto_field = 'django.db.models.BigAutoField'\n    name = 'shop'\n`,
    );
    assert.deepEqual(parsed.configs, [
      {
        className: 'ShopConfig',
        classNameRange: range(3, 6, 3, 16),
        range: range(3, 0, 5, 17),
        bases: ['AppConfig'],
        name: 'shop',
        nameRange: range(5, 11, 5, 17),
      },
    ]);
    assert.equal(parsed.defaultAppConfig, undefined);
    assert.deepEqual(parsed.dynamic, []);
    assert.deepEqual(parsed.syntaxErrors, []);
  });

  it('reads label and default, with any path to AppConfig', () => {
    const parsed = parse(
      `from django import apps\n\nclass A(apps.AppConfig):\n    name = 'billing.core'\n    label = "billing_core"\n    default = True\n\nclass B(django.apps.AppConfig):\n    name = 'billing.core'\n    label = 'other'\n    default = False\n`,
    );
    assert.deepEqual(
      parsed.configs.map((c) => [c.className, c.name, c.label, c.default]),
      [
        ['A', 'billing.core', 'billing_core', true],
        ['B', 'billing.core', 'other', false],
      ],
    );
    assert.deepEqual(parsed.configs[0].labelRange, range(4, 12, 4, 26));
  });

  it('inherits attributes from a config class of the same module', () => {
    const parsed = parse(
      `from django.apps import AppConfig\n\nclass Base(AppConfig):\n    name = 'shop'\n    label = 'store'\n\nclass Custom(Base):\n    label = 'custom'\n`,
    );
    assert.deepEqual(
      parsed.configs.map((c) => [c.className, c.name, c.label]),
      [
        ['Base', 'shop', 'store'],
        ['Custom', 'shop', 'custom'],
      ],
    );
  });

  it('counts subclasses of imported configs, not other classes', () => {
    const parsed = parse(
      `from django.contrib.admin.apps import AdminConfig\n\nclass MyAdminConfig(AdminConfig):\n    default_site = 'x.Site'\n\nclass Helper:\n    name = 'not a config'\n\nclass Mixin(object):\n    name = 'mixin'\n`,
    );
    assert.deepEqual(
      parsed.configs.map((c) => [c.className, c.name]),
      [['MyAdminConfig', undefined]],
    );
  });

  it('reads default_app_config from a package __init__', () => {
    const parsed = parse(`default_app_config = 'shop.apps.ShopConfig'\n`);
    assert.equal(parsed.defaultAppConfig, 'shop.apps.ShopConfig');
    assert.deepEqual(parsed.defaultAppConfigRange, range(0, 21, 0, 43));
    assert.deepEqual(parsed.configs, []);
  });

  it('records values that are not literal', () => {
    const parsed = parse(
      `import os\nfrom django.apps import AppConfig\n\nclass C(AppConfig):\n    name = os.environ['APP']\n    label = 'c'\n\ndefault_app_config = PATH\n`,
    );
    assert.deepEqual(
      parsed.configs.map((c) => [c.name, c.label]),
      [[undefined, 'c']],
    );
    assert.equal(parsed.dynamic.length, 2);
    assert.deepEqual(parsed.dynamic[0].range, range(4, 11, 4, 28));
  });

  it('reads decorated classes and survives syntax errors elsewhere', () => {
    const parsed = parse(`from django.apps import AppConfig\n\ndef broken(:\n    pass\n\n@register\nclass C(AppConfig):\n    name = 'c'\n`);
    assert.deepEqual(
      parsed.configs.map((c) => c.name),
      ['c'],
    );
    assert.ok(parsed.syntaxErrors.length > 0);
  });

  it('does not throw on any input', () => {
    for (const text of [
      '',
      'class',
      'class A(A):\n    pass\nclass B(B, A): pass',
      '\0\0\0',
      Buffer.from([0xff, 0xfe, 0x00]).toString('latin1'),
    ]) {
      assert.ok(Array.isArray(parse(text).configs));
    }
  });
});
