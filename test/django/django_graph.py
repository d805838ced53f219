"""Print what Django's own migration loader sees in a project, as one JSON object.

Usage: django_graph.py PROJECT_DIR [--settings MODULE] [--database-url URL] [--include-external]

The object follows docs/graph-json.md, the contract with `cli graph --json`, and is built only
from Django's objects (MigrationLoader, MigrationGraph, MigrationExecutor), so the CLI's output
can be compared with it key by key. The database is only read, never created or written.
"""
import argparse
import ast
import json
import os
import sys
from urllib.parse import unquote, urlparse

sys.dont_write_bytecode = True


def settings_module_from_manage_py(project_dir):
    """The module named by os.environ.setdefault('DJANGO_SETTINGS_MODULE', ...) in manage.py."""
    with open(os.path.join(project_dir, 'manage.py'), encoding='utf-8') as source:
        tree = ast.parse(source.read())
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == 'setdefault'
            and len(node.args) == 2
            and all(isinstance(arg, ast.Constant) for arg in node.args)
            and node.args[0].value == 'DJANGO_SETTINGS_MODULE'
        ):
            return node.args[1].value
    raise SystemExit('%s/manage.py does not name DJANGO_SETTINGS_MODULE; pass --settings' % project_dir)


def database_from_url(url):
    """A DATABASES entry for sqlite:///relative, sqlite:////absolute or postgres://... URLs."""
    parsed = urlparse(url)
    if parsed.scheme == 'sqlite':
        # As dj-database-url reads it: the first "/" after the host separates, the rest is the path.
        return {'ENGINE': 'django.db.backends.sqlite3', 'NAME': unquote(parsed.path[1:])}
    if parsed.scheme in ('postgres', 'postgresql'):
        return {
            'ENGINE': 'django.db.backends.postgresql',
            'NAME': unquote(parsed.path[1:]),
            'USER': unquote(parsed.username or ''),
            'PASSWORD': unquote(parsed.password or ''),
            'HOST': parsed.hostname or '',
            'PORT': str(parsed.port or ''),
        }
    raise SystemExit('unsupported database URL scheme: %s' % parsed.scheme)


def setup_django(project_dir, settings_module, database_url):
    """Configure and start Django for the project; return the default connection, or None when
    the configured SQLite file does not exist (nothing applied, and no empty file created)."""
    # The project directory takes the place of this script's directory, as for manage.py.
    sys.path[0] = project_dir
    os.environ['DJANGO_SETTINGS_MODULE'] = settings_module
    import django
    from django.conf import settings

    if database_url:
        settings.DATABASES = {'default': database_from_url(database_url)}
    django.setup()
    from django.db import connection

    name = str(connection.settings_dict['NAME'])
    if connection.vendor == 'sqlite' and name != ':memory:' and not os.path.exists(name):
        return None
    return connection


def key_string(key):
    return '%s.%s' % key


def migrations_package_dirs(app_label):
    from django.db.migrations.loader import MigrationLoader

    module_name, _ = MigrationLoader.migrations_module(app_label)
    module = sys.modules.get(module_name) if module_name else None
    return list(getattr(module, '__path__', []))


def external_app_labels(loader, project_dir):
    """Migrated apps whose migrations package lies outside the project (contrib, third-party)."""
    external = set()
    for label in loader.migrated_apps:
        dirs = [os.path.realpath(path) for path in migrations_package_dirs(label)]
        if not any(is_inside(path, project_dir) for path in dirs):
            external.add(label)
    return external


def load(loader):
    """Build the loader's graph; return the exception Django raised, if any. The graph built
    before the raise stays on the loader."""
    try:
        loader.build_graph()
    except Exception as exc:  # Django's loader errors are the data being dumped.
        return exc
    return None


def is_inside(path, directory):
    return path == directory or path.startswith(directory + os.sep)


def migration_file(migration, project_dir):
    """Relative to the project with "/" separators; absolute for apps outside it."""
    path = os.path.realpath(sys.modules[type(migration).__module__].__file__)
    if not is_inside(path, project_dir):
        return path
    return os.path.relpath(path, project_dir).replace(os.sep, '/')


def dump_node(key, migration, project_dir):
    return {
        'app': key[0],
        'name': key[1],
        'file': migration_file(migration, project_dir),
        'dependencies': [list(dependency) for dependency in migration.dependencies],
        'replaces': [list(replaced) for replaced in migration.replaces],
        'run_before': [list(child) for child in migration.run_before],
        'initial': migration.initial,
        'atomic': migration.atomic,
        'operations': [
            {'type': type(operation).__name__, 'describe': operation.describe(), 'reversible': operation.reversible}
            for operation in migration.operations
        ],
    }


def per_app(keys, keep):
    grouped = {}
    for app, name in keys:
        if keep((app, name)):
            grouped.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(grouped.items())}


def dump_graph(graph, keep):
    if graph is None:
        return {'nodes': [], 'edges': [], 'leaf_nodes': {}, 'root_nodes': {}}
    edges = [
        [key_string(child), key_string(parent.key)]
        for child, node in graph.node_map.items()
        for parent in node.parents
        if keep(child) or keep(parent.key)
    ]
    return {
        'nodes': sorted(key_string(key) for key in graph.nodes if keep(key)),
        'edges': sorted(edges),
        'leaf_nodes': per_app(graph.leaf_nodes(), keep),
        'root_nodes': per_app(graph.root_nodes(), keep),
    }


def dump_error(exc):
    from django.db.migrations.exceptions import NodeNotFoundError

    error = {'type': type(exc).__name__, 'message': str(exc)}
    if isinstance(exc, NodeNotFoundError):
        error['node'] = list(exc.node)
    return error


def plan_from_zero(keep):
    """MigrationExecutor.migration_plan(leaf_nodes, clean_start=True) on a loader that sees an
    empty database (no connection), so every squash is used; empty when that graph is invalid."""
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(None)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    except Exception:  # An invalid graph has no plan; its error is reported in "errors".
        return []
    return [[migration.app_label, migration.name] for migration, _ in plan if keep((migration.app_label, migration.name))]


def dump(project_dir, connection, include_external):
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    graph_loader = MigrationLoader(connection, load=False, replace_migrations=False)
    load(graph_loader)
    loader = MigrationLoader(connection, load=False)
    error = load(loader)

    external = set() if include_external else external_app_labels(loader, project_dir)

    def keep(key):
        return key[0] not in external

    disk_migrations = loader.disk_migrations or {}
    graph = getattr(loader, 'graph', None)
    applied = loader.applied_migrations
    if applied is None:
        applied = MigrationRecorder(connection).applied_migrations() if connection is not None else {}
    return {
        'nodes': [
            dump_node(key, disk_migrations[key], project_dir) for key in sorted(disk_migrations) if keep(key)
        ],
        'graph': dump_graph(getattr(graph_loader, 'graph', None), keep),
        'graph_replaced': dump_graph(graph, keep),
        'applied': sorted(key_string(key) for key in applied if keep(key)),
        'conflicts': {
            app: names for app, names in sorted(loader.detect_conflicts().items()) if app not in external
        } if graph is not None else {},
        'plan_from_zero': plan_from_zero(keep),
        'errors': [dump_error(error)] if error is not None else [],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('project_dir')
    parser.add_argument('--settings', help='settings module (default: the one manage.py names)')
    parser.add_argument('--database-url', help='sqlite:///path or postgres://... (default: settings)')
    parser.add_argument(
        '--include-external', action='store_true',
        help='also dump apps whose migrations live outside PROJECT_DIR (contrib, third-party)',
    )
    args = parser.parse_args()
    project_dir = os.path.realpath(args.project_dir)
    settings_module = args.settings or settings_module_from_manage_py(project_dir)
    connection = setup_django(project_dir, settings_module, args.database_url)
    json.dump(dump(project_dir, connection, args.include_external), sys.stdout, indent=2)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
