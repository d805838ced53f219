import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { managePy, projectFolder } from '../../support/projectFolder';

const SETTINGS = "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.contenttypes', 'django.contrib.auth', 'shop']\n";

/** A data migration whose RunPython function reads `body`, after `imports`. */
function dataMigration(imports: string, body: string, extra = ''): string {
  return [
    'from django.db import migrations, models',
    imports,
    '',
    extra,
    'def forwards(apps, schema_editor):',
    `    ${body}`,
    '',
    '',
    'class Migration(migrations.Migration):',
    "    dependencies = [('shop', '0001_initial')]",
    '    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]',
    '',
  ].join('\n');
}

/** Migration name to its file: one case each, with the import the warning should name (or none). */
const CASES: Readonly<Record<string, [source: string, warned: string | undefined]>> = {
  '0002_model_used': [dataMigration('from shop.models import Order', 'Order.objects.update(total=0)'), 'Order'],
  '0003_relative_import': [dataMigration('from ..models import Order as O', 'O.objects.count()'), 'Order'],
  '0004_through_project_base': [dataMigration('from shop.models import Invoice', 'Invoice.objects.all()'), 'Invoice'],
  '0005_reexported_from_package': [dataMigration('from shop.catalog import Product', 'Product.objects.all()'), 'Product'],
  '0006_through_helper': [
    dataMigration('from shop.models import Order', 'helper()', 'def helper():\n    return Order.objects.all()\n\n'),
    'Order',
  ],
  '0007_contrib_model': [dataMigration('from django.contrib.auth.models import User', 'User.objects.count()'), 'User'],
  '0008_field_class': [dataMigration('from shop.fields import MoneyField', 'MoneyField()'), undefined],
  '0009_mixin_in_bases': [
    [
      'from django.db import migrations, models',
      'from shop.models import TimestampMixin',
      '',
      'class Migration(migrations.Migration):',
      "    dependencies = [('shop', '0001_initial')]",
      "    operations = [migrations.CreateModel(name='Log', fields=[], bases=(TimestampMixin, models.Model)), migrations.RunPython(migrations.RunPython.noop)]",
      '',
    ].join('\n'),
    undefined,
  ],
  '0010_manager': [dataMigration('from shop.models import OrderManager', 'OrderManager()'), undefined],
  '0011_callables_and_constants': [
    [
      'from django.db import migrations, models',
      'from shop.models import default_total, upload_to, STATUS_NEW, Order',
      '',
      'class Migration(migrations.Migration):',
      "    dependencies = [('shop', '0001_initial')]",
      "    operations = [migrations.AddField('order', 'status', models.IntegerField(default=default_total)), migrations.RunPython(migrations.RunPython.noop)]",
      '',
    ].join('\n'),
    undefined,
  ],
  '0012_model_to_dict': [
    dataMigration('from django.forms.models import model_to_dict', "model_to_dict(apps.get_model('shop', 'Order')())"),
    undefined,
  ],
  '0013_abstract_not_used_in_runpython': [
    dataMigration('from shop.models import Order', "apps.get_model('shop', 'Order')", 'KEEP = Order\n\n'),
    undefined,
  ],
  '0014_constant_in_runpython': [
    dataMigration('from shop.models import STATUS_NEW', "apps.get_model('shop', 'Order').objects.update(status=STATUS_NEW)"),
    undefined,
  ],
  '0015_django_expression': [
    dataMigration('from django.db.models import F', "apps.get_model('shop', 'Order').objects.update(total=F('total') * 2)"),
    undefined,
  ],
  '0016_third_party_base': [dataMigration('from shop.models import Tagged', 'Tagged.objects.all()'), undefined],
};

describe('model-import-in-data-migration: only model classes a RunPython function uses', function () {
  it('warns for model classes (direct, relative, through project bases, re-exported, through a helper, contrib) and nothing else', async function () {
    const migrations = Object.fromEntries(Object.entries(CASES).map(([name, [source]]) => [`shop/migrations/${name}.py`, source]));
    const root = projectFolder({
      'manage.py': managePy('config.settings'),
      'config/__init__.py': '',
      'config/settings.py': SETTINGS,
      'shop/__init__.py': '',
      'shop/fields.py': 'from django.db import models\n\n\nclass MoneyField(models.DecimalField):\n    pass\n',
      'shop/base.py': 'from django.db import models\n\n\nclass Document(models.Model):\n    class Meta:\n        abstract = True\n',
      'shop/models.py': [
        'from django.db import models',
        'from taggit.models import TaggedModel',
        'from .base import Document',
        '',
        'STATUS_NEW = 1',
        'def default_total():',
        '    return 0',
        'def upload_to(instance, name):',
        '    return name',
        'class OrderManager(models.Manager):',
        '    pass',
        'class TimestampMixin:',
        '    created = None',
        'class Order(TimestampMixin, models.Model):',
        '    objects = OrderManager()',
        'class Invoice(Document):',
        '    pass',
        'class Tagged(TaggedModel):',
        '    pass',
        '',
      ].join('\n'),
      'shop/catalog/__init__.py': 'from .product import Product\n',
      'shop/catalog/product.py': 'from django.db.models import Model\n\n\nclass Product(Model):\n    pass\n',
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py':
        'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    operations = []\n',
      ...migrations,
    });
    const [project] = await loadProjects(root, { trusted: false });
    const warned = project
      .analyse()
      .problems.filter((p) => p.code === 'model-import-in-data-migration')
      .map((p) => [path.basename(p.file, '.py'), /uses the model (\w+)/.exec(p.message)?.[1]]);
    const expected = Object.entries(CASES).flatMap(([name, [, model]]) => (model ? [[name, model]] : []));
    assert.deepEqual(warned.sort(), expected.sort());
  });
});
