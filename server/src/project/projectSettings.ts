import { PythonParser } from '../python/pythonParser';
import { StaticSettings } from '../python/settingsParser';
import { EditedTextParser } from './editedTextParser';
import { ProjectFileSystem } from './fileSystem';
import { ModuleFinder } from './moduleFinder';
import { decodeSource } from './sourceText';

/**
 * Reads a settings module (and what it star-imports) statically, on the server's thread within a
 * slice, else on a worker: a settings module over the time limit is read as unknown, never a
 * stall. Settings are read from disk: a change to them reloads the project when saved.
 */
export async function readProjectSettings(
  settingsModule: string,
  finder: ModuleFinder,
  parser: PythonParser,
  fileSystem: ProjectFileSystem,
  reading = new EditedTextParser(parser.limitMs),
): Promise<StaticSettings | undefined> {
  const found = await finder.find(settingsModule);
  const file = found?.kind === 'module' ? found.file : found?.initFile;
  if (!file) return undefined;
  const bytes = await fileSystem.readFile(file);
  if (!bytes) return undefined;
  return reading.readFile('settings', parser, { file, roots: finder.roots }, decodeSource(bytes).text);
}
