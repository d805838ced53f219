"""Bridge between Django Migrations and a project's own Django.

Started once per project with the project's interpreter, working directory the project root
and DJANGO_SETTINGS_MODULE set. It calls django.setup() once, then answers one JSON request per
line on stdin with one JSON response per line on stdout, in request order:

    request:  {"id": 1, "method": "sqlmigrate", "params": {...}}
    response: {"id": 1, "result": {...}}  or  {"id": 1, "error": {"type": ..., "message": ...}}

The first line it writes is {"event": "ready", "ok": true, ...}, or "ok": false with the error
that stopped Django from importing or setting up, after which it exits.
Anything else that writes to stdout (project code, Django) is sent to stderr instead.
"""
import contextlib
import importlib
import importlib.machinery
import io
import json
import os
import re
import sys
import time
import traceback

PROTOCOL_VERSION = 1
REDACTED = '********'
URL_PASSWORD = re.compile(r'(\w[\w+.-]*://[^:/?#@\s]*:)[^@/?#\s]+@')

# Migration packages ("shop.migrations"), known once Django is set up.
migration_packages = set()


class FreshMigrationLoader(importlib.machinery.SourceFileLoader):
    """Compiles migration modules from source, never from a cached .pyc: after `reload`, an edit
    must show even when it kept the file's size and modification second, which a .pyc check
    would miss."""

    def get_code(self, fullname):
        if fullname.rpartition('.')[0] in migration_packages:
            return self.source_to_code(self.get_data(self.path), self.path)
        return super().get_code(fullname)


def install_fresh_migration_loader():
    machinery = importlib.machinery
    sys.path_hooks.insert(0, machinery.FileFinder.path_hook(
        (machinery.ExtensionFileLoader, machinery.EXTENSION_SUFFIXES),
        (FreshMigrationLoader, machinery.SOURCE_SUFFIXES),
        (machinery.SourcelessFileLoader, machinery.BYTECODE_SUFFIXES),
    ))
    sys.path_importer_cache.clear()


def error_of(exc):
    return {
        'type': type(exc).__name__,
        'module': type(exc).__module__,
        'message': str(exc),
        'traceback': ''.join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }


def squash_target(loader, target):
    """From Django 4.0, `migrate APP SQUASH` on a partly applied squash (not in the graph) targets
    the last migration it replaces; Django 3.2 raises NodeNotFoundError there."""
    import django
    if django.VERSION >= (4, 0) and target not in loader.graph.nodes and target in loader.replacements:
        return loader.replacements[target].replaces[-1]
    return target


def key_text(key):
    return '%s.%s' % key


def redact(value, reveal):
    """DATABASES entries as JSON, with passwords hidden unless asked for."""
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            secret = any(word in str(key).upper() for word in ('PASSWORD', 'PASSWD'))
            if secret and item and not reveal:
                result[str(key)] = REDACTED
            else:
                result[str(key)] = redact(item, reveal)
        return result
    if isinstance(value, (list, tuple)):
        return [redact(item, reveal) for item in value]
    if isinstance(value, str):
        return value if reveal else URL_PASSWORD.sub(r'\1' + REDACTED + '@', value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return redact(str(value), reveal)


def positionals(*values):
    """Names from files and databases: one starting with '-' goes after '--', never an option."""
    values = [str(value) for value in values]
    return ['--', *values] if any(value.startswith('-') for value in values) else values


class Handlers:
    def __init__(self, project_root):
        self.project_root = project_root

    def sqlmigrate(self, params):
        """What `manage.py sqlmigrate` prints, through Django's own command."""
        from django.core.management import call_command
        from django.db import DEFAULT_DB_ALIAS
        stdout, stderr = io.StringIO(), io.StringIO()
        call_command(
            'sqlmigrate', *positionals(params['app'], params['name']),
            backwards=bool(params.get('backwards')),
            database=params.get('database') or DEFAULT_DB_ALIAS,
            skip_checks=bool(params.get('skipChecks')),
            stdout=stdout, stderr=stderr,
        )
        return {'stdout': stdout.getvalue(), 'stderr': stderr.getvalue()}

    def plan(self, params):
        """`migrate --plan`: the same targets, plan and lines, without touching the database."""
        from django.apps import apps
        from django.core.management.base import CommandError
        from django.core.management.commands.migrate import Command as Migrate
        from django.db import DEFAULT_DB_ALIAS, connections
        from django.db.migrations.executor import MigrationExecutor
        from django.db.migrations.loader import AmbiguityError
        from django.db.migrations.recorder import MigrationRecorder

        alias = params.get('database') or DEFAULT_DB_ALIAS
        # A plan is read from the database as it is now, over a new connection.
        connections[alias].close()
        executor = MigrationExecutor(connections[alias])
        loader = executor.loader
        loader.check_consistent_history(executor.connection)
        conflicts = loader.detect_conflicts()
        if conflicts:
            name_str = '; '.join('%s in %s' % (', '.join(names), app) for app, names in conflicts.items())
            raise CommandError(
                "Conflicting migrations detected; multiple leaf nodes in the "
                "migration graph: (%s).\nTo fix them run "
                "'python manage.py makemigrations --merge'" % name_str
            )
        requested = params.get('targets')
        unapply = params.get('unapply')
        if unapply:
            requested = [(unapply[0], unapply_target(loader, unapply[0], unapply[1]))]
        if requested is None:
            targets = loader.graph.leaf_nodes()
        else:
            targets = []
            for app_label, migration_name in requested:
                try:
                    apps.get_app_config(app_label)
                except LookupError as err:
                    raise CommandError(str(err))
                if app_label not in loader.migrated_apps:
                    raise CommandError("App '%s' does not have migrations." % app_label)
                if migration_name is None:
                    targets.extend(key for key in loader.graph.leaf_nodes() if key[0] == app_label)
                elif migration_name == 'zero':
                    targets.append((app_label, None))
                else:
                    try:
                        migration = loader.get_migration_by_prefix(app_label, migration_name)
                    except AmbiguityError:
                        raise CommandError(
                            "More than one migration matches '%s' in app '%s'. "
                            "Please be more specific." % (migration_name, app_label)
                        )
                    except KeyError:
                        raise CommandError("Cannot find a migration matching '%s' from app '%s'." % (
                            migration_name, app_label))
                    targets.append(squash_target(loader, (app_label, migration.name)))

        lines = ['Planned operations:']
        steps = []
        plan = executor.migration_plan(targets)
        if not plan:
            lines.append('  No planned migration operations.')
        for migration, backwards in plan:
            lines.append(str(migration))
            operations = []
            for operation in migration.operations:
                message, is_error = Migrate.describe_operation(operation, backwards)
                lines.append('    ' + message)
                operations.append({
                    'message': message, 'irreversible': is_error,
                    'type': type(operation).__name__, 'describe': operation.describe(),
                })
            steps.append({
                'app': migration.app_label, 'name': migration.name,
                'backwards': backwards, 'operations': operations,
            })
        recorded = MigrationRecorder(executor.connection).applied_migrations()
        result = {'lines': lines, 'plan': steps, 'applied': sorted(key_text(key) for key in recorded)}
        if unapply:
            result['target'] = requested[0][1]
        return result

    def planSql(self, params):
        """The SQL `migrate` would run for a plan, step by step in plan order, each as sqlmigrate
        prints it (`collect_sql` from the state before that migration). An irreversible step ends
        the list: migrate stops there."""
        from django.db import DEFAULT_DB_ALIAS, connections
        from django.db.migrations.executor import MigrationExecutor
        planned = self.plan(params)
        connection = connections[params.get('database') or DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        steps = []
        for step in planned['plan']:
            migration = executor.loader.graph.nodes[(step['app'], step['name'])]
            entry = {'app': step['app'], 'name': step['name'], 'backwards': step['backwards']}
            try:
                sql = '\n'.join(executor.loader.collect_sql([(migration, step['backwards'])]))
                # As sqlmigrate's output_transaction wraps it.
                if migration.atomic and connection.features.can_rollback_ddl:
                    sql = '%s\n%s\n%s' % (connection.ops.start_transaction_sql(), sql, connection.ops.end_transaction_sql())
                entry['sql'] = sql
            except Exception as exc:
                entry['error'] = {'type': type(exc).__name__, 'message': str(exc)}
                steps.append(entry)
                break
            steps.append(entry)
        return {'lines': planned['lines'], 'steps': steps, 'applied': planned['applied']}

    def databases(self, params):
        from django.conf import settings
        from django.db import DEFAULT_DB_ALIAS, connections
        reveal = bool(params.get('includePasswords'))
        result = {}
        for alias in settings.DATABASES:
            entry = {'settings': redact(settings.DATABASES[alias], reveal)}
            try:
                entry['vendor'] = connections[alias].vendor
            except Exception as exc:
                entry['vendor'] = None
                entry['error'] = {'type': type(exc).__name__, 'message': redact(str(exc), reveal)}
            result[alias] = entry
        return {'default': DEFAULT_DB_ALIAS, 'databases': result}

    def makemigrationsCheck(self, params):
        """`makemigrations --check --dry-run`: what it would write, per app, and its exit status."""
        from django.core.management import call_command
        from django.core.management.commands.makemigrations import Command as Makemigrations
        from django.db.migrations.writer import MigrationWriter

        command = Makemigrations()
        found = {}
        write_migration_files = command.write_migration_files

        def capture(changes):
            found.update(changes)
            write_migration_files(changes)
        command.write_migration_files = capture

        stdout, stderr = io.StringIO(), io.StringIO()
        exit_code = 0
        try:
            call_command(
                command, *positionals(*(params.get('apps') or [])),
                check_changes=True, dry_run=True, interactive=False,
                verbosity=int(params.get('verbosity', 1)),
                stdout=stdout, stderr=stderr, no_color=True,
            )
        except SystemExit as exc:
            exit_code = exc.code if isinstance(exc.code, int) else 1
        changes = {}
        for app_label, migrations in sorted(found.items()):
            changes[app_label] = []
            for migration in migrations:
                writer = MigrationWriter(migration, command.include_header)
                changes[app_label].append({
                    'name': migration.name,
                    'path': writer.path,
                    'content': writer.as_string(),
                    'operations': [operation.describe() for operation in migration.operations],
                })
        return {'exitCode': exit_code, 'stdout': stdout.getvalue(), 'stderr': stderr.getvalue(), 'changes': changes}

    def makemigrations(self, params):
        """`makemigrations`, writing files, with Django's own interactive questions answered from
        params['answers'] in order. At the first question without an answer it stops before
        anything is written and returns that question; the caller asks the user and runs it again
        with one more answer. Stale when project sources changed after this process imported them
        (Django cannot unload models): the caller restarts the helper first."""
        from django.core.management import call_command
        from django.core.management.commands import makemigrations as makemigrations_module
        from django.db.migrations import questioner as questioner_module
        from django.db.migrations.writer import MigrationWriter

        if sources_changed_since_start(self.project_root):
            return {'stale': True}
        answers = [str(answer) for answer in params.get('answers') or []]
        transcript = io.StringIO()
        asking = {'next': 0, 'mark': 0, 'kind': {'kind': 'text'}}

        def answer(prompt=''):
            # Django 3.2 passes its prompt to input(); later versions wrote it already.
            transcript.write(prompt)
            if asking['next'] < len(answers):
                value = answers[asking['next']]
                asking['next'] += 1
                transcript.write(value + '\n')
                asking['mark'] = len(transcript.getvalue())
                return value
            raise QuestionAsked(dict(asking['kind'], text=transcript.getvalue()[asking['mark']:], index=asking['next']))

        base = makemigrations_module.InteractiveMigrationQuestioner

        class AnsweringQuestioner(base):
            """Django's questioner, its prompts and checks unchanged; only what it asks is recorded."""

            def _boolean_input(self, question, default=None):
                asking['kind'] = {'kind': 'boolean', 'question': question, 'default': default}
                return super()._boolean_input(question, default)

            def _choice_input(self, question, choices):
                asking['kind'] = {'kind': 'choice', 'question': question, 'choices': list(choices)}
                return super()._choice_input(question, choices)

            def _ask_default(self, default=''):
                asking['kind'] = {'kind': 'default', 'question': None, 'default': default or None}
                return super()._ask_default(default)

        command = makemigrations_module.Command()
        written = {}
        write_migration_files = command.write_migration_files

        def capture(changes, *args, **kwargs):
            written.update(changes)
            return write_migration_files(changes, *args, **kwargs)
        command.write_migration_files = capture

        options = {'interactive': True, 'verbosity': 1, 'stdout': transcript, 'stderr': io.StringIO(), 'no_color': True}
        if params.get('name'):
            options['name'] = str(params['name'])
        exit_code = 0
        question = None
        makemigrations_module.InteractiveMigrationQuestioner = AnsweringQuestioner
        questioner_module.input = answer
        try:
            with contextlib.redirect_stdout(transcript):
                call_command(command, *positionals(*(params.get('apps') or [])), **options)
        except QuestionAsked as asked:
            question = asked.question
        except SystemExit as exc:
            exit_code = exc.code if isinstance(exc.code, int) else 1
        finally:
            makemigrations_module.InteractiveMigrationQuestioner = base
            del questioner_module.input
        result = {'exitCode': exit_code, 'stdout': transcript.getvalue(), 'stderr': options['stderr'].getvalue(), 'written': {}}
        if question is not None:
            result['question'] = question
            return result
        for app_label, migrations in sorted(written.items()):
            result['written'][app_label] = [
                {'name': migration.name, 'path': MigrationWriter(migration, command.include_header).path}
                for migration in migrations
            ]
        return result

    def renameRecorderRows(self, params):
        """Renames rows of one alias's django_migrations in one transaction: every row, or none."""
        from django.db import connections, transaction
        from django.db.migrations.recorder import MigrationRecorder

        alias = params['database']
        rows = MigrationRecorder(connections[alias]).Migration.objects.using(alias)
        with transaction.atomic(using=alias):
            for rename in params['renames']:
                if rows.filter(app=rename['app'], name=rename['to']).exists():
                    raise ValueError('a row %s.%s already exists' % (rename['app'], rename['to']))
                if rows.filter(app=rename['app'], name=rename['from']).update(name=rename['to']) != 1:
                    raise ValueError('no row %s.%s (the database changed since it was read)' % (rename['app'], rename['from']))
        return {'renamed': len(params['renames'])}

    def reload(self, params):
        """Forget imported migration modules so the next request reads the files again."""
        stale = [
            name for name in sys.modules
            if name in migration_packages or name.rpartition('.')[0] in migration_packages
        ]
        for name in stale:
            del sys.modules[name]
        importlib.invalidate_caches()
        return {'modules': len(stale)}


class QuestionAsked(Exception):
    """makemigrations asked a question no answer was given for (nothing is written yet)."""

    def __init__(self, question):
        super().__init__(question.get('text', ''))
        self.question = question


# When this process started, in nanoseconds: project sources changed later are not what it imported.
STARTED_NS = time.time_ns()


def sources_changed_since_start(project_root):
    """A module of the project (models, apps, settings; not its migrations) changed on disk after
    this process started: what Django holds in memory is no longer what the files say."""
    root = os.path.join(os.path.abspath(project_root), '')
    for name, module in list(sys.modules.items()):
        path = getattr(module, '__file__', None)
        if not path or not os.path.abspath(path).startswith(root):
            continue
        if name in migration_packages or name.rpartition('.')[0] in migration_packages:
            continue
        try:
            if os.stat(path).st_mtime_ns > STARTED_NS:
                return True
        except OSError:
            return True
    return False


def unapply_target(loader, app_label, name):
    """Where `migrate APP TARGET` goes to unapply one migration, in the graph Django uses: a
    replaced migration stands for its squash, and a parent a squash replaced is that squash
    (Django's own `migrate APP REPLACED` fails with a KeyError)."""
    from django.core.management.base import CommandError
    graph = loader.graph
    key = (app_label, name)
    if key not in graph.node_map:
        squashes = [
            squash for squash, migration in loader.replacements.items()
            if key in migration.replaces and squash in graph.node_map
        ]
        if not squashes:
            raise CommandError("Cannot find a migration matching '%s' from app '%s'." % (name, app_label))
        key = squashes[0]
    parents = sorted(parent.key[1] for parent in graph.node_map[key].parents if parent.key[0] == app_label)
    return parents[0] if parents else 'zero'


# (device, inode) of each SQLite file when its connection was opened, by alias.
sqlite_files = {}


def sqlite_file(connection):
    name = connection.settings_dict.get('NAME')
    if connection.vendor != 'sqlite' or not name or str(name) == ':memory:' or str(name).startswith('file:'):
        return None
    return os.path.abspath(str(name))


def file_identity(path):
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def remember_sqlite_file(sender, connection, **kwargs):
    path = sqlite_file(connection)
    if path:
        sqlite_files[connection.alias] = file_identity(path)


def keep_connections_usable():
    """Drop connections the server closed while the helper waited, and connections to a SQLite
    file that was deleted or replaced since (`rm db.sqlite3 && migrate`, a restored backup), so
    the next request reads the database the project has now."""
    from django.db import connections
    for alias in connections:
        try:
            connection = connections[alias]
            if connection.connection is None:
                continue
            path = sqlite_file(connection)
            replaced = path is not None and file_identity(path) != sqlite_files.get(alias)
            if replaced or not connection.is_usable():
                connection.close()
        except Exception:
            pass  # A backend that cannot load is reported by the request that needs it.


def main():
    project_root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.getcwd())
    # Like `python manage.py`: the project root first on the path, not this script's folder.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or '.') != here]
    sys.path.insert(0, project_root)

    channel = io.open(os.dup(1), 'w', encoding='ascii', newline='\n')
    os.dup2(2, 1)

    def send(message):
        channel.write(json.dumps(message, default=str) + '\n')
        channel.flush()

    install_fresh_migration_loader()
    try:
        import django
    except Exception as exc:
        send({'event': 'ready', 'ok': False, 'phase': 'import', 'error': error_of(exc)})
        return 3
    try:
        django.setup()
        from django.apps import apps
        from django.db.backends.signals import connection_created
        from django.db.migrations.loader import MigrationLoader
        connection_created.connect(remember_sqlite_file)
        for app_config in apps.get_app_configs():
            module_name, _ = MigrationLoader.migrations_module(app_config.label)
            if module_name:
                migration_packages.add(module_name)
    except Exception as exc:
        send({'event': 'ready', 'ok': False, 'phase': 'setup', 'error': error_of(exc)})
        return 4
    send({
        'event': 'ready', 'ok': True, 'protocol': PROTOCOL_VERSION, 'pid': os.getpid(),
        'django': django.get_version(), 'python': sys.version.split()[0],
        'executable': sys.executable, 'settings': os.environ.get('DJANGO_SETTINGS_MODULE'),
    })

    handlers = Handlers(project_root)
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return 0
        if not line.strip():
            continue
        request_id = None
        try:
            request = json.loads(line.decode('utf-8'))
            request_id = request.get('id')
            method = request.get('method')
            handler = getattr(handlers, method, None) if isinstance(method, str) and not method.startswith('_') else None
            if not callable(handler):
                raise LookupError('Unknown method: %r' % (method,))
            keep_connections_usable()
            send({'id': request_id, 'result': handler(request.get('params') or {})})
        except (Exception, SystemExit) as exc:
            send({'id': request_id, 'error': error_of(exc)})


if __name__ == '__main__':
    sys.exit(main())
