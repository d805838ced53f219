import * as path from 'node:path';
import { ProjectFileSystem } from './fileSystem';

export interface MigrationModuleFile {
  /** Module name as Django's loader keys it: the file name without `.py`. */
  readonly name: string;
  readonly path: string;
}

/** What a migrations package holds, as Django's loader sees it. */
export type MigrationPackage =
  | {
      readonly kind: 'package';
      readonly files: readonly MigrationModuleFile[];
      /** Named like a migration module but not a file (a folder, a FIFO, a dangling link): Django's import fails. */
      readonly notFiles: readonly MigrationModuleFile[];
      readonly initFile: string;
    }
  /** No such directory: the app has no migrations (Django: unmigrated). */
  | { readonly kind: 'missing' }
  /** A directory without `__init__.py` is a namespace package, which Django 3.2 ignores. */
  | { readonly kind: 'namespace' };

/**
 * The migration modules of a migrations package, as `pkgutil.iter_modules` lists them and
 * Django's loader filters them: plain modules only (no sub-packages), skipping names that start
 * with `_` or `~`. A name need not be a valid identifier (`0003_add-cold-storage`).
 */
export async function readMigrationPackage(fileSystem: ProjectFileSystem, directory: string): Promise<MigrationPackage> {
  if (!(await fileSystem.isDirectory(directory))) return { kind: 'missing' };
  const entries = await fileSystem.readDirectory(directory);
  if (!entries.some((entry) => entry.name === '__init__.py' && entry.isFile)) return { kind: 'namespace' };
  const modules = entries.filter((entry) => migrationModuleName(entry.name) !== undefined);
  // pkgutil lists every `*.py` name, file or not; the import of what is not a file then fails.
  const listed = (isFile: boolean) =>
    modules
      .filter((entry) => entry.isFile === isFile)
      .map((entry) => ({ name: entry.name.slice(0, -3), path: path.join(directory, entry.name) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { kind: 'package', files: listed(true), notFiles: listed(false), initFile: path.join(directory, '__init__.py') };
}

/** The module name Django's loader gives a file of a migrations package, or undefined when it skips the file. */
export function migrationModuleName(fileName: string): string | undefined {
  const name = fileName.slice(0, -3);
  return fileName.endsWith('.py') && name.length > 0 && !name.startsWith('_') && !name.startsWith('~') && !name.includes('.')
    ? name
    : undefined;
}
