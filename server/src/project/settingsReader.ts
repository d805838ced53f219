import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { FILE_START } from '../core/sourceRange';
import { ModuleSource } from '../python/moduleInterpreter';
import { PythonParser } from '../python/pythonParser';
import { parseSettings, StaticSettings } from '../python/settingsParser';
import { decodeSource } from './sourceText';

/**
 * Reads a settings module's text statically, with what it star-imports read from disk by the
 * import roots: plain data and synchronous file reads only, so it runs alike on the server's
 * thread and on a worker.
 */
export function readSettings(parser: PythonParser, file: string, text: string, roots: readonly string[]): StaticSettings {
  return parseSettings(parser, { path: file, text }, (name, fromFile) => readImportedModule(name, fromFile, roots));
}

/** Settings whose module could not be read in time: every tracked setting is unknown, as for a parse over the limit here. */
export function unreadSettings(file: string, message: string): StaticSettings {
  return {
    file,
    installedApps: undefined,
    installedAppsDynamic: true,
    migrationModules: new Map(),
    authUserModelDynamic: true,
    databases: {},
    locations: {},
    dynamic: [
      {
        location: { path: file, range: FILE_START },
        description: `${message}: INSTALLED_APPS, MIGRATION_MODULES, AUTH_USER_MODEL, DATABASES are not read from it`,
      },
    ],
    syntaxErrors: [],
    overTimeLimit: [{ path: file, message }],
    files: [file],
  };
}

/** `.base` relative to the importing file's package, or an absolute module on the roots. */
function readImportedModule(name: string, fromFile: string, roots: readonly string[]): ModuleSource | undefined {
  const dots = name.length - name.replace(/^\.+/, '').length;
  const parts = name.slice(dots).split('.').filter(Boolean);
  const bases = dots > 0 ? [ancestor(path.dirname(fromFile), dots - 1)] : roots;
  for (const base of bases) {
    const target = path.join(base, ...parts);
    for (const candidate of [path.join(target, '__init__.py'), `${target}.py`]) {
      if (isFile(candidate)) return { path: candidate, text: decodeSource(readFileSync(candidate)).text };
    }
  }
  return undefined;
}

function ancestor(directory: string, levels: number): string {
  let current = directory;
  for (let i = 0; i < levels; i++) current = path.dirname(current);
  return current;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
