import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface DirectoryEntry {
  readonly name: string;
  readonly isDirectory: boolean;
  readonly isFile: boolean;
}

/**
 * The file access discovery needs, behind an interface so the language server can lay the
 * editor's unsaved text over the disk and tests can count what is read.
 */
export interface ProjectFileSystem {
  /** The file's bytes, or undefined when it cannot be read. */
  readFile(file: string): Promise<Uint8Array | undefined>;
  /** The directory's entries, or an empty list when it cannot be read. */
  readDirectory(directory: string): Promise<DirectoryEntry[]>;
  isFile(file: string): Promise<boolean>;
  isDirectory(directory: string): Promise<boolean>;
}

export const nodeFileSystem: ProjectFileSystem = {
  async readFile(file) {
    try {
      return await fs.readFile(file);
    } catch {
      return undefined;
    }
  },
  async readDirectory(directory) {
    try {
      const entries = await fs.readdir(directory, { withFileTypes: true });
      return Promise.all(
        entries.map(async (entry) => {
          // Follow symbolic links as Python's import system does.
          if (entry.isSymbolicLink()) {
            const stat = await fs.stat(path.join(directory, entry.name)).catch(() => undefined);
            return { name: entry.name, isDirectory: !!stat?.isDirectory(), isFile: !!stat?.isFile() };
          }
          return { name: entry.name, isDirectory: entry.isDirectory(), isFile: entry.isFile() };
        }),
      );
    } catch {
      return [];
    }
  },
  async isFile(file) {
    return (await fs.stat(file).catch(() => undefined))?.isFile() ?? false;
  },
  async isDirectory(directory) {
    return (await fs.stat(directory).catch(() => undefined))?.isDirectory() ?? false;
  },
};
