import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createMariadbDatabase, djangoMysqlDatabase, dropMariadbDatabase, runMariadbSql } from '../db/mariadbServer';
import { managePy, temporaryFolder, writeFiles } from '../support/projectFolder';
import { DJANGO_PYTHON } from './commandsProject';

const run = promisify(execFile);

export interface ManageResult {
  readonly code: number;
  readonly stdout: string;
  readonly output: string;
}

/**
 * A project with one app, `shop`, on a fresh database of the test MariaDB through Django's MySQL
 * backend (Debian's mysqlclient); each test writes its migrations and runs the real `manage.py`.
 */
export class MysqlProject {
  private constructor(
    readonly root: string,
    readonly databaseUrl: string,
  ) {}

  static async create(serverUrl: string): Promise<MysqlProject> {
    const databaseUrl = await createMariadbDatabase(serverUrl, 'lints');
    const root = temporaryFolder('mysql-lints');
    writeFiles(root, {
      'manage.py': managePy('site_settings.settings'),
      'site_settings/__init__.py': '',
      'site_settings/settings.py':
        `SECRET_KEY = 'fidelity'\nUSE_TZ = True\nINSTALLED_APPS = ['shop']\n` +
        `DATABASES = {'default': ${JSON.stringify(djangoMysqlDatabase(databaseUrl))}}\n` +
        // Django 3.2 warns (mysql.W002) unless the session is strict; MariaDB's default sql_mode already is.
        `SILENCED_SYSTEM_CHECKS = ['mysql.W002']\nDEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n`,
      'shop/__init__.py': '',
      'shop/models.py': '',
      'shop/migrations/__init__.py': '',
    });
    return new MysqlProject(root, databaseUrl);
  }

  writeMigration(name: string, text: string): void {
    writeFiles(this.root, { [`shop/migrations/${name}.py`]: text });
  }

  /** `manage.py ARGS`, never throwing: its exit code and output. */
  async manage(...args: string[]): Promise<ManageResult> {
    try {
      const { stdout, stderr } = await run(DJANGO_PYTHON, ['manage.py', ...args], {
        cwd: this.root,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      });
      return { code: 0, stdout, output: stdout + stderr };
    } catch (error) {
      const { code, stdout = '', stderr = '' } = error as { code?: number; stdout?: string; stderr?: string };
      return { code: code ?? -1, stdout, output: stdout + stderr };
    }
  }

  migrate(target: string): Promise<ManageResult> {
    return this.manage('migrate', 'shop', target, '--noinput');
  }

  query(statement: string): Promise<Record<string, unknown>[]> {
    return runMariadbSql(this.databaseUrl, statement);
  }

  /** The columns of a table, as the server has them. */
  async columns(table: string): Promise<string[]> {
    const rows = await this.query(
      `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' ORDER BY ORDINAL_POSITION`,
    );
    return rows.map((row) => String(row.name));
  }

  /** The shop migrations the recorder holds. */
  async recorded(): Promise<string[]> {
    const rows = await this.query("SELECT name FROM django_migrations WHERE app = 'shop' ORDER BY id");
    return rows.map((row) => String(row.name));
  }

  async dispose(): Promise<void> {
    await dropMariadbDatabase(this.databaseUrl);
  }
}
