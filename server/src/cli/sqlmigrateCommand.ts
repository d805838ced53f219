import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DjangoRequestError } from '../django/djangoErrors';
import { DjangoHelperProcess } from '../django/djangoHelperProcess';
import { resolvePythonEnvironment } from '../django/pythonEnvironment';
import { settingsModuleFromManage } from '../python/manageParser';
import { loadPythonParser, ParseTimeLimitError } from '../python/pythonParser';
import { parseCommandLine, UsageError } from './commonOptions';
import { printableLines } from './terminalText';

const USAGE =
  'usage: sqlmigrate APP NAME [--backwards] [--database ALIAS] [--skip-checks] [--dir DIR] [--python PATH] [--settings MODULE]\n';

/**
 * `sqlmigrate APP NAME`: exactly what `manage.py sqlmigrate` prints, produced by the project's own
 * Django through the helper. Exit codes follow manage.py: 1 when Django raised, 2 for usage.
 */
export async function runSqlmigrate(
  argv: string[],
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, {
      backwards: { type: 'boolean', default: false },
      'skip-checks': { type: 'boolean', default: false },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (parsed.values.help) {
      await write(out, USAGE);
      return 0;
    }
    if (parsed.positionals.length !== 2) throw new UsageError('expected APP and NAME');
    if (parsed.values['database-url'] !== undefined) {
      throw new UsageError("--database-url does not apply: Django's DATABASES setting decides, choose an alias with --database");
    }
  } catch (error) {
    if (error instanceof UsageError) {
      await write(err, `sqlmigrate: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }

  const [app, name] = parsed.positionals;
  const projectRoot = path.resolve(parsed.values.dir ?? '.');
  const managePy = path.join(projectRoot, 'manage.py');
  if (!existsSync(managePy)) {
    await write(err, `sqlmigrate: no manage.py in ${projectRoot} (pass the project folder with --dir)\n`);
    return 1;
  }
  const environment = resolvePythonEnvironment({
    projectRoot,
    pythonPath: parsed.values.python,
    settingsModule: parsed.values.settings,
    manageSettingsModule: parsed.values.settings ? undefined : await manageSettingsModule(managePy),
  });
  for (const problem of environment.problems) {
    await write(err, `sqlmigrate: ${problem.file}${problem.line === undefined ? '' : `:${problem.line + 1}`}: ${problem.message}\n`);
  }
  if (!environment.settingsModule) {
    await write(err, 'sqlmigrate: no settings module: pass --settings MODULE or set DJANGO_SETTINGS_MODULE\n');
    return 1;
  }

  // Running this command is the user's explicit request to run the project's Python.
  const helper = new DjangoHelperProcess({ trusted: true, environment, idleTimeoutMs: 0 });
  try {
    const output = await helper.sqlmigrate({
      app,
      name,
      backwards: parsed.values.backwards,
      database: parsed.values.database,
      skipChecks: parsed.values['skip-checks'],
    });
    await write(err, printableLines(output.stderr));
    await write(out, printableLines(output.stdout));
    return 0;
  } catch (error) {
    // manage.py prints a CommandError as "CommandError: message"; other errors the same way here.
    const text = error instanceof DjangoRequestError ? `${error.type}: ${error.djangoMessage}` : (error as Error).message;
    await write(err, `${text}\n`);
    return 1;
  } finally {
    await helper.dispose();
  }
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!text) return Promise.resolve();
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

/** What manage.py sets; undefined when it sets none, or its parse ran past the time limit (then `--settings` is asked for). */
async function manageSettingsModule(managePy: string): Promise<string | undefined> {
  try {
    return settingsModuleFromManage(await loadPythonParser(), readFileSync(managePy, 'utf8'));
  } catch (error) {
    if (error instanceof ParseTimeLimitError) return undefined;
    throw error;
  }
}
