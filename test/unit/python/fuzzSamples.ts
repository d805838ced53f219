import * as fs from 'node:fs';
import * as path from 'node:path';
import { SAMPLE_MIGRATION } from './sampleMigration';

export const FIXTURES = path.join(__dirname, '../../../../test/fixtures');

/** Samples that make the test meaningful even without fixture projects. */
export const INLINE_SAMPLES: Record<string, string> = {
  'sample migration': SAMPLE_MIGRATION,
  'squashed migration': `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    replaces = [('shop', '0001_initial'), ('shop', '0002_item_price')]\n    run_before = [('billing', '0001_initial')]\n    atomic = False\n    dependencies = [('auth', '__first__'), migrations.swappable_dependency(getattr(settings, 'AUTH_USER_MODEL', 'auth.User'))]\n    operations = [\n        migrations.RunSQL(\n            sql=["CREATE INDEX i ON t (c);"],\n            reverse_sql=migrations.RunSQL.noop,\n        ),\n        migrations.AlterModelOptions(name='item', options={'ordering': ('-id',), 'verbose_name': 'élément 😀'}),\n    ]\n`,
  'dynamic migration': `import os\nfrom django.db import migrations\n\nOPS = [migrations.RunSQL('SELECT 1')]\n\ndef forwards(apps, schema_editor):\n    Item = apps.get_model('shop', 'Item')\n    Item.objects.update(price=0)\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001')] + EXTRA\n    operations = OPS if os.environ.get('X') else [migrations.RunPython(forwards, lambda a, s: None)]\n    operations += [op for op in OPS]\n\nMigration.operations.append(migrations.RunSQL(r'''\n  SELECT '\\n';\n'''))\n`,
  settings: `from pathlib import Path\nimport os\nBASE_DIR = Path(__file__).resolve().parent.parent\nINSTALLED_APPS = ['django.contrib.auth', 'shop'] + ['x']\nif os.environ.get('DEBUG'):\n    INSTALLED_APPS += ['debug_toolbar']\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': os.environ.get('DB', 'shop'), 'PORT': int(os.getenv('PORT', '5432'))}}\nMIGRATION_MODULES = {'shop': None}\n`,
  apps: `from django.apps import AppConfig\n\nclass ShopConfig(AppConfig):\n    name = 'shop'\n    label = 'store'\n    default = True\n`,
};

const decoder = new TextDecoder('utf-8');

/** Mutations of `text`: truncations, flipped bits, deleted and duplicated lines, invalid UTF-8. */
export function mutations(text: string, random: () => number, count: number): string[] {
  const pick = (n: number) => Math.floor(random() * n);
  const out: string[] = [];
  const bytes = Buffer.from(text, 'utf8');
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < count; i++) {
    switch (i % 5) {
      case 0:
        out.push(text.slice(0, pick(text.length + 1)));
        break;
      case 1: {
        const flipped = Buffer.from(bytes);
        for (let n = 1 + pick(4); n > 0 && flipped.length > 0; n--) flipped[pick(flipped.length)] ^= 1 << pick(8);
        out.push(decoder.decode(flipped));
        break;
      }
      case 2: {
        const kept = [...lines];
        kept.splice(pick(kept.length), 1 + pick(3));
        out.push(kept.join('\n'));
        break;
      }
      case 3: {
        const doubled = [...lines];
        const at = pick(doubled.length);
        doubled.splice(at, 0, ...doubled.slice(at, at + 1 + pick(3)));
        out.push(doubled.join('\n'));
        break;
      }
      default: {
        const invalid = [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0x80]][pick(6)];
        const at = pick(bytes.length + 1);
        out.push(decoder.decode(Buffer.concat([bytes.subarray(0, at), Buffer.from(invalid), bytes.subarray(at)])));
      }
    }
  }
  return out;
}

export function pythonFiles(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return pythonFiles(full);
    return entry.isFile() && entry.name.endsWith('.py') ? [full] : [];
  });
}
