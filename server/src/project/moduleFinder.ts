import * as path from 'node:path';
import { ProjectFileSystem } from './fileSystem';

export type FoundModule =
  /** A package: a folder (with `__init__.py`, or a namespace package without). */
  { readonly kind: 'package'; readonly directory: string; readonly initFile?: string } | { readonly kind: 'module'; readonly file: string };

/**
 * Finds a dotted module on a list of import roots, as Python's path finder would: the first root
 * that has it wins, a regular package before a module of the same name.
 */
export class ModuleFinder {
  private readonly cache = new Map<string, Promise<FoundModule | undefined>>();

  constructor(
    private readonly fileSystem: ProjectFileSystem,
    readonly roots: readonly string[],
  ) {}

  find(dotted: string): Promise<FoundModule | undefined> {
    let found = this.cache.get(dotted);
    if (!found) {
      found = this.search(dotted);
      this.cache.set(dotted, found);
    }
    return found;
  }

  /** A namespace portion is only used when no root has a regular package or module (PEP 420). */
  private async search(dotted: string): Promise<FoundModule | undefined> {
    const parts = dotted.split('.');
    if (parts.some((part) => part === '')) return undefined;
    let namespace: FoundModule | undefined;
    for (const root of this.roots) {
      const base = path.join(root, ...parts);
      const isDirectory = await this.fileSystem.isDirectory(base);
      const initFile = path.join(base, '__init__.py');
      if (isDirectory && (await this.fileSystem.isFile(initFile))) return { kind: 'package', directory: base, initFile };
      if (await this.fileSystem.isFile(`${base}.py`)) return { kind: 'module', file: `${base}.py` };
      if (isDirectory) namespace ??= { kind: 'package', directory: base };
    }
    return namespace;
  }
}
