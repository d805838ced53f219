import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { DjangoProject } from '../django/djangoProject';
import { applyEdits, LspClient } from './lspClient';
import { temporaryFolder } from '../support/projectFolder';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=tests@example.invalid', '-c', 'user.name=Tests', ...args], { cwd: dir, encoding: 'utf8' });
}

/**
 * A migration that is applied and already on the upstream branch: its quick fixes say both in
 * their titles, and a suppression comment's fix (which changes nothing the migration does) raises
 * no warning asking to undo it.
 */
describe('quick fixes on an applied and published migration', function () {
  this.timeout(120_000);
  let django: DjangoProject;
  let client: LspClient;
  let file: string;
  let text: string;
  let uri: string;
  let upstream: string;

  const undoWarnings = async (): Promise<Diagnostic[]> =>
    (await client.diagnostics(uri)).filter((diagnostic) =>
      ['stale-applied-migration', 'edited-published-migration'].includes(String(diagnostic.code)),
    );

  const fixesOf = async (code: string): Promise<CodeAction[]> => {
    const found = await client.diagnosticsWhen(uri, (items) => items.some((item) => item.code === code), 20_000);
    const diagnostics = found.filter((item) => item.code === code);
    const actions = (await client.codeActions(uri, diagnostics[0].range, diagnostics)) ?? [];
    return actions.filter((action): action is CodeAction => 'edit' in action && action.edit !== undefined);
  };

  before(async () => {
    django = await DjangoProject.fromFixture('run_python_run_sql');
    file = path.join(django.dir, 'ledger', 'migrations', '0002_seed_accounts.py');
    // A suppression that silences nothing, in the text that is applied and pushed.
    text = fs
      .readFileSync(file, 'utf8')
      .replace('class Migration(', '# django-migrations: reviewed the seed rows are tiny\nclass Migration(');
    fs.writeFileSync(file, text);
    await django.manage('migrate');
    const remote = path.join(temporaryFolder('remote'), 'origin.git');
    git(django.dir, 'init', '-q');
    git(django.dir, 'add', '-A');
    git(django.dir, 'commit', '-qm', 'initial');
    git(path.dirname(remote), 'clone', '-q', '--bare', django.dir, remote);
    git(django.dir, 'remote', 'add', 'origin', remote);
    git(django.dir, 'fetch', '-q', 'origin');
    upstream = `origin/${git(django.dir, 'symbolic-ref', '--short', 'HEAD').trim()}`;
    git(django.dir, 'branch', `--set-upstream-to=${upstream}`);
    ({ client } = await LspClient.start({
      folders: [django.dir],
      initializationOptions: { storagePath: temporaryFolder('server-storage') },
    }));
    uri = await client.open(file, text);
    // Any other edit is flagged: wait until what was applied and pushed is known.
    await client.change(uri, text.replace('RunPython(create_accounts', 'RunPython(create_more_accounts'));
    await client.diagnosticsWhen(
      uri,
      (items) =>
        items.some((item) => item.code === 'stale-applied-migration') && items.some((item) => item.code === 'edited-published-migration'),
      20_000,
    );
    await client.change(uri, text);
    assert.deepEqual(await undoWarnings(), []);
  });

  after(async () => {
    await client?.shutdown();
    await django?.remove();
  });

  it('names the databases and the upstream branch in the title of a fix that edits it, and prefers none', async () => {
    const fixes = await fixesOf('irreversible-operation');
    assert.ok(fixes.length > 0);
    for (const fix of fixes) {
      assert.ok(fix.title.endsWith(` (edits a migration applied on 'default' and published on ${upstream})`), fix.title);
      assert.notEqual(fix.isPreferred, true, fix.title);
    }
  });

  it('removes an unused suppression without a warning that asks to undo it (a comment changes nothing that ran)', async () => {
    const [remove] = (await fixesOf('unused-suppression')).filter((fix) => fix.title.startsWith('Remove the suppression'));
    assert.ok(remove, 'the fix is offered');
    const fixed = applyEdits(text, remove.edit!.changes![uri]);
    assert.ok(!fixed.includes('django-migrations: reviewed'));
    await client.change(uri, fixed);
    assert.deepEqual(
      (await client.diagnostics(uri)).filter((diagnostic) => diagnostic.code === 'unused-suppression'),
      [],
      'the fix works',
    );
    assert.deepEqual(await undoWarnings(), []);
    // Any other change to what ran is still reported, on both counts.
    await client.change(uri, fixed.replace('RunPython(create_accounts', 'RunPython(create_more_accounts'));
    assert.deepEqual((await undoWarnings()).map((diagnostic) => diagnostic.code).sort(), [
      'edited-published-migration',
      'stale-applied-migration',
    ]);
    await client.change(uri, text);
  });
});
