import * as fs from 'node:fs';

/**
 * A database in `journal_mode=WAL` whose `-wal` or `-shm` file is absent: opening it, even
 * read-only, creates both beside it, in the user's project. With no `-wal` file every commit is
 * in the main file, so a copy of it is read instead, marked as a rollback-journal database
 * (header bytes 18 and 19), which is how an in-memory copy can be opened. Undefined for any
 * other file: it is opened where it is.
 */
export function walModeCopy(file: string): Buffer | undefined {
  if (!opensWithNewFiles(file)) return undefined;
  const copy = fs.readFileSync(file);
  copy[18] = 1;
  copy[19] = 1;
  return copy;
}

/** Whether opening the file in place would create its `-wal` and `-shm` files. */
export function opensWithNewFiles(file: string): boolean {
  const header = Buffer.alloc(20);
  let descriptor: number | undefined;
  try {
    descriptor = fs.openSync(file, 'r');
    if (fs.readSync(descriptor, header, 0, 20, 0) < 20 || header[18] !== 2) return false;
  } catch {
    return false;
  } finally {
    if (descriptor !== undefined) fs.closeSync(descriptor);
  }
  return !(fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`));
}
