import * as vscode from 'vscode';
import { waitFor } from '../../support/waitFor';

/** The diagnostics source the language server sets on every diagnostic it publishes. */
export const diagnosticSource = 'django-migrations';

/**
 * Waits until the diagnostics that the server published for `uri` satisfy `predicate` and returns
 * them (only ours: `source` is "django-migrations"). Open the document first: the server analyses
 * open documents and the project around them.
 *
 *   const problems = await waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'conflicting-leaves'));
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `diagnostics of ${vscode.workspace.asRelativePath(uri)}`,
    () => {
      const ours = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === diagnosticSource);
      return predicate(ours) ? ours : undefined;
    },
    timeoutMs,
  );
}

/** A diagnostic's code (`conflicting-leaves`, ...), whether VS Code holds it plain or with a link. */
export function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}
