import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PythonParser } from '../python/pythonParser';
import { ModuleSource, parseSettings, StaticSettings } from '../python/settingsParser';
import { ProjectFileSystem } from './fileSystem';
import { ModuleFinder } from './moduleFinder';
import { decodeSource } from './sourceText';

/**
 * Reads a settings module (and what it star-imports) statically. Settings are read from disk:
 * a change to them reloads the project when saved.
 */
export async function readProjectSettings(
  settingsModule: string,
  finder: ModuleFinder,
  parser: PythonParser,
  fileSystem: ProjectFileSystem,
): Promise<StaticSettings | undefined> {
  const found = await finder.find(settingsModule);
  const file = found?.kind === 'module' ? found.file : found?.initFile;
  if (!file) return undefined;
  const bytes = await fileSystem.readFile(file);
  if (!bytes) return undefined;
  return parseSettings(parser, { path: file, text: decodeSource(bytes).text }, (name, fromFile) =>
    readImportedModule(name, fromFile, finder.roots),
  );
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
