import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eContext } from '../e2eContext';
import { djangoPython } from '../sampleWorkspace';
import { Workbench } from '../workbench';
import { waitFor } from '../../support/waitFor';
import { managePy, writeFiles } from '../../support/projectFolder';

const CONCURRENT_FIX = 'Build the index concurrently (AddIndexConcurrently, atomic = False)';
const SUPPRESS_FIX = 'Suppress for this operation';
const ADD_INDEX = "migrations.AddIndex(model_name='product', index=models.Index(fields=['name'], name='product_name_idx')),";

const migration = (name: string, dependencies: string, operations: string) =>
  `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n    dependencies = ${dependencies}\n\n` +
  `    operations = [\n${operations}\n    ]\n`;

/**
 * A shop on PostgreSQL whose server cannot be reached (port 1), with the server version in
 * pyproject.toml: the user writes an AddIndex into a new migration (line 9 of the file).
 */
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
      'from django.db import models\n\n\nclass Product(models.Model):\n    name = models.CharField(max_length=100)\n\n' +
      "    class Meta:\n        indexes = [models.Index(fields=['name'], name='product_name_idx')]\n",
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': migration(
      '0001_initial',
      '[]',
      "        migrations.CreateModel(\n            name='Product',\n            fields=[\n" +
        "                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),\n" +
        "                ('name', models.CharField(max_length=100)),\n            ],\n        ),",
    ),
    'shop/migrations/0002_product_name_idx.py': migration('0002_product_name_idx', "[('shop', '0001_initial')]", ''),
    // Typed text stays as typed: no closing bracket or quote added, no indentation guessed.
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

describe('UI: lint rules in a PostgreSQL project', () => {
  let workbench: Workbench;
  let folder: string;
  const isLockWarning = (row: string): boolean => row.includes('CREATE INDEX') && row.includes('SHARE lock');

  before(async () => {
    const { server, browser } = e2eContext();
    folder = postgresShop(join(mkdtempSync(join(tmpdir(), 'django-migrations-e2e-lints-')), 'pgshop'));
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

  it('warns while the AddIndex is written: CREATE INDEX blocks writes on PostgreSQL 15', async () => {
    await workbench.quickOpen('0002_product_name_idx.py');
    await workbench.goToLine(9, 1); // the empty line inside `operations = [ ]`
    await workbench.page.keyboard.type(`        ${ADD_INDEX}`);
    const rows = await workbench.waitForProblems((labels) => labels.some(isLockWarning));
    const warning = rows.find(isLockWarning);
    assert.ok(warning, rows.join('\n'));
    assert.match(warning, /PostgreSQL 15\.0 \(configured server version\)/);
    assert.match(warning, /AddIndexConcurrently/);
    await workbench.screenshot('lint-add-index');
  });

  it('is silenced by a suppression comment with a reason ("Suppress for this operation")', async () => {
    await workbench.quickOpen('0002_product_name_idx.py');
    await workbench.goToLine(9, 22); // on `AddIndex`
    await workbench.openQuickFixes(SUPPRESS_FIX);
    await workbench.applyQuickFix(SUPPRESS_FIX);
    // The comment is written without a reason, which it asks for: until then it silences nothing.
    const needsReason = (row: string): boolean => row.includes('needs a reason');
    let rows = await workbench.waitForProblems((labels) => labels.some(needsReason));
    assert.ok(rows.some(needsReason), rows.join('\n'));
    assert.ok(rows.some(isLockWarning), rows.join('\n'));
    await workbench.quickOpen('0002_product_name_idx.py');
    await workbench.goToLine(9, 1); // the comment, above the operation
    await workbench.page.keyboard.press('End');
    await workbench.page.keyboard.type('the table holds 200 rows');
    rows = await workbench.waitForProblems((labels) => !labels.some(needsReason) && !labels.some(isLockWarning));
    assert.ok(!rows.some(needsReason) && !rows.some(isLockWarning), rows.join('\n'));
    await workbench.quickOpen('0002_product_name_idx.py');
    assert.match(await workbench.activeEditorText(), /# django-migrations: ignore\[add-index-non-concurrent\] the table holds 200 rows/);
    await workbench.screenshot('lint-suppressed');
    // Without the comment the warning is back.
    await workbench.goToLine(9, 1);
    await workbench.page.keyboard.press('Control+Shift+K');
    rows = await workbench.waitForProblems((labels) => labels.some(isLockWarning));
    assert.ok(rows.some(isLockWarning), rows.join('\n'));
  });

  it('rewrites it with the quick fix: AddIndexConcurrently, atomic = False, the import; the warning goes', async () => {
    await workbench.quickOpen('0002_product_name_idx.py');
    await workbench.goToLine(9, 22);
    const fixes = await workbench.openQuickFixes(CONCURRENT_FIX);
    assert.ok(fixes.includes(SUPPRESS_FIX), fixes.join(', '));
    await workbench.screenshot('lint-concurrent-quick-fix');
    await workbench.applyQuickFix(CONCURRENT_FIX);
    const text = await waitFor('the rewritten migration', async () => {
      const shown = await workbench.activeEditorText();
      return shown.includes('AddIndexConcurrently(') ? shown : undefined;
    });
    assert.match(text, /from django\.contrib\.postgres\.operations import AddIndexConcurrently/);
    assert.match(text, /atomic = False/);
    assert.doesNotMatch(text, /migrations\.AddIndex\(/);
    const rows = await workbench.waitForProblems((labels) => !labels.some(isLockWarning));
    assert.ok(!rows.some(isLockWarning), rows.join('\n'));
    assert.ok(!rows.some((row) => /atomic/.test(row) && /NotSupportedError/.test(row)), rows.join('\n'));
    await workbench.screenshot('lint-concurrent-fixed');
  });
});
