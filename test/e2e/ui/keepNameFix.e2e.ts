import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eContext } from '../e2eContext';
import { djangoPython } from '../sampleWorkspace';
import { Workbench } from '../workbench';
import { waitFor } from '../../support/waitFor';
import { managePy, writeFiles } from '../../support/projectFolder';

const KEEP_FIX = "Keep the column 'name': rename in the state only (then add db_column='name' to the model's field)";
const RENAME = "migrations.RenameField(model_name='product', old_name='name', new_name='title'),";

const migration = (dependencies: string, operations: string) =>
  `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n    dependencies = ${dependencies}\n\n` +
  `    operations = [\n${operations}\n    ]\n`;

/** A shop on PostgreSQL 15 (configured, the server unreachable): the user renames a field in a new migration (line 9). */
function postgresShop(folder: string): string {
  return writeFiles(folder, {
    'manage.py': managePy('config.settings'),
    'config/__init__.py': '',
    'config/settings.py':
      "SECRET_KEY = 'e2e'\nINSTALLED_APPS = ['shop']\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n" +
      "        'NAME': 'shop',\n        'HOST': '127.0.0.1',\n        'PORT': '1',\n    }\n}\nDEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n",
    'pyproject.toml': '[tool.django-migrations]\nserver-version = "15"\n',
    'shop/__init__.py': '',
    'shop/models.py':
      "from django.db import models\n\n\nclass Product(models.Model):\n    title = models.CharField(max_length=100, db_column='name')\n",
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': migration(
      '[]',
      "        migrations.CreateModel(\n            name='Product',\n            fields=[\n" +
        "                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),\n" +
        "                ('name', models.CharField(max_length=100)),\n            ],\n        ),",
    ),
    'shop/migrations/0002_rename.py': migration("[('shop', '0001_initial')]", ''),
    '.vscode/settings.json': JSON.stringify({
      'djangoMigrations.python.path': djangoPython,
      'editor.autoClosingBrackets': 'never',
      'editor.autoClosingQuotes': 'never',
      'editor.autoIndent': 'none',
      'editor.acceptSuggestionOnEnter': 'off',
      'editor.quickSuggestions': { other: false, comments: false, strings: false },
    }),
  });
}

describe('UI: the rename-field quick fix keeps the column', () => {
  let workbench: Workbench;
  let folder: string;
  const isRenameWarning = (row: string): boolean => row.includes("Renaming the column 'name'");

  before(async () => {
    const { server, browser } = e2eContext();
    folder = postgresShop(join(mkdtempSync(join(tmpdir(), 'django-migrations-e2e-keep-')), 'pgshop'));
    workbench = await Workbench.open(browser, server.workbenchUrl(folder));
    await workbench.waitForExplorer();
  });

  afterEach(async function () {
    await workbench?.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await workbench?.close();
    if (folder) rmSync(join(folder, '..'), { recursive: true, force: true });
  });

  it('rewrites the RenameField in one edit, copying the field from 0001 with db_column, and one undo restores it', async () => {
    await workbench.quickOpen('0002_rename.py');
    await workbench.goToLine(9, 1); // the empty line inside `operations = [ ]`
    await workbench.page.keyboard.type(`        ${RENAME}`);
    let rows = await workbench.waitForProblems((labels) => labels.some(isRenameWarning));
    assert.ok(rows.some(isRenameWarning), rows.join('\n'));
    const typed = await workbench.activeEditorText();

    await workbench.goToLine(9, 22); // on `RenameField`
    await workbench.openQuickFixes(KEEP_FIX);
    await workbench.applyQuickFix(KEEP_FIX);
    const text = await waitFor('the rewritten migration', async () => {
      const shown = await workbench.activeEditorText();
      return shown.includes('SeparateDatabaseAndState(') ? shown : undefined;
    });
    assert.match(text, /state_operations=\[\n\s+migrations\.RenameField\(model_name='product', old_name='name', new_name='title'\),/);
    assert.match(text, /field=models\.CharField\(max_length=100, db_column='name'\),/);
    assert.match(text, /database_operations=\[\],/);
    rows = await workbench.waitForProblems((labels) => !labels.some(isRenameWarning));
    assert.ok(!rows.some(isRenameWarning), rows.join('\n'));
    await workbench.screenshot('lint-keep-column-fixed');

    await workbench.page.keyboard.press('Control+Z');
    const undone = await waitFor('the undone fix', async () => {
      const shown = await workbench.activeEditorText();
      return shown.includes('SeparateDatabaseAndState(') ? undefined : shown;
    });
    assert.equal(undone, typed, 'one undo takes back the whole fix');
  });
});
