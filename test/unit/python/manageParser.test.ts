import * as assert from 'node:assert/strict';
import { settingsModuleFromManage } from '../../../server/src/python/manageParser';
import { PythonParser } from '../../../server/src/python/pythonParser';
import { pythonParser } from './pythonTestParser';

const STARTPROJECT_MANAGE = `#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError("Couldn't import Django.") from exc
    execute_from_command_line(sys.argv)


if __name__ == '__main__':
    main()
`;

describe('settingsModuleFromManage', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await pythonParser();
  });
  const read = (text: string) => settingsModuleFromManage(parser, text);

  it('reads the manage.py that startproject writes', () => {
    assert.equal(read(STARTPROJECT_MANAGE), 'mysite.settings');
  });

  it('reads module-level setdefault with double quotes, as older Django wrote it', () => {
    assert.equal(
      read(`import os\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.dev")\n`),
      'proj.settings.dev',
    );
  });

  it('reads an assignment, which replaces an earlier setdefault', () => {
    assert.equal(read(`import os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'a.settings'\n`), 'a.settings');
    assert.equal(
      read(
        `import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'a.settings')\nos.environ['DJANGO_SETTINGS_MODULE'] = 'b.settings'\n`,
      ),
      'b.settings',
    );
  });

  it('keeps the first value when a later setdefault finds it set', () => {
    assert.equal(
      read(
        `import os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'a.settings'\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'b.settings')\n`,
      ),
      'a.settings',
    );
  });

  it('reads `from os import environ` and environ.update', () => {
    assert.equal(read(`from os import environ\nenviron.setdefault('DJANGO_SETTINGS_MODULE', 'c.settings')\n`), 'c.settings');
    assert.equal(read(`import os\nos.environ.update({'DJANGO_SETTINGS_MODULE': 'd.settings'})\n`), 'd.settings');
  });

  it('gives undefined when the module is not a literal or not set', () => {
    assert.equal(read(`import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', compute())\n`), undefined);
    assert.equal(read(`import os\nos.environ.setdefault('OTHER', 'x.settings')\n`), undefined);
    assert.equal(read(''), undefined);
    assert.equal(read('\0\xff garbage ((('), undefined);
  });
});
