import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeAction, CodeActionKind, Diagnostic } from 'vscode-languageserver-protocol';
import { djangoPython } from '../django/djangoProject';
import { applyEdits, fileUri, LspClient } from './lspClient';
import { rangeOf } from './sourceRanges';
import { TemporaryWorkspace } from './temporaryWorkspace';

describe('server: quick fixes', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  const dirs: Record<string, string> = {};

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    for (const scenario of ['run_python_run_sql', 'missing_dependency', 'squashed', 'squash_replaced_deleted', 'conflict']) {
      dirs[scenario] = await workspace.copyFixture(scenario);
    }
    ({ client } = await LspClient.start({ folders: Object.values(dirs) }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  const file = (project: string, relative: string) => path.join(dirs[project], relative);

  /** Opens the file, asks for the quick fixes of its one diagnostic with `code`, and returns both. */
  async function fixesFor(
    migration: string,
    code: string,
  ): Promise<{ uri: string; text: string; diagnostic: Diagnostic; actions: CodeAction[] }> {
    const text = readFileSync(migration, 'utf8');
    const uri = await client.open(migration, text);
    const matching = (await client.diagnostics(uri)).filter((d) => d.code === code);
    assert.equal(matching.length, 1, `${code} in ${migration}`);
    const [diagnostic] = matching;
    const actions = (await client.codeActions(uri, diagnostic.range, [diagnostic])) ?? [];
    for (const action of actions) assert.ok('kind' in action, `a CodeAction, not a Command: ${JSON.stringify(action)}`);
    return { uri, text, diagnostic, actions: actions as CodeAction[] };
  }

  /** Applies an action's edit to the document's text, sends it as the editor would, and returns it. */
  async function apply(uri: string, text: string, action: CodeAction): Promise<string> {
    const edits = action.edit?.changes?.[uri];
    assert.ok(edits && edits.length > 0, `edits for ${uri}: ${JSON.stringify(action.edit)}`);
    assert.deepEqual(Object.keys(action.edit!.changes!), [uri], 'edits only the diagnostic’s file');
    const edited = applyEdits(text, edits);
    await client.change(uri, edited);
    return edited;
  }

  it('adds reverse_code=migrations.RunPython.noop, after which the operation is reversible', async function () {
    const seed = file('run_python_run_sql', 'ledger/migrations/0002_seed_accounts.py');
    const { uri, text, diagnostic, actions } = await fixesFor(seed, 'irreversible-operation');
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred]),
      [
        ['Add reverse_code=migrations.RunPython.noop', CodeActionKind.QuickFix, true],
        ['Add a reverse function reverse_report_totals', CodeActionKind.QuickFix, false],
      ],
    );
    assert.deepEqual(actions[0].diagnostics, [diagnostic]);
    try {
      const edited = await apply(uri, text, actions[0]);
      assert.equal(
        edited,
        text.replace(
          'migrations.RunPython(report_totals),',
          'migrations.RunPython(report_totals, reverse_code=migrations.RunPython.noop),',
        ),
      );
      assertPythonParses(edited);
      assert.deepEqual(await client.diagnostics(uri), []);
    } finally {
      await client.close(await reset(uri, text));
    }
  });

  it('adds a reverse function stub after the forwards function and names it in reverse_code', async function () {
    const seed = file('run_python_run_sql', 'ledger/migrations/0002_seed_accounts.py');
    const { uri, text, actions } = await fixesFor(seed, 'irreversible-operation');
    const stub = actions.find((a) => a.title === 'Add a reverse function reverse_report_totals');
    assert.ok(stub);
    try {
      const edited = await apply(uri, text, stub);
      assertPythonParses(edited);
      assert.match(edited, /migrations\.RunPython\(report_totals, reverse_code=reverse_report_totals\),/);
      const forwards = edited.indexOf('def report_totals(apps, schema_editor):');
      const reverse = edited.indexOf('def reverse_report_totals(apps, schema_editor):');
      const migrationClass = edited.indexOf('class Migration(');
      assert.ok(
        forwards >= 0 && forwards < reverse && reverse < migrationClass,
        'the stub sits between the forwards function and the class',
      );
      // PEP 8, as Django writes it: two blank lines before and after the new function, no more.
      assert.match(edited, /\S\n\n\ndef reverse_report_totals\(apps, schema_editor\):\n/);
      assert.match(edited, /    pass\n\n\nclass Migration\(/);
      assert.deepEqual(await client.diagnostics(uri), []);
      const symbols = await client.documentSymbols(uri);
      assert.equal(symbols?.length, 1, 'the edited file still has its Migration class');
    } finally {
      await client.close(await reset(uri, text));
    }
  });

  it('adds reverse_sql=migrations.RunSQL.noop to RunSQL', async function () {
    const index = file('run_python_run_sql', 'ledger/migrations/0003_balance_index.py');
    const { uri, text, actions } = await fixesFor(index, 'irreversible-operation');
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Add reverse_sql=migrations.RunSQL.noop'],
    );
    try {
      const edited = await apply(uri, text, actions[0]);
      assert.match(
        edited,
        /migrations\.RunSQL\("DELETE FROM ledger_account WHERE name = 'Cash';", reverse_sql=migrations\.RunSQL\.noop\),/,
      );
      assertPythonParses(edited);
      assert.deepEqual(await client.diagnostics(uri), []);
    } finally {
      await client.close(await reset(uri, text));
    }
  });

  it('offers "Depend on \'0002_price\'" for a missing dependency whose number has one sibling', async function () {
    const order = file('missing_dependency', 'shop/migrations/0003_order.py');
    const { uri, text, actions } = await fixesFor(order, 'missing-dependency');
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred]),
      [["Depend on '0002_price'", true]],
    );
    try {
      const edited = await apply(uri, text, actions[0]);
      assert.equal(edited, text.replace("('shop', '0002_product_price')", "('shop', '0002_price')"));
      // With the parent found, the graph is linear again: no conflict either.
      assert.deepEqual(await client.diagnostics(uri), []);
      assert.deepEqual(await client.diagnostics(file('missing_dependency', 'shop/migrations/0002_price.py')), []);
    } finally {
      await client.close(await reset(uri, text));
    }
  });

  it('offers to depend on the squash instead of a migration it replaces', async function () {
    const report = file('squashed', 'reports/migrations/0001_initial.py');
    const { uri, text, actions } = await fixesFor(report, 'dependency-on-replaced-migration');
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Depend on '0001_squashed_0003_product_sku'"],
    );
    try {
      const edited = await apply(uri, text, actions[0]);
      assert.equal(edited, text.replace("('shop', '0002_product_price')", "('shop', '0001_squashed_0003_product_sku')"));
      assert.deepEqual(await client.diagnostics(uri), []);
    } finally {
      await client.close(await reset(uri, text));
    }
  });

  it('finishes a squash whose replaced files are gone: repoints the dependents and removes the whole replaces line', async function () {
    // Django's docs: first point the dependents of the deleted migrations at the squash, then drop `replaces`.
    const order = file('squash_replaced_deleted', 'shop/migrations/0004_order.py');
    const orderText = readFileSync(order, 'utf8');
    const squash = file('squash_replaced_deleted', 'shop/migrations/0001_squashed_0003_product_sku.py');
    const { uri, text, actions } = await fixesFor(squash, 'unfinished-squash');
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind]),
      [['Finish the squash: point 1 reference at it, remove replaces', CodeActionKind.QuickFix]],
    );
    const documents = new Map(
      (actions[0].edit?.documentChanges ?? []).map((change) => {
        assert.ok('textDocument' in change, 'no file is deleted: the replaced files are gone already');
        return [change.textDocument.uri, change.edits] as const;
      }),
    );
    const orderUri = await client.open(order, applyEdits(orderText, documents.get(fileUri(order)) ?? []));
    try {
      const edited = applyEdits(text, documents.get(uri) ?? []);
      await client.change(uri, edited);
      const replacesLine = rangeOf(text, 'replaces = [').start.line;
      const lines = text.split('\n');
      assert.equal(edited, [...lines.slice(0, replacesLine), ...lines.slice(replacesLine + 1)].join('\n'));
      assertPythonParses(edited);
      assert.deepEqual(await client.diagnostics(uri), []);
      assert.deepEqual(await client.diagnostics(orderUri), []);
    } finally {
      await client.close(await reset(uri, text));
      await client.close(await reset(orderUri, orderText));
    }
  });

  it("offers to merge a conflict through the client's makemigrations --merge command, and to rebase either branch", async function () {
    const price = file('conflict', 'shop/migrations/0002_product_price.py');
    const { uri, diagnostic, actions } = await fixesFor(price, 'conflicting-leaves');
    assert.deepEqual(actions[0], {
      title: "Merge the migrations of 'shop' (makemigrations --merge)",
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      command: { title: 'Merge Migrations', command: 'djangoMigrations.mergeMigrations', arguments: [{ app: 'shop', file: price }] },
    });
    // Outside a git repository nothing says which branch is upstream: both directions are offered.
    assert.deepEqual(
      actions.slice(1).map((action) => [action.title, action.kind, action.disabled]),
      [
        ['Rebase shop 0002_product_sku onto 0002_product_price', CodeActionKind.QuickFix, undefined],
        ['Rebase shop 0002_product_price onto 0002_product_sku', CodeActionKind.QuickFix, undefined],
      ],
    );
    const rebase = actions[1].edit?.documentChanges ?? [];
    assert.deepEqual(
      rebase.map((change) =>
        'kind' in change
          ? [change.kind, path.basename((change as { newUri: string }).newUri)]
          : ['edit', path.basename(change.textDocument.uri)],
      ),
      // Renamed first, then edited under its new name: no edited buffer stays behind at the old one.
      [
        ['rename', '0003_product_sku.py'],
        ['edit', '0003_product_sku.py'],
      ],
    );
    await client.close(uri);
  });

  it('offers nothing for diagnostics of other sources', async function () {
    const seed = file('run_python_run_sql', 'ledger/migrations/0002_seed_accounts.py');
    const [diagnostic] = await client.diagnostics(seed);
    const foreign = { ...diagnostic, source: 'pylint' };
    assert.deepEqual(await client.codeActions(seed, diagnostic.range, [foreign]), []);
    assert.deepEqual(await client.codeActions(seed, diagnostic.range, []), []);
  });

  /** Puts the original text back while the document is open, so closing leaves the model as on disk. */
  async function reset(uri: string, text: string): Promise<string> {
    await client.change(uri, text);
    return uri;
  }
});

/** The edited migration is still Python that Django can import: parsed by the real interpreter. */
function assertPythonParses(source: string): void {
  execFileSync(djangoPython, ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: source, stdio: ['pipe', 'ignore', 'pipe'] });
}
