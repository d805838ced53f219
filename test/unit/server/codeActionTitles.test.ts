import * as assert from 'node:assert/strict';
import { CodeActionParams, Diagnostic } from 'vscode-languageserver/node';
import { codeActions } from '../../../server/src/features/codeActions';
import { DIAGNOSTIC_SOURCE } from '../../../server/src/features/toDiagnostic';

const at = { line: 20, character: 40 };
const diagnostic: Diagnostic = {
  source: DIAGNOSTIC_SOURCE,
  code: 'irreversible-operation',
  message: 'RunPython has no reverse_code',
  range: { start: at, end: at },
  data: {
    fixes: [
      { fix: 'add-noop-reverse', operation: 'RunPython', insertAt: at, noop: 'migrations.RunPython.noop' },
      { fix: 'add-reverse-function', insertAt: at, functionName: 'reverse_fill', functionInsertAt: { line: 8, character: 12 } },
    ],
  },
};
const params: CodeActionParams = {
  textDocument: { uri: 'file:///p/shop/migrations/0002_fill.py' },
  range: diagnostic.range,
  context: { diagnostics: [diagnostic] },
};

describe('quick fixes on an applied migration say so', () => {
  it('an unapplied migration: plain titles, the no-op reverse preferred', () => {
    const actions = codeActions(params);
    assert.deepEqual(
      actions.map((action) => [action.title, action.isPreferred]),
      [
        ['Add reverse_code=migrations.RunPython.noop', true],
        ['Add a reverse function reverse_fill', false],
      ],
    );
  });

  it('an applied one: each title names the databases, and none is preferred (no fix-all applies it unseen)', () => {
    const actions = codeActions(params, ['default', 'replica']);
    assert.deepEqual(
      actions.map((action) => [action.title, action.isPreferred]),
      [
        ["Add reverse_code=migrations.RunPython.noop (edits a migration applied on 'default', 'replica')", false],
        ["Add a reverse function reverse_fill (edits a migration applied on 'default', 'replica')", false],
      ],
    );
  });

  it('a published one: the title names the upstream branch, with the databases when it is applied too', () => {
    assert.deepEqual(
      codeActions(params, [], undefined, 'origin/main').map((action) => action.title),
      [
        'Add reverse_code=migrations.RunPython.noop (edits a migration published on origin/main)',
        'Add a reverse function reverse_fill (edits a migration published on origin/main)',
      ],
    );
    assert.equal(
      codeActions(params, ['default'], undefined, 'origin/main')[0].title,
      "Add reverse_code=migrations.RunPython.noop (edits a migration applied on 'default' and published on origin/main)",
    );
  });

  it('offers the fixes that leave what ran untouched first, then those that change what an applied migration does', () => {
    const range = { start: at, end: at };
    const lint: Diagnostic = {
      source: DIAGNOSTIC_SOURCE,
      code: 'add-field-not-null',
      message: 'NOT NULL column',
      range,
      data: {
        fixes: [
          { fix: 'edits', title: 'Add the field with null=True', edits: [{ range, newText: ', null=True' }], preferred: true },
          {
            fix: 'edits',
            title: 'Suppress for this operation',
            edits: [{ range, newText: '# django-migrations: ignore[x]\n' }],
            keepsWhatRan: true,
          },
        ],
      },
    };
    const lintParams: CodeActionParams = { ...params, context: { diagnostics: [lint] } };
    assert.deepEqual(
      codeActions(lintParams).map((action) => action.title),
      ['Add the field with null=True', 'Suppress for this operation'],
    );
    const harmless: string[] = [];
    const applied = codeActions(lintParams, ['default'], (edits) => harmless.push(edits[0].newText));
    assert.deepEqual(
      applied.map((action) => [action.title, action.isPreferred]),
      [
        ["Suppress for this operation (edits a migration applied on 'default')", false],
        ["Add the field with null=True (edits a migration applied on 'default')", false],
      ],
    );
    assert.deepEqual(harmless, ['# django-migrations: ignore[x]\n'], 'only the comment is remembered as harmless');
  });
});
