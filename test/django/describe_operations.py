"""Django's describe() and reversible for operation calls written as a migration would write them.

Usage: PYTHON describe_operations.py < calls.json  (a JSON list of Python expressions)
Prints a JSON list of {"type", "describe", "reversible"} or {"error"} in the same order.
"""
import json
import sys

import django
from django.conf import settings

settings.configure(INSTALLED_APPS=['django.contrib.contenttypes', 'django.contrib.auth', 'django.contrib.postgres'])
django.setup()

import django.contrib.postgres.operations  # noqa: E402
import django.db.models.expressions  # noqa: E402
import django.db.models.functions  # noqa: E402
from django.contrib.postgres import operations as postgres_operations  # noqa: E402
from django.db import migrations, models  # noqa: E402
from django.db.models import F, Q, Value  # noqa: E402
from django.db.models.functions import Collate, Lower, Upper  # noqa: E402

namespace = {
    'django': django, 'migrations': migrations, 'models': models, 'operations': postgres_operations,
    'F': F, 'Q': Q, 'Value': Value, 'Lower': Lower, 'Upper': Upper, 'Collate': Collate,
}
results = []
for source in json.load(sys.stdin):
    try:
        operation = eval(source, dict(namespace))
        results.append({'type': type(operation).__name__, 'describe': operation.describe(), 'reversible': operation.reversible})
    except Exception as exc:
        results.append({'error': '%s: %s' % (type(exc).__name__, exc)})
print(json.dumps(results))
