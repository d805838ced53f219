"""Print Django's own migration state after every migration of a project, as one JSON object.

Usage: django_state.py PROJECT_DIR [--settings MODULE]

For each migration key of the loader's graph, `loader.project_state((app, name))` as
docs/state-json.md describes it: every model with its fields as `deconstruct()` gives them,
options, bases and managers. `cli state --json` prints the same shape, so the two compare key by
key. No database is needed: the loader is built without a connection.
"""
import argparse
import copy
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from django_graph import settings_module_from_manage_py  # noqa: E402


def canonical_path(path):
    """`django.db.models.X` for what the models package exports (CASCADE, Manager, Index...)."""
    import django.db.models

    module, _, name = path.rpartition('.')
    if module.startswith('django.db.models.') and hasattr(django.db.models, name):
        return 'django.db.models.%s' % name
    return path


def short_name(value):
    """`module.qualname` of a function or class, as canonical_path shortens it."""
    name = getattr(value, '__qualname__', getattr(value, '__name__', repr(value)))
    return canonical_path('%s.%s' % (value.__module__, name))


def encode(value):
    from django.utils.functional import Promise

    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (str, Promise)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((encode(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, dict):
        return {'dict': {str(key): encode(item) for key, item in value.items()}}
    if not isinstance(value, type) and hasattr(value, 'deconstruct'):
        parts = value.deconstruct()
        if len(parts) == 5:  # Manager: (as_manager, path, qs_class, args, kwargs)
            _, path, _, args, kwargs = parts
        elif len(parts) == 4:  # Field: (name, path, args, kwargs)
            _, path, args, kwargs = parts
        else:
            path, args, kwargs = parts
        return {'call': canonical_path(path), 'args': encode(list(args)), 'kwargs': {k: encode(v) for k, v in kwargs.items()}}
    if callable(value):
        return {'name': short_name(value)}
    return {'repr': repr(value)}


def encode_base(base):
    if isinstance(base, str):
        return base
    return {'name': short_name(base)}


def dump_state(state):
    models = {}
    for (app_label, name_lower), model in state.models.items():
        models['%s.%s' % (app_label, name_lower)] = {
            'app_label': model.app_label,
            'name': model.name,
            'fields': [[name, encode(field)] for name, field in model.fields.items()],
            'options': {key: encode(value) for key, value in model.options.items()},
            'bases': [encode_base(base) for base in model.bases],
            'managers': [[name, encode(manager)] for name, manager in model.managers],
        }
    return {'models': models}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('project_dir')
    parser.add_argument('--settings', help='settings module (default: the one manage.py names)')
    args = parser.parse_args()
    project_dir = os.path.realpath(args.project_dir)
    sys.path[0] = project_dir
    os.environ['DJANGO_SETTINGS_MODULE'] = args.settings or settings_module_from_manage_py(project_dir)
    import django
    from django.db.migrations.loader import MigrationLoader

    django.setup()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    # RenameField changes field objects in place (remote_field.field_name, to_fields), and
    # those objects belong to the migrations, shared by every state the loader makes: each
    # state is made from fresh copies of the operations, as a fresh process would make it.
    originals = {key: migration.operations for key, migration in loader.graph.nodes.items()}
    states = {}
    for key in sorted(loader.graph.nodes):
        for other, migration in loader.graph.nodes.items():
            migration.operations = copy.deepcopy(originals[other])
        states['%s.%s' % key] = dump_state(loader.project_state(key))
    json.dump(states, sys.stdout, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
