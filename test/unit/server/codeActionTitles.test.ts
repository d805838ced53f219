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
});
