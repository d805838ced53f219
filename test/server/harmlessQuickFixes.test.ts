import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { DjangoProject } from '../django/djangoProject';
import { applyEdits, LspClient } from './lspClient';
import { temporaryFolder } from '../support/projectFolder';

/**
 * Quick fixes on an applied migration that leave what it applied untouched (its reverse): they say
 * the migration is applied, and the edit they make raises no warning that asks to undo it, while
 * any other edit still does.
 */
describe('quick fixes on an applied migration', function () {
  this.timeout(120_000);
  let django: DjangoProject;
  let client: LspClient;
  let file: string;
  let text: string;
  let uri: string;

  const warnings = async (): Promise<Diagnostic[]> =>
    (await client.diagnostics(uri)).filter((diagnostic) =>
      ['stale-applied-migration', 'edited-published-migration'].includes(String(diagnostic.code)),
    );

  /** The fixes offered for the irreversible RunPython of the text as it is now. */
  const reverseFixes = async (): Promise<CodeAction[]> => {
    const irreversible = (await client.diagnostics(uri)).filter((diagnostic) => diagnostic.code === 'irreversible-operation');
    assert.equal(irreversible.length, 1, 'one irreversible RunPython');
    const actions = (await client.codeActions(uri, irreversible[0].range, irreversible)) ?? [];
    return actions.filter((action): action is CodeAction => 'edit' in action && action.edit !== undefined);
  };

  before(async () => {
    django = await DjangoProject.fromFixture('run_python_run_sql');
    await django.manage('migrate');
    ({ client } = await LspClient.start({
      folders: [django.dir],
      initializationOptions: { storagePath: temporaryFolder('server-storage') },
    }));
    file = path.join(django.dir, 'ledger', 'migrations', '0002_seed_accounts.py');
    text = fs.readFileSync(file, 'utf8');
    uri = await client.open(file, text);
    // Any other edit is stale: wait until what was applied is remembered.
    await client.change(uri, text.replace('migrations.RunPython(create_accounts', 'migrations.RunPython(create_more_accounts'));
    await client.diagnosticsWhen(uri, (items) => items.some((item) => item.code === 'stale-applied-migration'), 10_000);
    await client.change(uri, text);
    assert.deepEqual(await warnings(), []);
  });

  after(async () => {
    await client?.shutdown();
    await django?.remove();
  });

  for (const title of ['Add reverse_code=migrations.RunPython.noop', 'Add a reverse function reverse_report_totals']) {
    it(`"${title}" says the migration is applied, and its edit raises no warning to undo it`, async () => {
      const fix = (await reverseFixes()).find((action) => action.title.startsWith(title));
      assert.ok(fix, `offered: ${(await reverseFixes()).map((action) => action.title).join(' | ')}`);
      assert.equal(fix.title, `${title} (edits a migration applied on 'default')`);
      assert.notEqual(fix.isPreferred, true);
      const fixed = applyEdits(text, fix.edit!.changes![uri]);
      assert.notEqual(fixed, text);
      await client.change(uri, fixed);
      assert.deepEqual(
        (await client.diagnostics(uri)).filter((diagnostic) => diagnostic.code === 'irreversible-operation'),
        [],
        'the fix works',
      );
      assert.deepEqual(await warnings(), []);
      // Saved: a later change to what ran is stale again.
      fs.writeFileSync(file, fixed);
      await client.change(uri, fixed.replace('RunPython(create_accounts', 'RunPython(create_more_accounts'));
      assert.equal((await warnings()).length, 1, 'a change to what ran is still stale');
      await client.change(uri, text);
      fs.writeFileSync(file, text);
    });
  }
});
