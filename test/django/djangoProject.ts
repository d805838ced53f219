import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixturesDirectory, repositoryRoot } from '../support/repositoryPaths';

/** Debian's python3-django is installed for this interpreter, not for the `python3` on PATH. */
export const djangoPython = '/usr/bin/python3';

export { fixturesDirectory, repositoryRoot };

const djangoGraphScript = path.join(repositoryRoot, 'test', 'django', 'django_graph.py');

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface DjangoGraphOptions {
  readonly settings?: string;
  readonly includeExternal?: boolean;
}

/**
 * A throw-away copy of a fixture project in a temporary folder, driven by the real Django of
 * /usr/bin/python3: manage.py commands, Django's MigrationRecorder, test/django/django_graph.py.
 */
export class DjangoProject {
  private constructor(
    /** The copy's folder (the folder of its manage.py). */
    readonly dir: string,
    private readonly temporaryRoot: string,
  ) {}

  /** Copies test/fixtures/<scenario> (without databases or bytecode) to a new temporary folder. */
  static async fromFixture(scenario: string): Promise<DjangoProject> {
    const source = path.join(fixturesDirectory, scenario);
    if (!existsSync(path.join(source, 'manage.py'))) throw new Error(`no fixture project at ${source}`);
    const temporaryRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'django-migrations-fixture-'));
    const dir = path.join(temporaryRoot, scenario);
    await fs.cp(source, dir, {
      recursive: true,
      filter: (file) => !['db.sqlite3', '__pycache__'].includes(path.basename(file)),
    });
    return new DjangoProject(dir, temporaryRoot);
  }

  /** The project's default SQLite database: BASE_DIR / 'db.sqlite3' in every fixture. */
  get databasePath(): string {
    return path.join(this.dir, 'db.sqlite3');
  }

  /** `sqlite:////absolute/path` in dj-database-url's convention. */
  get databaseUrl(): string {
    return `sqlite:///${this.databasePath}`;
  }

  /** Runs /usr/bin/python3 in the project folder; resolves with the result whatever the exit code. */
  python(args: readonly string[]): Promise<ProcessResult> {
    return runProcess(djangoPython, args, this.dir);
  }

  /** `manage.py ARGS`; rejects with Django's output when the command fails. */
  async manage(...args: string[]): Promise<ProcessResult> {
    return succeeded(await this.python(['manage.py', ...args]), `manage.py ${args.join(' ')}`);
  }

  /** Records migrations as applied with Django's MigrationRecorder, without running them. */
  async recordApplied(keys: readonly (readonly [string, string])[], ...manageArguments: string[]): Promise<void> {
    const code = [
      'from django.db import connection',
      'from django.db.migrations.recorder import MigrationRecorder',
      'recorder = MigrationRecorder(connection)',
      `for app, name in ${JSON.stringify(keys)}:`,
      '    recorder.record_applied(app, name)',
    ].join('\n');
    await this.manage('shell', '-c', code, ...manageArguments);
  }

  /** What Django's MigrationLoader sees, as the JSON of docs/graph-json.md. */
  async djangoGraph(options: DjangoGraphOptions = {}): Promise<Record<string, unknown>> {
    const args = [djangoGraphScript, this.dir, '--database-url', this.databaseUrl];
    if (options.settings) args.push('--settings', options.settings);
    if (options.includeExternal) args.push('--include-external');
    return parseJson(succeeded(await this.python(args), 'django_graph.py'), 'django_graph.py');
  }

  async remove(): Promise<void> {
    await fs.rm(this.temporaryRoot, { recursive: true, force: true });
  }
}

/** Runs a command to completion without a shell; never rejects on a non-zero exit code. */
export function runProcess(command: string, args: readonly string[], cwd: string): Promise<ProcessResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  // The project's manage.py, not the caller's environment, chooses the settings.
  delete env.DJANGO_SETTINGS_MODULE;
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** The object a process printed on stdout; rejects with its output when that is not JSON. */
export function parseJson(result: ProcessResult, what: string): Record<string, unknown> {
  try {
    return JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`${what} printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

function succeeded(result: ProcessResult, what: string): ProcessResult {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Runs `work` over `items`, a few at a time: each item pays for Django's start-up. */
export async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(2, os.availableParallelism()) }, worker));
}
