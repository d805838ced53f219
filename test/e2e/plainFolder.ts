import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary Python project without Django: no `manage.py`, no migrations packages. */
export function makePlainFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'plain-python-'));
  mkdirSync(join(folder, 'tools'));
  writeFileSync(join(folder, 'tools', '__init__.py'), '');
  writeFileSync(join(folder, 'tools', 'report.py'), 'def total(prices):\n    return sum(prices)\n\n\nprint(total([1, 2, 3]))\n');
  writeFileSync(join(folder, 'requirements.txt'), 'requests\n');
  return folder;
}
