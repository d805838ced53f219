import { ChildProcess, spawn } from 'node:child_process';
import { Client } from 'pg';
import { djangoPostgresDatabase } from '../db/migratedDjangoProject';
import { createTestDatabase, dropTestDatabase } from '../db/postgresCluster';
import { managePy, temporaryFolder, writeFiles } from '../support/projectFolder';
import { waitFor } from '../support/waitFor';
import { DJANGO_PYTHON } from './commandsProject';

/** `shop.0001_initial`: two tables with rows, as a project in production has them. */
const INITIAL = `from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='Category',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=100)),
            ],
        ),
        migrations.CreateModel(
            name='Product',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100)),
                ('quantity', models.IntegerField(null=True)),
            ],
        ),
        migrations.RunSQL(
            "INSERT INTO shop_category (title) SELECT 'c' || n FROM generate_series(1, 100) n;"
            "INSERT INTO shop_product (name, quantity) SELECT 'p' || n, n FROM generate_series(1, 2000) n;",
            migrations.RunSQL.noop,
        ),
    ]
`;

export interface MigrateResult {
  readonly code: number | null;
  readonly output: string;
}

/** A migrate running in the background. */
export interface RunningMigrate {
  readonly process: ChildProcess;
  readonly done: Promise<MigrateResult>;
}

/**
 * A Django 3.2 project (app `shop`, tables with rows) migrated into a fresh PostgreSQL database
 * by the real `manage.py migrate`; each test writes a migration and applies it.
 */
export class LintFidelityProject {
  private constructor(
    readonly root: string,
    readonly databaseUrl: string,
  ) {}

  static async create(serverUrl: string): Promise<LintFidelityProject> {
    const databaseUrl = await createTestDatabase(serverUrl, 'lints');
    const root = temporaryFolder('lints');
    writeFiles(root, {
      'manage.py': managePy('site_settings.settings'),
      'site_settings/__init__.py': '',
      'site_settings/settings.py':
        `SECRET_KEY = 'fidelity'\nUSE_TZ = True\nINSTALLED_APPS = ['django.contrib.postgres', 'shop']\n` +
        `DATABASES = {'default': ${JSON.stringify(djangoPostgresDatabase(databaseUrl))}}\n`,
      'shop/__init__.py': '',
      'shop/models.py': '',
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': INITIAL,
    });
    const project = new LintFidelityProject(root, databaseUrl);
    const initial = await project.migrate('0001_initial');
    if (initial.code !== 0) throw new Error(`migrate 0001 failed: ${initial.output}`);
    return project;
  }

  writeMigration(name: string, text: string): void {
    writeFiles(this.root, { [`shop/migrations/${name}.py`]: text });
  }

  /** `manage.py migrate shop TARGET`, to its end. */
  migrate(target: string): Promise<MigrateResult> {
    return this.startMigrate(target).done;
  }

  startMigrate(target: string): RunningMigrate {
    const child = spawn(DJANGO_PYTHON, ['manage.py', 'migrate', 'shop', target, '--noinput'], {
      cwd: this.root,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const done = new Promise<MigrateResult>((resolve) => child.on('close', (code) => resolve({ code, output })));
    return { process: child, done };
  }

  /** One statement on a connection of its own; its rows, or the error's SQLSTATE. */
  async query(
    statement: string,
    lockTimeoutMs?: number,
  ): Promise<{ rows: Record<string, unknown>[] } | { error: string; message: string }> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      if (lockTimeoutMs !== undefined) await client.query(`SET lock_timeout = '${lockTimeoutMs}ms'`);
      const result = await client.query(statement);
      return { rows: result.rows };
    } catch (error) {
      const { code, message } = error as { code?: string; message: string };
      return { error: code ?? 'unknown', message };
    } finally {
      await client.end();
    }
  }

  /**
   * Runs `body` while another session has written to `table` and not committed (the site's
   * traffic), then commits it.
   */
  async withOpenWriter<T>(table: string, values: string, body: (writerPid: number) => Promise<T>): Promise<T> {
    const writer = new Client({ connectionString: this.databaseUrl });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`INSERT INTO ${table} ${values}`);
      const pid = Number((await writer.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
      const result = await body(pid);
      await writer.query('COMMIT');
      return result;
    } finally {
      await writer.end();
    }
  }

  /**
   * The table locks of the other sessions (the migrate), once `until` accepts them: what the
   * operation holds or waits for.
   */
  async locksOn(table: string, exceptPid: number, until: (locks: TableLock[]) => boolean): Promise<TableLock[]> {
    return waitFor(
      `locks on ${table}`,
      async () => {
        const found = await this.query(
          `SELECT l.mode, l.granted FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         WHERE c.relname = '${table}' AND l.pid <> pg_backend_pid() AND l.pid <> ${exceptPid}
           AND l.pid IN (SELECT pid FROM pg_stat_activity WHERE datname = current_database())`,
        );
        if ('error' in found) return undefined;
        const locks = found.rows.map((row) => ({ mode: String(row.mode), granted: Boolean(row.granted) }));
        return until(locks) ? locks : undefined;
        // The migrate is a new Python process importing Django: slow to start on a busy machine.
      },
      120_000,
    );
  }

  /**
   * Migrates to `target` through the site's traffic: a write to `table` is open when the migrate
   * starts; once the migrate waits for `mode` behind it, a second write queues behind the
   * migrate and the first commits. The second write is granted as soon as the statement that
   * took `mode` commits, and stays open: what the migrate does next runs beside an open write.
   */
  async migrateThroughTraffic(
    target: string,
    table: string,
    values: string,
    mode: string,
  ): Promise<{ running: RunningMigrate; second: OpenWriter }> {
    const first = await OpenWriter.begin(this.databaseUrl);
    const second = await OpenWriter.begin(this.databaseUrl);
    try {
      await first.write(`INSERT INTO ${table} ${values}`);
      const running = this.startMigrate(target);
      await this.locksOn(table, first.pid, (locks) => locks.some((l) => l.mode === mode && !l.granted));
      const queued = second.write(`INSERT INTO ${table} ${values}`);
      await first.commit();
      await queued;
      return { running, second };
    } catch (error) {
      await second.end();
      throw error;
    } finally {
      await first.end();
    }
  }

  /**
   * The table's columns, constraints and indexes as PostgreSQL's catalogs describe them: what
   * two ways of making the same change must leave alike.
   */
  async schema(tables: readonly string[]): Promise<string[]> {
    const names = tables.map((table) => `'${table}'`).join(', ');
    const rows = async (statement: string) => {
      const found = await this.query(statement);
      if ('error' in found) throw new Error(found.message);
      return found.rows.map((row) => Object.values(row).map(String).join(' | '));
    };
    return [
      ...(await rows(
        `SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default
           FROM information_schema.columns WHERE table_name IN (${names}) ORDER BY table_name, column_name`,
      )),
      ...(await rows(
        `SELECT conrelid::regclass, conname, pg_get_constraintdef(oid), convalidated
           FROM pg_constraint WHERE conrelid::regclass::text IN (${names}) ORDER BY 1, 2`,
      )),
      ...(await rows(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename IN (${names}) ORDER BY 1, 2`)),
    ];
  }

  async relfilenode(table: string): Promise<number> {
    const found = await this.query(`SELECT pg_relation_filenode('${table}') AS node`);
    if ('error' in found) throw new Error(found.message);
    return Number(found.rows[0].node);
  }

  async dispose(): Promise<void> {
    await dropTestDatabase(this.databaseUrl);
  }
}

/** A session with a transaction left open after its writes: the site's traffic during a deploy. */
export class OpenWriter {
  private constructor(
    private readonly client: Client,
    readonly pid: number,
  ) {}

  static async begin(databaseUrl: string): Promise<OpenWriter> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    await client.query('BEGIN');
    return new OpenWriter(client, pid);
  }

  async write(statement: string): Promise<void> {
    await this.client.query(statement);
  }

  async commit(): Promise<void> {
    await this.client.query('COMMIT');
  }

  async end(): Promise<void> {
    await this.client.end();
  }
}

export interface TableLock {
  readonly mode: string;
  readonly granted: boolean;
}

/** A migration of `shop` after `previous` with these operations. */
export function shopMigration(previous: string, operations: string, { atomic = true, imports = '' } = {}): string {
  return (
    `from django.db import migrations, models\nimport django.db.models.deletion\n${imports}\n\n` +
    `class Migration(migrations.Migration):\n\n${atomic ? '' : '    atomic = False\n\n'}` +
    `    dependencies = [\n        ('shop', '${previous}'),\n    ]\n\n    operations = [\n${operations}\n    ]\n`
  );
}
